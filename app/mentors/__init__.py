"""Mentor pairing (Tool 5): a candidate about to leave talks with someone who already
settled near their destination, with consent on both sides.

- Ranking is pure (`rank_mentors` over plain dataclasses): nearest first, then shared
  language, field of work, family situation and the topics asked for. Before the mentor's
  yes, a candidate sees only a first name, a municipality and topics (`Suggestion`).
- Double opt-in: a candidate asks (`request_contact`), the mentor answers
  (`answer_request`), and only an accepted request gives the mentor's contact
  (`contact_details_for_candidate`). A request unanswered for a week expires.
- Mentors decide how often they are asked (`max_contacts_per_month`) and can pause or
  withdraw at any time, with immediate effect (`set_status`).
- Six months after their departure, people are invited to become mentors in turn
  (`due_for_invitation`): the report pairs candidates with people settled for at least
  six months.

A package cut by concept: rules (statuses, topics, distances), ranking (pure), suggestions,
requests (the double opt-in and its rounds), signup, invitations, erasure, demo. Callers use
`from app import mentors` and the names below.
"""

from app.mentors.demo import load_demo_mentors, read_demo_mentors, remove_demo_mentors
from app.mentors.erasure import erase
from app.mentors.invitations import Invitation, due_for_invitation, months_before, record_invitation
from app.mentors.ranking import CandidateProfile, Destination, MentorProfile, Suggestion, rank_mentors
from app.mentors.requests import (
    INVITATIONS,
    MAX_SEND_ATTEMPTS,
    MENTOR_ASKS,
    OUTCOMES,
    ContactDetails,
    answer_request,
    contact_details_for_candidate,
    expire_unanswered,
    outcomes_to_tell,
    pending_for_mentor,
    request_contact,
    requests_of_candidate,
    requests_to_ask,
)
from app.mentors.rules import (
    ACCEPTED,
    ACTIVE,
    ANSWER_WITHIN,
    ASKED,
    CHANNELS,
    CONTACT_WINDOW,
    DECLINED,
    DEFAULT_MAX_CONTACTS,
    DEMO_FILE,
    EXPIRED,
    FAMILY_SITUATIONS,
    INVITE_AFTER_MONTHS,
    MENTOR_STATUSES,
    NEARBY_KM,
    OPEN_REQUESTS,
    PAUSED,
    REACH_KM,
    REQUEST_STATUSES,
    TOPICS,
    WITHDRAWN,
    WITHIN_HOUR_KM,
    PairingError,
    topic_label,
)
from app.mentors.signup import MentorAnswers, become_mentor, mentor_of, set_status
from app.mentors.suggestions import destination_for, municipality_coordinates, suggest_mentors

__all__ = [
    "ACCEPTED",
    "ACTIVE",
    "ANSWER_WITHIN",
    "ASKED",
    "CHANNELS",
    "CONTACT_WINDOW",
    "DECLINED",
    "DEFAULT_MAX_CONTACTS",
    "DEMO_FILE",
    "EXPIRED",
    "FAMILY_SITUATIONS",
    "INVITATIONS",
    "INVITE_AFTER_MONTHS",
    "MAX_SEND_ATTEMPTS",
    "MENTOR_ASKS",
    "MENTOR_STATUSES",
    "NEARBY_KM",
    "OPEN_REQUESTS",
    "OUTCOMES",
    "PAUSED",
    "REACH_KM",
    "REQUEST_STATUSES",
    "TOPICS",
    "WITHDRAWN",
    "WITHIN_HOUR_KM",
    "CandidateProfile",
    "ContactDetails",
    "Destination",
    "Invitation",
    "MentorAnswers",
    "MentorProfile",
    "PairingError",
    "Suggestion",
    "answer_request",
    "become_mentor",
    "contact_details_for_candidate",
    "destination_for",
    "due_for_invitation",
    "erase",
    "expire_unanswered",
    "load_demo_mentors",
    "mentor_of",
    "months_before",
    "municipality_coordinates",
    "outcomes_to_tell",
    "pending_for_mentor",
    "rank_mentors",
    "read_demo_mentors",
    "record_invitation",
    "remove_demo_mentors",
    "request_contact",
    "requests_of_candidate",
    "requests_to_ask",
    "set_status",
    "suggest_mentors",
    "topic_label",
]
