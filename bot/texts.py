"""What the bridge itself says (everything else comes from Rasa), French and English."""

from __future__ import annotations

TEXTS = {
    "delayed": {
        "fr": "J'ai bien reçu votre message. Je suis un peu lent en ce moment : je vous réponds dès que possible.",
        "en": "I got your message. I'm a bit slow right now: I'll answer as soon as I can.",
    },
    "only_text": {
        "fr": "Je comprends seulement les messages écrits. Pouvez-vous m'écrire votre question?",
        "en": "I only understand written messages. Could you type your question?",
    },
    "too_long": {
        "fr": "Votre message est très long : j'ai lu les {limit} premiers caractères.",
        "en": "Your message is very long: I read the first {limit} characters.",
    },
    "edited": {
        "fr": "J'ai vu votre modification, mais je réponds seulement aux nouveaux messages. Écrivez-moi à nouveau, s'il vous plaît.",
        "en": "I saw your edit, but I only answer new messages. Please write to me again.",
    },
    "near": {
        "fr": "Vous êtes près de {city} ({region}). Voulez-vous des informations sur cette région?",
        "en": "You are near {city} ({region}). Would you like information about this region?",
    },
    "near_button": {"fr": "Oui, la région", "en": "Yes, the region"},
    "far": {
        "fr": "Je ne trouve pas de municipalité du Québec près de cet endroit. Écrivez-moi le nom de la ville qui vous intéresse.",
        "en": "I can't find a Québec municipality near this place. Write me the name of the town you're interested in.",
    },
    "resumed": {
        "fr": "L'assistant reprend la conversation. Que puis-je faire pour vous?",
        "en": "The assistant is back. What can I do for you?",
    },
    "my_data": {
        "fr": "Ce que nous gardons sur vous :\n{lines}\nPour tout effacer : /supprimer",
        "en": "What we keep about you:\n{lines}\nTo erase everything: /supprimer",
    },
    "my_data_nothing": {
        "fr": "Nous ne gardons rien sur vous pour l'instant.",
        "en": "We keep nothing about you at the moment.",
    },
}


# What /mesdonnees lists (app.candidates.stored_about).
STORED_LABELS = {
    "consent_given_on": {"fr": "accord donné le", "en": "consent given on"},
    "language": {"fr": "langue", "en": "language"},
    "conversation_events": {"fr": "éléments de conversation", "en": "conversation events"},
    "checklist_items": {"fr": "tâches de l'aide-mémoire", "en": "checklist tasks"},
    "counsellor_requests": {"fr": "demandes à l'équipe", "en": "requests to the team"},
    "liaison_notes": {"fr": "notes pour un organisme", "en": "notes for an organisation"},
    "questionnaire_answers": {"fr": "réponses au questionnaire", "en": "questionnaire answers"},
    "self_assessment_scores": {"fr": "résultats de l'auto-évaluation", "en": "self-assessment results"},
}


def stored_lines(stored: dict[str, object], code: str | None) -> str:
    language = language_of(code)
    return "\n".join(f"• {STORED_LABELS[name][language]} : {value}" for name, value in stored.items())


def language_of(code: str | None) -> str:
    return "en" if (code or "").lower().startswith("en") else "fr"


def say(key: str, code: str | None, **values: object) -> str:
    return TEXTS[key][language_of(code)].format(**values)
