"""Charts for the console, drawn with matplotlib as SVG (words kept as text)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

BAR = "#12355b"


def funnel_svg(labels: list[str], values: list[int]) -> bytes:
    """Horizontal bars, first stage on top, each with its number and share of the first."""
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure, ax = plt.subplots(figsize=(7, 0.6 * len(labels) + 0.6))
        try:
            positions = list(range(len(labels)))[::-1]
            ax.barh(positions, values, color=BAR)
            ax.set_yticks(positions, labels)
            top = max(values) or 1
            for y, value in zip(positions, values, strict=True):
                share = f" ({100 * value / values[0]:.0f} %)" if values[0] else ""
                ax.text(value + top * 0.01, y, f"{value}{share}", va="center")
            ax.set_xlim(0, top * 1.25)
            ax.spines[["top", "right"]].set_visible(False)
            figure.tight_layout()
            buffer = io.BytesIO()
            figure.savefig(buffer, format="svg")
        finally:
            plt.close(figure)
    return buffer.getvalue()
