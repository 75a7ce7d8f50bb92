"""Suggestions from the database: a destination's coordinates, each mentor's profile and
recent contacts, ranked by `ranking`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.mentors.ranking import (
    CandidateProfile,
    Destination,
    MentorProfile,
    Suggestion,
    rank_mentors,
)
from app.mentors.rules import (
    ACTIVE,
    CONTACT_WINDOW,
)
from app.models import Mentor, MentorRequest, Municipality, utcnow
from app.places import PlaceRef


def as_utc(moment: datetime | None) -> datetime:
    if moment is None:
        return utcnow()
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def municipality_coordinates(
    session: Session, places: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[float, float]]:
    """(name, region_code) -> (lat, lon) for the municipalities that have coordinates;
    the most populous wins a name shared within a region (as the gazetteer does)."""
    wanted = set(places)
    if not wanted:
        return {}
    rows = session.execute(
        select(Municipality.name, Municipality.region_code, Municipality.lat, Municipality.lon)
        .where(Municipality.name.in_({name for name, _ in wanted}), Municipality.lat.is_not(None))
        .order_by(func.coalesce(Municipality.population_2021, 0))
    ).all()
    return {(n, r): (lat, lon) for n, r, lat, lon in rows if (n, r) in wanted}


def destination_for(session: Session, place: PlaceRef) -> Destination:
    """A gazetteer place as a ranking destination, with the municipality's coordinates."""
    if place.kind != "city":
        return Destination(place.name, place.region_code, kind="region")
    municipality = session.get(Municipality, place.code)
    lat, lon = (municipality.lat, municipality.lon) if municipality else (None, None)
    return Destination(place.name, place.region_code, lat, lon)


def contacts_since(session: Session, since: datetime) -> dict[int, int]:
    rows = session.execute(
        select(MentorRequest.mentor_id, func.count())
        .where(MentorRequest.asked_at > since)
        .group_by(MentorRequest.mentor_id)
    ).all()
    return dict(rows)


def suggest_mentors(
    session: Session,
    destination: PlaceRef | Destination,
    candidate: CandidateProfile,
    candidate_sender_id: str | None = None,
    limit: int | None = 3,
    now: datetime | None = None,
) -> list[Suggestion]:
    """The best mentors for a candidate going to `destination`, leaving out the mentors
    this candidate already asked (whatever the answer) and the candidate themself."""
    if isinstance(destination, PlaceRef):
        destination = destination_for(session, destination)
    mentors = list(session.scalars(select(Mentor).where(Mentor.status == ACTIVE)))
    coordinates = municipality_coordinates(session, {(m.municipality, m.region_code) for m in mentors})
    contacts = contacts_since(session, as_utc(now) - CONTACT_WINDOW)
    exclude: set[int] = set()
    if candidate_sender_id is not None:
        exclude |= set(
            session.scalars(
                select(MentorRequest.mentor_id).where(MentorRequest.candidate_sender_id == candidate_sender_id)
            )
        )
        exclude |= {m.id for m in mentors if m.sender_id == candidate_sender_id}
    return rank_mentors(
        [_profile(m, coordinates.get((m.municipality, m.region_code)), contacts.get(m.id, 0)) for m in mentors],
        destination,
        candidate,
        exclude=exclude,
        limit=limit,
    )


def _profile(mentor: Mentor, where: tuple[float, float] | None, contacts: int) -> MentorProfile:
    lat, lon = where or (None, None)
    return MentorProfile(
        id=mentor.id,
        first_name=mentor.first_name,
        municipality=mentor.municipality,
        region_code=mentor.region_code,
        lat=lat,
        lon=lon,
        languages=tuple(mentor.languages or ()),
        field_of_work=mentor.field_of_work,
        family_situation=mentor.family_situation,
        topics=tuple(mentor.topics or ()),
        status=mentor.status,
        max_contacts_per_month=mentor.max_contacts_per_month,
        contacts_this_month=contacts,
    )
