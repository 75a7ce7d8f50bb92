"""What the Telegram bridge itself says (everything else comes from Rasa), and the labels
of what /mesdonnees lists (app.candidates.summary: one line per section of the copy)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
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
    "my_data_file": {
        "fr": "Votre copie complète, dans un fichier (JSON) que vous pouvez garder.",
        "en": "Your full copy, in a file (JSON) you can keep.",
    },
    "my_data_file_name": {"fr": "mes-donnees-{day}.json", "en": "my-data-{day}.json"},
    "my_data_nothing": {
        "fr": "Nous ne gardons rien sur vous pour l'instant.",
        "en": "We keep nothing about you at the moment.",
    },
    # Mentor pairing (bot/mentors.py)
    "mentor_asked": {
        "fr": "Bonjour {first_name}! Une personne qui prépare son installation à {destination} aimerait vous parler{topics}. Acceptez-vous que je lui donne votre contact?",
        "en": "Hello {first_name}! Someone preparing their move to {destination} would like to talk with you{topics}. May I give them your contact?",
    },
    "mentor_topics": {"fr": " (sujets : {topics})", "en": " (topics: {topics})"},
    "btn_mentor_yes": {"fr": "Oui, avec plaisir", "en": "Yes, gladly"},
    "btn_mentor_no": {"fr": "Pas cette fois", "en": "Not this time"},
    "mentor_accepted": {
        "fr": "Bonne nouvelle : {first_name} accepte de vous parler! Voici son contact ({channel}) : {value}. Présentez-vous simplement et dites que vous venez de l'assistant de régionalisation.",
        "en": "Good news: {first_name} is happy to talk with you! Their contact ({channel}): {value}. Just introduce yourself and say you come from the regionalisation assistant.",
    },
    "mentor_declined": {
        "fr": "{first_name} n'est pas disponible cette fois. Voulez-vous voir d'autres personnes installées dans la région?",
        "en": "{first_name} is not available this time. Would you like to see other people settled in the region?",
    },
    "mentor_expired": {
        "fr": "{first_name} n'a pas répondu depuis une semaine. Voulez-vous demander à quelqu'un d'autre?",
        "en": "{first_name} has not answered for a week. Would you like to ask someone else?",
    },
    "mentor_withdrawn": {
        "fr": "{first_name} ne participe plus au jumelage. Voulez-vous voir d'autres personnes installées dans la région?",
        "en": "{first_name} no longer takes part in pairing. Would you like to see other people settled in the region?",
    },
    "btn_other_mentors": {"fr": "Voir d'autres personnes", "en": "See other people"},
    "channel_telegram": {"fr": "Telegram", "en": "Telegram"},
    "channel_email": {"fr": "courriel", "en": "e-mail"},
    "channel_phone": {"fr": "téléphone", "en": "phone"},
    "mentor_invitation": {
        "fr": "Bonjour! Cela fait environ six mois que vous vous êtes installé{destination}. Comment ça se passe? Aimeriez-vous aider les prochaines personnes qui préparent le même départ, en répondant à leurs questions?",
        "en": "Hello! You settled{destination} about six months ago. How is it going? Would you like to help the next people preparing the same move by answering their questions?",
    },
    "mentor_invitation_place": {"fr": " à {place}", "en": " in {place}"},
    "btn_become_mentor": {"fr": "Oui, j'aimerais aider", "en": "Yes, I'd like to help"},
    "btn_no_thanks": {"fr": "Non merci", "en": "No thanks"},
}

# What /mesdonnees lists (app.candidates.summary: one line per section of the copy).
STORED: dict[str, dict[str, str]] = {
    "consent_given_on": {"fr": "accord donné le", "en": "consent given on"},
    "language": {"fr": "langue", "en": "language"},
    "conversation": {"fr": "messages de la conversation", "en": "conversation messages"},
    "conversation_memory": {
        "fr": "éléments retenus de la conversation",
        "en": "items remembered from the conversation",
    },
    "messages_received": {"fr": "messages Telegram en traitement", "en": "Telegram messages being handled"},
    "questionnaire_answers": {"fr": "réponses au questionnaire", "en": "questionnaire answers"},
    "self_assessment_scores": {"fr": "résultats de l'auto-évaluation", "en": "self-assessment results"},
    "checklist": {"fr": "aide-mémoire de départ", "en": "departure checklist"},
    "liaison_notes": {"fr": "notes pour un organisme", "en": "notes for an organisation"},
    "counsellor_requests": {"fr": "demandes à l'équipe", "en": "requests to the team"},
    "counsellor_replies": {"fr": "messages de l'équipe", "en": "messages from the team"},
    "mentor_record": {"fr": "fiche de personne-ressource", "en": "mentor record"},
    "mentor_requests": {
        "fr": "demandes de contact avec une personne-ressource",
        "en": "requests to talk with a mentor",
    },
    "mentor_requests_received": {
        "fr": "demandes reçues comme personne-ressource",
        "en": "requests received as a mentor",
    },
    "webinars": {"fr": "webinaires", "en": "webinars"},
    "labels": {"fr": "étiquettes de l'équipe", "en": "the team's labels"},
    "internal_notes_counsellors": {"fr": "notes privées des conseillers", "en": "counsellors' private notes"},
}
