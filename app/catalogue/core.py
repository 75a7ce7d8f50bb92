"""The core's words (app/): what the access copy, the decision report, its mind map and
mentor suggestions say, and what counsellors and regional organisations read (the group's
handoff cards, the liaison note). Content that counsellors edit (questions, checklist,
report rules, recommendation sentences) stays in knowledge/, with its sources."""

from __future__ import annotations

# The access copy (app/candidates.export_about): what it is, each section, each retention period.
COPY: dict[str, dict[str, str]] = {
    "about": {
        "fr": "Copie de tout ce que le service garde sur vous (Loi 25, droit d'accès). Heures en UTC.",
        "en": "A copy of everything the service keeps about you (Québec's Law 25, right of access). Times in UTC.",
    },
    "section_candidate": {
        "fr": "Votre fiche : langue, date de votre accord, première et dernière activité.",
        "en": "Your record: language, date of your consent, first and last activity.",
    },
    "section_conversation": {
        "fr": "Vos messages et les réponses de l'assistant, avec l'heure.",
        "en": "Your messages and the assistant's answers, with their time.",
    },
    "section_conversation_memory": {
        "fr": "Ce que l'assistant retient de la conversation (la dernière valeur de chaque élément).",
        "en": "What the assistant remembers from the conversation (the latest value of each item).",
    },
    "section_messages_received": {
        "fr": "Vos messages Telegram reçus par le service, gardés le temps de les traiter.",
        "en": "Your Telegram messages received by the service, kept while they are handled.",
    },
    "section_questionnaire_answers": {
        "fr": "Vos réponses au questionnaire de préparation et à l'auto-évaluation.",
        "en": "Your answers to the preparation questionnaire and the self-assessment.",
    },
    "section_self_assessment_scores": {
        "fr": "Vos résultats à l'auto-évaluation (de 1 à 5) par compétence.",
        "en": "Your self-assessment results (1 to 5) per competency.",
    },
    "section_checklist": {
        "fr": "Votre aide-mémoire de départ : destination, date de début, tâches.",
        "en": "Your departure checklist: destination, start date, tasks.",
    },
    "section_liaison_notes": {
        "fr": "Les notes préparées avec votre accord pour un organisme régional.",
        "en": "The notes prepared with your consent for a regional organisation.",
    },
    "section_counsellor_requests": {
        "fr": "Vos demandes de parler à un conseiller : raison, dates, état.",
        "en": "Your requests to talk with a counsellor: reason, dates, status.",
    },
    "section_counsellor_replies": {
        "fr": "Les messages que l'équipe vous a écrits.",
        "en": "The messages the team wrote to you.",
    },
    "section_mentor_record": {
        "fr": "Votre fiche de personne-ressource, si vous aidez d'autres personnes.",
        "en": "Your mentor record, if you help other people.",
    },
    "section_mentor_requests": {
        "fr": "Vos demandes de contact avec une personne-ressource (son contact, seulement s'il vous a été donné).",
        "en": "Your requests to talk with a mentor (their contact, only if it was given to you).",
    },
    "section_mentor_requests_received": {
        "fr": "Les demandes de contact qu'on vous a faites comme personne-ressource.",
        "en": "The requests made to you as a mentor.",
    },
    "section_webinars": {
        "fr": "Les webinaires dont vous avez ouvert le lien, votre accord aux suivis et les suivis.",
        "en": "The webinars whose link you opened, your consent to follow-ups, and the follow-ups.",
    },
    "section_labels": {
        "fr": "Les étiquettes que l'équipe a mises sur votre conversation.",
        "en": "The labels the team put on your conversation.",
    },
    "section_internal_notes_counsellors": {
        "fr": "Notes privées des conseillers sur vous. Elles sont dans cette copie parce que le droit d'accès (Loi 25) couvre tout ce que nous gardons sur vous.",
        "en": "The counsellors' private notes about you. They are in this copy because the right of access (Québec's Law 25) covers everything we keep about you.",
    },
    "kept_conversations": {
        "fr": "tout ce qui vous concerne, après cette durée sans activité",
        "en": "everything about you, after this long without activity",
    },
    "kept_inbound_messages": {"fr": "vos messages Telegram déjà traités", "en": "your Telegram messages once handled"},
    "kept_handoffs": {
        "fr": "les demandes à un conseiller fermées et les messages de l'équipe envoyés",
        "en": "closed requests to a counsellor and the team's messages once sent",
    },
    "kept_button_payloads": {"fr": "les boutons des messages", "en": "the messages' buttons"},
    "kept_audit_log": {
        "fr": "le journal de qui, dans l'équipe, a consulté votre dossier",
        "en": "the log of who in the team viewed your file",
    },
    "kept_mentor_requests": {
        "fr": "les demandes de contact terminées (refusées, expirées, retirées)",
        "en": "ended contact requests (declined, expired, withdrawn)",
    },
    "kept_webinar_attendees": {
        "fr": "votre présence à un webinaire et ses suivis, après la date du webinaire",
        "en": "your attendance at a webinar and its follow-ups, after the webinar's date",
    },
}

