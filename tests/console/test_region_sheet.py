"""The console's region sheet says densities as the candidates' card does: a sparse place
keeps a decimal (La Tuque, 0,4), and a region the census rounds to nothing is "under 0.1"
(Nord-du-Québec), never "0 hab./km²"."""

from __future__ import annotations

import re


def test_a_sparse_town_keeps_its_decimal(counsellor):
    page = counsellor.get("/regions/04").get_data(as_text=True)
    assert "La Tuque — 11\u00a0129 hab., 0,4 hab./km²" in page
    assert "Trois-Rivières — 139\u00a0163 hab., 482 hab./km²" in page  # whole numbers above 1, as on the card
    assert not re.search(r"[ >]0 hab\./km²", page)


def test_a_region_under_one_tenth_is_said_so(counsellor):
    assert "Densité : moins de 0,1 hab./km²" in counsellor.get("/regions/10").get_data(as_text=True)
    assert "Densité : 0,4 hab./km²" in counsellor.get("/regions/09").get_data(as_text=True)  # Côte-Nord, 0.378


def test_the_sheet_in_english_writes_numbers_in_english(counsellor):
    page = counsellor.get("/regions/04?lang=en").get_data(as_text=True)
    assert "0.4 hab./km²" in page and "0,4" not in page
