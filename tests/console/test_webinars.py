"""A webinar's start in the console: entered in Montréal time, shown back as entered, and
unchanged by saving the edit form as it is, on both sides of a daylight-saving change."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from app.db import session_scope
from app.models import Webinar
from app.webinars import MONTREAL
from tests.console.conftest import csrf


def form_of(page: str) -> dict[str, str | list[str]]:
    """The edit form's fields as the page fills them."""
    values = dict(re.findall(r'<input type="(?:text|datetime-local|number)" name="([^"]+)"[^>]*?value="([^"]*)"', page))
    return {**values, "language": "fr", "regions": ["Estrie"]}


def starts_at(webinar_id: int) -> datetime:
    with session_scope() as s:
        return s.get(Webinar, webinar_id).starts_at


@pytest.mark.parametrize(
    ("entered", "in_utc"), [("2026-03-10T21:20", "2026-03-11 01:20"), ("2026-11-03T21:20", "2026-11-04 02:20")]
)
def test_a_start_is_shown_as_entered_and_saving_unchanged_keeps_it(counsellor, entered, in_utc):
    token = csrf(counsellor, "/webinars")
    made = counsellor.post(
        "/webinars",
        data={"csrf_token": token, "title": "Vivre en Estrie", "starts_at": entered, "language": "fr",
              "regions": ["Estrie"], "presenter": "Julie", "days_day_after": "1"},
    )  # fmt: skip
    webinar_id = int(made.headers["Location"].rsplit("/", 1)[1])
    assert starts_at(webinar_id).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") == in_utc
    assert entered.replace("T", " ") in counsellor.get("/webinars").get_data(as_text=True)
    for _ in range(2):  # saved as it is, twice: nothing moves
        page = counsellor.get(f"/webinars/{webinar_id}").get_data(as_text=True)
        fields = form_of(page)
        assert fields["starts_at"] == entered
        saved = counsellor.post(f"/webinars/{webinar_id}", data={**fields, "csrf_token": csrf(counsellor, "/webinars")})
        assert saved.status_code == 302
    assert starts_at(webinar_id) == datetime.fromisoformat(entered).replace(tzinfo=MONTREAL)
