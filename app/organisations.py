"""Organisation look-up (Tool 4): who helps newcomers in a region, most reliable first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Organisation
from app.settings import get_settings
from app.sources import confidence_rank, latest_year
from app.text import fold

# A source this weak (old, or only naming the organisation as funded) is not enough to send
# someone there: such a row is kept for counsellors, and shown to candidates once verified.
UNSURE = "low"

# What each `service` entity value means in the organisations' own descriptions.
SERVICE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "welcome": ("welcome", "settlement", "integration", "accueil", "intégration"),
    "employment": ("employment", "job", "emploi", "employability"),
    "french": ("francisation", "french", "literacy"),
    "pairing": ("pairing", "jumelage", "mentor"),
    "youth": ("place aux jeunes", "cje", "carrefour jeunesse", "18-35", "youth"),
    "housing": ("housing", "logement"),
    "entrepreneurship": ("entrepreneur", "business"),
    "training": ("training", "formation", "studies"),
}


@dataclass(frozen=True)
class OrganisationCard:
    name: str
    city: str | None
    org_type: str
    org_type_fr: str | None
    services: str
    services_fr: str | None
    website: str | None
    source_url: str
    date_seen: str
    confidence: str
    verified_on: date | None

    def last_checked(self) -> date | None:
        """When a counsellor verified the entry, else the end of the latest year its source
        mentions (the kindest reading of "2024-05" or "c. 2021")."""
        if self.verified_on:
            return self.verified_on
        seen = latest_year(self.date_seen)
        return date(seen, 12, 31) if seen else None


def is_stale(last_checked: date | None, today: date) -> bool:
    """One rule for the console and the chat: details nobody confirmed within
    ORGANISATION_STALE_AFTER_DAYS (a year by default), or never, may be outdated."""
    if last_checked is None:
        return True
    return (today - last_checked).days > get_settings().organisation_stale_after_days


def shown_to_candidates(cards: list[OrganisationCard]) -> list[OrganisationCard]:
    return [c for c in cards if c.confidence != UNSURE or c.verified_on]


def offers(card: OrganisationCard, service: str) -> bool:
    haystack = fold(f"{card.org_type} {card.services}")
    return any(fold(k) in haystack for k in SERVICE_KEYWORDS.get(service, ()))


def rank(cards: list[OrganisationCard], service: str | None, city: str | None) -> list[OrganisationCard]:
    """Organisations offering the service first (all of them if none does), then those
    in the person's city, then by the confidence of their source."""
    if service:
        matching = [c for c in cards if offers(c, service)]
        cards = matching or cards
    wanted_city = fold(city) if city else None
    return sorted(
        cards,
        key=lambda c: (
            0 if wanted_city and c.city and fold(c.city) == wanted_city else 1,
            confidence_rank(c.confidence),
            c.name,
        ),
    )


def organisations_in_region(session: Session, region_code: str) -> list[OrganisationCard]:
    rows = session.execute(
        select(Organisation).where(Organisation.region_code == region_code, Organisation.retired.is_(False))
    ).scalars()
    return [
        OrganisationCard(
            name=o.name,
            city=o.city,
            org_type=o.org_type,
            org_type_fr=o.org_type_fr,
            services=o.services,
            services_fr=o.services_fr,
            website=o.website,
            source_url=o.source_url,
            date_seen=o.date_seen,
            confidence=o.confidence,
            verified_on=o.verified_on,
        )
        for o in rows
    ]


def find_organisations(
    session: Session, region_code: str, service: str | None = None, city: str | None = None
) -> list[OrganisationCard]:
    """What a candidate is shown: rows of a weak source only once a counsellor verified them."""
    return rank(shown_to_candidates(organisations_in_region(session, region_code)), service, city)
