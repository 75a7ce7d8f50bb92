"""The rules of pairing: mentors' and requests' statuses, topics, distances, delays, and
the error a pairing step raises when it cannot happen; the topics' names are in the
catalogue (app/catalogue/core.py)."""

from __future__ import annotations

from datetime import timedelta

from app.catalogue import say
from app.models import MentorStatus, RequestStatus

ACTIVE, PAUSED, WITHDRAWN = MentorStatus
MENTOR_STATUSES = tuple(MentorStatus)
ASKED, ACCEPTED, DECLINED, EXPIRED = (
    RequestStatus.ASKED,
    RequestStatus.ACCEPTED,
    RequestStatus.DECLINED,
    RequestStatus.EXPIRED,
)  # a withdrawn request is WITHDRAWN too: the same word
REQUEST_STATUSES = tuple(RequestStatus)
OPEN_REQUESTS = (ASKED, ACCEPTED)  # what a mentor's withdrawal ends

TOPICS = ("employment", "housing", "social_life", "tour", "meet_in_person")
CHANNELS = ("telegram", "email", "phone")
FAMILY_SITUATIONS = ("alone", "couple", "family")

# Beyond this, a mentor in another region is too far to help; within the destination's
# region a mentor is always within reach (Côte-Nord or Nord-du-Québec are vast).
REACH_KM = 150.0
NEARBY_KM = 30.0  # the same town or its suburbs
WITHIN_HOUR_KM = 80.0  # a drive the report counts as "near a city"
ANSWER_WITHIN = timedelta(days=7)
CONTACT_WINDOW = timedelta(days=30)  # max_contacts_per_month counts requests in this window
INVITE_AFTER_MONTHS = 6
DEFAULT_MAX_CONTACTS = 2
DEMO_FILE = "demo_mentors.yml"


def topic_label(topic: str, language: str | None) -> str:
    """ "le logement" / "housing" (app/catalogue/core.py)."""
    return say(f"mentor_topic.{topic}", language)


class PairingError(ValueError):
    """A pairing step that cannot happen; `reason` tells the caller what to say."""

    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"  # the mentor paused or withdrew
    FULL = "full"  # the mentor reached their contacts for the month
    SELF = "self"  # a mentor asking for themselves
    NOT_OPEN = "not_open"  # the request was already answered, expired or withdrawn
    NO_CONSENT = "no_consent"
    CONSENT_NEEDED = "consent_needed"  # a withdrawn mentor comes back through become_mentor
    INVALID = "invalid"

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
