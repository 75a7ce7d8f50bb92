"""Which region suits me? A transparent matcher: from what a candidate said (field, spouse's
field, family, the kind of place wanted, car, distance from Montréal, French courses, ties),
it ranks the 16 regions outside Montréal and suggests 2-3 towns in each, every point of
the score being a line the person reads, with the fact behind it and its source.

One module per concept: rules.py (knowledge/recommendation.yml, which counsellors edit:
`load_rules`, checked by `check_rules`), facts.py (`load_facts`, the only function that reads
the database, which `make db` loads from knowledge/: census sizes and coordinates, growth
sectors with their sources, school and adult-education centres, organisations, mentors),
profile.py (what the person said), matching.py (pure: facts and a profile in, a ranking
out) and questions.py (what to ask when the profile is thin, and typed answers). It
suggests; it never decides.
"""

from __future__ import annotations

from app.recommendation.facts import (
    Facts,
    km_between,
    load_facts,
)
from app.recommendation.matching import (
    Line,
    Recommendation,
    RegionMatch,
    fields_of,
    rank_moves,
    recommend,
    source_labels,
)
from app.recommendation.profile import (
    Profile,
    place_region,
    profile_from_answers,
)
from app.recommendation.questions import (
    answers_in_message,
    question_for_reading,
    questions_left,
    questions_to_ask,
    read_typed_answer,
    with_answers,
)
from app.recommendation.rules import (
    QUESTION_KEYS,
    Rules,
    check_rules,
    load_rules,
    read_rules_file,
    rules_from,
)

__all__ = [
    "QUESTION_KEYS",
    "Facts",
    "Line",
    "Profile",
    "Recommendation",
    "RegionMatch",
    "Rules",
    "answers_in_message",
    "check_rules",
    "fields_of",
    "km_between",
    "load_facts",
    "load_rules",
    "place_region",
    "profile_from_answers",
    "question_for_reading",
    "questions_left",
    "questions_to_ask",
    "rank_moves",
    "read_rules_file",
    "read_typed_answer",
    "recommend",
    "rules_from",
    "source_labels",
    "with_answers",
]