# What a mentor can help with (app/mentors.TOPICS).
MENTOR_TOPICS: dict[str, dict[str, str]] = {
    "employment": {"fr": "l'emploi", "en": "jobs"},
    "housing": {"fr": "le logement", "en": "housing"},
    "social_life": {"fr": "la vie sociale", "en": "social life"},
    "tour": {"fr": "une visite des lieux utiles", "en": "a tour of useful places"},
    "meet_in_person": {"fr": "une rencontre en personne", "en": "meeting in person"},
}

# Why a mentor is suggested, in short fragments joined by " · " (app/mentors/ranking.py).
MENTOR_REASONS: dict[str, dict[str, str]] = {
    "topic_employment": {"fr": "peut parler d'emploi", "en": "can talk about jobs"},
    "topic_housing": {"fr": "connaît le logement", "en": "knows about housing"},
    "topic_social_life": {"fr": "peut vous présenter du monde", "en": "can introduce you to people"},
    "topic_tour": {"fr": "peut vous faire visiter", "en": "can show you around"},
    "topic_meet_in_person": {"fr": "accepte de vous rencontrer", "en": "happy to meet in person"},
    "here": {"fr": "À {place} même", "en": "In {place} itself"},
    "near": {"fr": "À {place}, à {km} km", "en": "In {place}, {km} km away"},
    "at": {"fr": "À {place}", "en": "In {place}"},
    "same_region": {"fr": ", dans la même région", "en": ", same region"},
    "close_background": {"fr": "un parcours proche du vôtre", "en": "a background close to yours"},
}

# The decision report's overall line (app/report.py), by colour.
REPORT: dict[str, dict[str, str]] = {
    "green": {"fr": "Tous les thèmes sont au vert.", "en": "Every theme is green."},
    "yellow": {"fr": "Des points sont à préparer.", "en": "Some points need preparing."},
    "red": {
        "fr": "Un point important bloque le projet pour l'instant.",
        "en": "One important point blocks the plan for now.",
    },
    "not_covered": {
        "fr": "Le questionnaire n'est pas encore commencé.",
        "en": "The questionnaire has not started yet.",
    },
    "missing": {"fr": "{count} thème(s) pas encore abordé(s).", "en": "{count} theme(s) not covered yet."},
}

# The report's picture (app/mindmap.py).
MINDMAP: dict[str, dict[str, str]] = {
    "legend_green": {"fr": "Prêt", "en": "Ready"},
    "legend_yellow": {"fr": "À préparer", "en": "To prepare"},
    "legend_red": {"fr": "Bloquant", "en": "Blocking"},
    "legend_not_covered": {"fr": "Pas encore abordé", "en": "Not covered yet"},
    "centre": {"fr": "Mon projet en région", "en": "My move to a region"},
    "dated": {"fr": "Bilan du", "en": "Report of"},
}

# The questionnaire's own title for the self-assessment (app/questionnaire.py).
QUESTIONNAIRE: dict[str, dict[str, str]] = {
    "self_assessment_title": {"fr": "Adaptation au changement", "en": "Adapting to change"},
}

