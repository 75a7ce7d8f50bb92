"""The report as a picture of the counsellors' mind map: the project in the middle, one
branch per theme, each coloured by its status. Drawn with matplotlib (PNG for the chat,
SVG for the console); the layout is a function so tests can look at each branch's colour."""

from __future__ import annotations

import io
import math
import textwrap
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch, Patch

from app.catalogue import say

COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "not_covered": "#9e9e9e"}
SIZE_INCHES = (10.0, 8.0)
LIMIT = 1.25  # the drawing spans -LIMIT..LIMIT on both axes
RADIUS = 0.92
BOX_HALF = (0.19, 0.085)


def branch_centres(count: int) -> list[tuple[float, float]]:
    """Where each theme sits, clockwise from the top, in drawing units."""
    return [
        (RADIUS * math.sin(2 * math.pi * i / count), RADIUS * math.cos(2 * math.pi * i / count)) for i in range(count)
    ]


def swatch_point(centre: tuple[float, float]) -> tuple[float, float]:
    """A point inside a theme's box that no text covers (its left edge)."""
    return centre[0] - BOX_HALF[0] + 0.01, centre[1]


def to_pixels(point: tuple[float, float], dpi: int) -> tuple[int, int]:
    """A drawing point as (column, row) in a PNG rendered at `dpi`."""
    width, height = SIZE_INCHES[0] * dpi, SIZE_INCHES[1] * dpi
    x = (point[0] + LIMIT) / (2 * LIMIT) * width
    y = (1 - (point[1] + LIMIT) / (2 * LIMIT)) * height
    return round(x), round(y)


def _box(ax: Any, centre: tuple[float, float], colour: str, label: str, text_colour: str, size: float) -> None:
    half_w, half_h = BOX_HALF
    ax.add_patch(
        FancyBboxPatch(
            (centre[0] - half_w, centre[1] - half_h),
            2 * half_w,
            2 * half_h,
            boxstyle="round,pad=0.02,rounding_size=0.05",
            facecolor=colour,
            edgecolor="white",
            linewidth=2,
        )
    )
    ax.text(*centre, label, ha="center", va="center", fontsize=size, color=text_colour, wrap=True)


def draw(report: dict[str, Any]) -> plt.Figure:
    language = report.get("language", "fr")
    figure = plt.figure(figsize=SIZE_INCHES)
    ax = figure.add_axes([0, 0, 1, 1])
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ax.set_aspect("auto")
    ax.axis("off")
    themes = report["themes"]
    overall = report["overall"]["status"]
    for theme, centre in zip(themes, branch_centres(len(themes)), strict=True):
        colour = COLOURS[theme["status"]]
        ax.plot([0, centre[0]], [0, centre[1]], color=colour, linewidth=4, zorder=0, solid_capstyle="round")
        label = "\n".join(textwrap.wrap(theme["title"], 16)) + f"\n{theme['answered']}/{theme['questions']}"
        _box(ax, centre, colour, label, "black" if theme["status"] == "yellow" else "white", 10)
    centre_label = "\n".join(textwrap.wrap(say("mindmap.centre", language), 12))
    _box(ax, (0, 0), COLOURS[overall], centre_label, "black" if overall == "yellow" else "white", 12)
    ax.text(
        0,
        LIMIT - 0.05,
        f"{say('mindmap.dated', language)} {report['generated_on']}",
        ha="center",
        va="top",
        fontsize=9,
        color="#555555",
    )
    ax.legend(
        handles=[Patch(color=colour, label=say(f"mindmap.legend_{k}", language)) for k, colour in COLOURS.items()],
        loc="lower center",
        ncol=4,
        frameon=False,
        fontsize=10,
    )
    return figure


def render(report: dict[str, Any], fmt: str = "png", dpi: int = 100) -> bytes:
    """The picture as PNG or SVG bytes."""
    # SVG keeps its words as text (searchable, readable by screen readers).
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure = draw(report)
        buffer = io.BytesIO()
        try:
            figure.savefig(buffer, format=fmt, dpi=dpi, facecolor="white")
        finally:
            plt.close(figure)
    return buffer.getvalue()
