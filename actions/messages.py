"""How the custom actions speak: the chat's sentences from the catalogue (app/catalogue),
with what the chat adds to them (a region's French article, one or several, a source's
years, a description cut to fit a phone screen).
"""

from __future__ import annotations

import re

from app.catalogue import say
from app.catalogue.chat import REGION_OF


def text(key: str, language: str, **values: object) -> str:
    """The chat's sentence `key` (app/catalogue/chat.py); a region given as `region` also
    gives `region_of`, with its French article ("de l'Estrie", "des Laurentides")."""
    if "region" in values and "region_of" not in values:
        values["region_of"] = REGION_OF.get(str(values["region"]), f"de {values['region']}")
    return say(f"chat.{key}", language, **values)


def counted(key: str, count: int, language: str, **values: object) -> str:
    """The `key_one` sentence for one item, `key` for several."""
    return text(f"{key}_one" if count == 1 else key, language, count=count, **values)


def years(label: str) -> str:
    """The year or range of years in a source's free-text date: "c. 2017-2019 (cites
    2015 GDP)" -> "2017-2019"; "2022 (several sources 2018-2022)" -> "2022"."""
    match = re.search(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}|(?:19|20)\d{2}(?:-\d{2}){0,2}", label)
    return match.group(0) if match else label


def shorten(text_: str, limit: int = 180) -> str:
    """Cut a long description at a "; " boundary so a card fits a phone screen."""
    if len(text_) <= limit:
        return text_
    parts, kept = text_.split("; "), []
    for part in parts:
        if len("; ".join([*kept, part])) > limit:
            break
        kept.append(part)
    return ("; ".join(kept) if kept else text_[: limit - 1].rstrip()) + "…"