# The counsellors' Telegram group (bot/counsellors.py): handoff cards and their buttons.
COUNSELLOR_GROUP: dict[str, dict[str, str]] = {
    "reason_asked": {"fr": "a demandé à parler à quelqu'un", "en": "asked to talk to someone"},
    "reason_fallback": {
        "fr": "l'assistant n'a pas compris deux fois de suite",
        "en": "the assistant did not understand twice in a row",
    },
    "reason_distress": {"fr": "⚠️ DÉTRESSE : message inquiétant", "en": "⚠️ DISTRESS: a worrying message"},
    "reason_urgent_departure": {
        "fr": "départ en urgence : note pour l'organisme régional à transmettre",
        "en": "urgent departure: a note for the regional organisation to pass on",
    },
    "card_title": {"fr": "Demande d'accompagnement n° {id}", "en": "Request for support no. {id}"},
    "card_person": {"fr": "Personne : {name} (conversation {sender})", "en": "Person: {name} (conversation {sender})"},
    "card_unknown_name": {"fr": "inconnue", "en": "unknown"},
    "card_language": {"fr": "Langue : {language}", "en": "Language: {language}"},
    "card_reason": {"fr": "Raison : {reason}", "en": "Reason: {reason}"},
    "card_checklist": {"fr": "Aide-mémoire : {checklist}", "en": "Checklist: {checklist}"},
    "card_checklist_progress": {
        "fr": "{done} tâche(s) faite(s), destination {destination}, début {start}",
        "en": "{done} task(s) done, destination {destination}, start {start}",
    },
    "card_start_unknown": {"fr": "à confirmer", "en": "to be confirmed"},
    "card_last_messages": {"fr": "Derniers messages :", "en": "Last messages:"},
    "card_no_messages": {
        "fr": "Derniers messages : non conservés (pas de consentement à garder la conversation)",
        "en": "Last messages: not kept (no consent to keep the conversation)",
    },
    "card_how_to_reply": {
        "fr": "Répondez à ce message pour écrire à la personne; {command} en réponse rend la main à l'assistant.",
        "en": "Reply to this message to write to the person; {command} as a reply gives the conversation back to the assistant.",
    },
    "btn_claim": {"fr": "Je m'en occupe", "en": "I'll take it"},
    "btn_resume": {"fr": "Rendre à l'assistant", "en": "Give back to the assistant"},
    "erased": {
        "fr": "Message retiré : la personne a demandé l'effacement de ses données.",
        "en": "Message removed: the person asked for their data to be erased.",
    },
    "not_this_card": {
        "fr": "Ce bouton ne vaut que sur sa fiche, dans le groupe des conseillers.",
        "en": "This button only works on its own card, in the counsellors' group.",
    },
    "followed_by": {
        "fr": "Cette demande est suivie par {holder} : seule cette personne, ou un administrateur du groupe, peut agir.",
        "en": "This request is followed by {holder}: only that person, or an admin of the group, can act on it.",
    },
    "already_closed": {"fr": "Cette demande est déjà close", "en": "This request is already closed"},
    "given_back": {"fr": "Rendu à l'assistant", "en": "Given back to the assistant"},
    "yours": {"fr": "C'est à vous", "en": "It's yours"},
    "taken_line": {"fr": "✅ Pris par {name}", "en": "✅ Taken by {name}"},
    "taken_by": {"fr": "Déjà pris par {holder}", "en": "Already taken by {holder}"},
}

# The note a counsellor sends to a regional organisation (app/checklists.liaison_note).
LIAISON_NOTE: dict[str, dict[str, str]] = {
    "to": {"fr": "À l'attention de : {organisation}", "en": "For the attention of: {organisation}"},
    "hello": {"fr": "Bonjour,", "en": "Hello,"},
    "moving": {
        "fr": "Une personne accompagnée par notre service de régionalisation s'installe bientôt à {destination}.",
        "en": "A person supported by our regionalisation service is soon moving to {destination}.",
    },
    "destination_unknown": {"fr": "une destination à confirmer", "en": "a destination to be confirmed"},
    "start": {
        "fr": "Début de l'emploi ou de la formation : {start}",
        "en": "Start of the job or training: {start}",
    },
    "start_unknown": {"fr": "date à confirmer", "en": "date to be confirmed"},
    "in_days": {"fr": " (dans {days} jours).", "en": " (in {days} days)."},
    "remaining": {"fr": "Ce qui reste à régler : {tasks}.", "en": "Still to settle: {tasks}."},
    "ask": {
        "fr": "Pourriez-vous l'accueillir et l'aider pour le logement et les premiers contacts? "
        "Une conseillère ou un conseiller de notre équipe vous contactera pour les coordonnées, avec son accord.",
        "en": "Could you welcome them and help with housing and first contacts? "
        "A counsellor from our team will contact you for their details, with their consent.",
    },
}
