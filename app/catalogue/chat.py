"""The chat's sentences (the custom actions): the assistant talking with a candidate.
Fixed replies live in domain/ (Rasa's responses); these are the ones built from data."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "welcome": {
        "fr": "Bonjour! Je suis l'assistant virtuel du service de régionalisation. "
        "Je vous aide à découvrir les régions du Québec et à préparer votre installation. "
        "Une conseillère ou un conseiller de l'équipe peut lire nos échanges pour mieux vous accompagner.",
        "en": "Hello! I am the virtual assistant of the regionalisation service. "
        "I help you discover Québec's regions and prepare your move. "
        "A counsellor from the team may read our conversation to help you better.",
    },
    "ask_consent": {
        "fr": "Acceptez-vous que nous gardions cette conversation et vos réponses? "
        "Elles servent seulement à préparer votre projet avec l'équipe. "
        "Vous pourrez tout effacer quand vous voulez en écrivant « supprimer mes données ».",
        "en": "Do you agree that we keep this conversation and your answers? "
        "They are only used to prepare your project with the team. "
        'You can erase everything at any time by writing "delete my data".',
    },
    "consent_yes_button": {"fr": "Oui, j'accepte", "en": "Yes, I agree"},
    "consent_no_button": {"fr": "Non merci", "en": "No thanks"},
    "consent_recorded": {
        "fr": "Merci! C'est noté. Vous pouvez retirer votre accord à tout moment.",
        "en": "Thank you! Noted. You can withdraw your consent at any time.",
    },
    "consent_refused": {
        "fr": "D'accord, je ne garde rien de cette conversation. Je peux quand même répondre à vos questions.",
        "en": "All right, I will not keep anything from this conversation. I can still answer your questions.",
    },
    "greet_again": {
        "fr": "Bonjour! Content de vous revoir.",
        "en": "Hello! Nice to see you again.",
    },
    "language_switched": {
        "fr": "D'accord, je vous écris en français.",
        "en": "All right, I will write to you in English.",
    },
    "handed_over": {
        "fr": "Je passe la conversation à l'équipe : votre demande est enregistrée. "
        "Une conseillère ou un conseiller vous répondra ici, {hours}. "
        "Pour revenir à l'assistant avant, écrivez /reprendre.",
        "en": "I'm passing the conversation to the team: your request is recorded. "
        "A counsellor will answer you here, {hours}. "
        "To come back to the assistant before that, write /reprendre.",
    },
    # No counsellors' hours configured (COUNSELLOR_HOURS_FR/EN): none are promised.
    "handed_over_no_hours": {
        "fr": "Je passe la conversation à l'équipe : votre demande est enregistrée. "
        "Une conseillère ou un conseiller vous répondra ici. "
        "Pour revenir à l'assistant avant, écrivez /reprendre.",
        "en": "I'm passing the conversation to the team: your request is recorded. "
        "A counsellor will answer you here. "
        "To come back to the assistant before that, write /reprendre.",
    },
    "web_no_counsellor": {
        "fr": "Une conseillère ou un conseiller ne peut pas vous répondre dans ce clavardage web.",
        "en": "A counsellor cannot answer you in this web chat.",
    },
    "web_liaison_not_sent": {
        "fr": "Je ne peux pas envoyer cette note depuis ce clavardage web : l'équipe ne pourrait pas vous répondre ici. "
        "Vous pouvez la copier et la donner vous-même à l'organisme ou à l'équipe.",
        "en": "I can't send this note from this web chat: the team could not answer you here. "
        "You can copy it and give it yourself to the organisation or to the team.",
    },
    "web_team_contact": {
        "fr": "Pour joindre l'équipe : {contact}",
        "en": "To reach the team: {contact}",
    },
    "web_team_telegram": {
        "fr": "Pour parler à une conseillère ou un conseiller, écrivez-nous sur Telegram : {link}. "
        "L'équipe vous répondra là, {hours}.",
        "en": "To talk with a counsellor, write to us on Telegram: {link}. The team will answer you there, {hours}.",
    },
    "web_team_telegram_no_hours": {
        "fr": "Pour parler à une conseillère ou un conseiller, écrivez-nous sur Telegram : {link}. "
        "L'équipe vous répondra là.",
        "en": "To talk with a counsellor, write to us on Telegram: {link}. The team will answer you there.",
    },
    "web_team_webinar": {
        "fr": "Vous pouvez poser votre question à l'équipe pendant le webinaire ou lors de votre prochaine rencontre.",
        "en": "You can ask the team your question during the webinar or at your next meeting.",
    },
    # No emergency number: none is sourced in knowledge/ (SOURCES.md, "Known gaps").
    "distress": {
        "fr": "Je suis désolé que vous viviez cela. Si vous êtes en danger maintenant, "
        "appelez tout de suite les services d'urgence.",
        "en": "I'm sorry you are going through this. If you are in danger right now, "
        "call the emergency services at once.",
    },
    "data_erased": {
        "fr": "C'est fait : votre conversation et vos réponses sont effacées. "
        "Si vous revenez, je vous redemanderai votre accord.",
        "en": "Done: your conversation and your answers are erased. "
        "If you come back, I will ask for your consent again.",
    },
    "fallback": {
        "fr": "Je ne suis pas sûr d'avoir compris. Pouvez-vous le dire autrement, en quelques mots? "
        "Vous pouvez aussi choisir ici, ou écrire le numéro de votre choix :",
        "en": "I'm not sure I understood. Could you say it another way, in a few words? "
        "You can also pick here, or write the number of your choice:",
    },
    "fallback_again": {
        "fr": "Je ne comprends toujours pas, désolé. Choisissez ici ou écrivez le numéro de votre choix. "
        "Vous pouvez aussi demander à parler à une personne de l'équipe.",
        "en": "I still don't understand, sorry. Pick here or write the number of your choice. "
        "You can also ask to talk to a counsellor.",
    },
    "out_of_scope": {
        "fr": "Désolé, je ne peux pas vous aider pour cela. Je réponds aux questions sur l'installation dans "
        "une région du Québec : les régions, les organismes, les démarches du déménagement. "
        "Vous pouvez choisir ici, ou écrire le numéro de votre choix :",
        "en": "Sorry, I can't help with that. I answer questions about settling in a region of Québec: "
        "the regions, the organisations, the steps of a move. You can pick here, or write the number of your choice:",
    },
    "empty_message": {
        "fr": "Je n'ai reçu aucun mot. Je comprends seulement le texte : écrivez-moi votre question, ou choisissez dans le menu.",
        "en": "I received no words. I only understand text: write me your question, or pick from the menu.",
    },
    # Places
    "unknown_place": {
        "fr": "Je ne connais pas « {place} ». Vouliez-vous dire :",
        "en": 'I don\'t know "{place}". Did you mean:',
    },
    # A municipality whose name is also a word or a place abroad (knowledge/ambiguous_place_names.txt).
    "confirm_place": {
        "fr": "{city}, la municipalité {region_of}?",
        "en": "{city}, the municipality in the {region} region?",
    },
    "place_not_confirmed": {"fr": "D'accord.", "en": "All right."},
    "btn_yes": {"fr": "Oui", "en": "Yes"},
    "btn_no": {"fr": "Non", "en": "No"},
    "unknown_place_no_match": {
        "fr": "Je ne connais pas « {place} ». Vérifiez l'orthographe, ou choisissez une région :",
        "en": 'I don\'t know "{place}". Please check the spelling, or pick a region:',
    },
    "which_region": {
        "fr": "Quelle région ou quelle ville vous intéresse? Écrivez son nom, ou choisissez une région :",
        "en": "Which region or town are you interested in? Write its name, or pick a region:",
    },
    "city_in_region": {
        "fr": "{city} est dans la région {region_of}. {city} compte {population} habitants (recensement 2021), {density} habitants par km².",
        "en": "{city} is in the {region} region. {city} has {population} inhabitants (2021 census), {density} per km².",
    },
    "city_in_region_no_census": {
        "fr": "{city} est dans la région {region_of}.",
        "en": "{city} is in the {region} region.",
    },
    "region_figures": {
        "fr": "{region} : {population} habitants (recensement 2021, {growth} depuis 2016), {area} km², {density} habitants par km².",
        "en": "{region}: {population} inhabitants (2021 census, {growth} since 2016), {area} km², {density} inhabitants per km².",
    },
    "montreal_note": {
        "fr": "C'est la région d'où partent la plupart des candidats : le service vous aide à vous installer ailleurs au Québec.",
        "en": "This is where most candidates leave from: the service helps you settle elsewhere in Québec.",
    },
    "three_cities": {
        "fr": "Trois milieux de vie de tailles différentes :",
        "en": "Three places to live, of three sizes:",
    },
    "city_line": {
        "fr": "• {city} ({size}) : {population} habitants, {density} hab./km²",
        "en": "• {city} ({size}): {population} inhabitants, {density} per km²",
    },
    "size_large": {"fr": "ville principale", "en": "main city"},
    "size_medium": {"fr": "ville moyenne", "en": "mid-sized town"},
    "size_small": {"fr": "petite municipalité", "en": "small municipality"},
    "size_city": {"fr": "ville de plus de 25 000 habitants", "en": "town of over 25,000"},
    "size_village": {"fr": "village de moins de 1 000 habitants", "en": "village of under 1,000"},
    "density_below": {"fr": "moins de {limit}", "en": "under {limit}"},
    "sectors": {
        "fr": "Secteurs en croissance : {sectors}.",
        "en": "Growth sectors: {sectors}.",
    },
    "sectors_source": {
        "fr": "Source : {url} ({year})",
        "en": "Source: {url} ({year})",
    },
    "sectors_low_confidence": {
        "fr": "Cette source est moins sûre : à confirmer avec l'équipe.",
        "en": "This source is less reliable: to be confirmed with the team.",
    },
    "no_sectors": {
        "fr": "Je n'ai pas encore de source sûre sur les secteurs qui embauchent dans cette région.",
        "en": "I don't have a reliable source yet on the sectors hiring in this region.",
    },
    "schools": {
        "fr": "Écoles : {count} centres de services scolaires en français ({names}).",
        "en": "Schools: {count} French-language school service centres ({names}).",
    },
    "schools_one": {
        "fr": "Écoles : un centre de services scolaire en français ({names}).",
        "en": "Schools: one French-language school service centre ({names}).",
    },
    "schools_en": {
        "fr": "En anglais : {names}.",
        "en": "In English: {names}.",
    },
    "adult_education": {
        "fr": "Éducation des adultes (on y donne souvent la francisation) : {count} centres, entre autres à {places}.",
        "en": "Adult education (often where French courses are given): {count} centres, including in {places}.",
    },
    "adult_education_one": {
        "fr": "Éducation des adultes (on y donne souvent la francisation) : un centre, à {places}.",
        "en": "Adult education (often where French courses are given): one centre, in {places}.",
    },
    "region_sources": {
        "fr": "Sources : Statistique Canada (recensement 2021), ministère des Affaires municipales, ministère de l'Éducation (2022).",
        "en": "Sources: Statistics Canada (2021 census), Québec municipal affairs ministry, Québec education ministry (2022).",
    },
    "what_next": {
        "fr": "Que voulez-vous savoir de plus sur cette région?",
        "en": "What else would you like to know about this region?",
    },
    "btn_organisations": {"fr": "Organismes", "en": "Organisations"},
    "btn_jobs": {"fr": "Emplois", "en": "Jobs"},
    "btn_housing": {"fr": "Logement", "en": "Housing"},
    "btn_counsellor": {"fr": "Parler à l'équipe", "en": "Talk to a counsellor"},
    "btn_menu": {"fr": "Menu", "en": "Menu"},
    # Jobs
    "jobs_intro": {
        "fr": "Emplois dans la région {region_of} :",
        "en": "Jobs in the {region} region:",
    },
    "jobs_profession": {
        "fr": "Pour votre métier ({profession}), une personne de l'équipe peut vous aider à cibler les employeurs de la région et à préparer votre CV.",
        "en": "For your trade ({profession}), a counsellor can help you target the region's employers and prepare your CV.",
    },
    "jobs_general": {
        "fr": "Un emploi, si possible dans votre domaine, est une des deux clés d'une installation durable (l'autre est un réseau sur place). Dans quelle région cherchez-vous?",
        "en": "A job, ideally in your field, is one of the two keys to settling for good (the other is a local network). Which region are you looking at?",
    },
    # Organisations
    "organisations_intro": {
        "fr": "Organismes qui peuvent vous aider dans la région {region_of} :",
        "en": "Organisations that can help you in the {region} region:",
    },
    "organisations_for_service_missing": {
        "fr": "Je n'ai pas d'organisme pour ce service précis dans cette région; voici ceux que je connais.",
        "en": "I have no organisation for that exact service in this region; here are the ones I know.",
    },
    "organisation_card": {
        "fr": "• {name}{city}\n{services}{website}\nSource : {source} (vue en {seen}{stale})",
        "en": "• {name}{city}\n{services}{website}\nSource: {source} (seen {seen}{stale})",
    },
    "organisation_stale": {"fr": "; information ancienne", "en": "; old information"},
    "organisations_unverified": {
        "fr": "Ces informations viennent de sources publiques et ne sont pas encore vérifiées par l'équipe : contactez l'organisme avant de vous déplacer.",
        "en": "This comes from public sources not yet verified by the team: contact the organisation before you go.",
    },
    "no_organisations": {
        "fr": "Je ne connais pas encore d'organisme vérifié dans la région {region_of}. "
        "Le service Accompagnement Québec du ministère de l'Immigration (MIFI) peut vous orienter vers un organisme local, "
        "et une personne de l'équipe peut vous aider.",
        "en": "I don't know a verified organisation in the {region} region yet. "
        "The Accompagnement Québec service of Québec's immigration ministry (MIFI) can refer you to a local organisation, "
        "and a counsellor can help you.",
    },
    "housing_region_organisations": {
        "fr": "Dans la région {region_of}, vous pouvez demander de l'aide à : {names}.",
        "en": "In the {region} region, you can ask for help from: {names}.",
    },
    # Emergency-departure checklist
    "block_before": {
        "fr": "Avant de quitter Montréal{deadline} :",
        "en": "Before leaving Montréal{deadline}:",
    },
    "block_after": {
        "fr": "Dans les premiers jours à {destination} :",
        "en": "In your first days in {destination}:",
    },
    "deadline": {"fr": " (début {day}, dans {days} jours)", "en": " (start {day}, in {days} days)"},
    "deadline_today": {"fr": " (début aujourd'hui)", "en": " (starting today)"},
    "checklist_line": {"fr": "{icon} {title} : {todo}", "en": "{icon} {title}: {todo}"},
    "checklist_tap": {
        "fr": "Touchez une tâche pour la cocher.",
        "en": "Tap a task to tick it.",
    },
    "welcome_organisation_known": {"fr": "Ici : {name}.", "en": "Here: {name}."},
    "welcome_organisation_unknown": {
        "fr": "Accompagnement Québec (MIFI) peut vous orienter vers l'organisme local.",
        "en": "Accompagnement Québec (MIFI) can refer you to the local organisation.",
    },
    "status_done": {"fr": "Fait", "en": "Done"},
    "status_todo": {"fr": "À faire", "en": "To do"},
    "status_not_applicable": {"fr": "Pas pour moi", "en": "Not for me"},
    "btn_more": {"fr": "En savoir plus", "en": "Learn more"},
    "btn_remaining": {"fr": "Ce qu'il me reste", "en": "What's left"},
    "btn_liaison": {"fr": "Prévenir l'organisme", "en": "Tell the organisation"},
    "btn_start_checklist": {"fr": "Faire mon aide-mémoire", "en": "Make my checklist"},
    "item_source": {"fr": "Source : {source}", "en": "Source: {source}"},
    "marked": {
        "fr": "C'est noté : « {title} » — {status}. Il vous reste {count} tâche(s).",
        "en": 'Noted: "{title}" — {status}. {count} task(s) left.',
    },
    "which_item": {"fr": "Quelle tâche voulez-vous cocher?", "en": "Which task do you want to tick?"},
    "no_checklist": {
        "fr": "Vous n'avez pas encore d'aide-mémoire. Si votre emploi ou votre formation commence bientôt, je peux vous en préparer un.",
        "en": "You don't have a checklist yet. If your job or training starts soon, I can prepare one for you.",
    },
    "remaining_intro": {"fr": "Ce qu'il vous reste à faire{deadline} :", "en": "What is left to do{deadline}:"},
    "remaining_none": {
        "fr": "Tout est fait ou réglé. Bravo, et bonne installation!",
        "en": "Everything is done or settled. Well done, and good luck settling in!",
    },
    "date_unknown_note": {
        "fr": "Dites-moi la date de début quand vous la connaîtrez : je mettrai les tâches dans l'ordre.",
        "en": "Tell me the start date when you know it: I will put the tasks in order.",
    },
    "date_not_understood": {
        "fr": "Je n'ai pas compris la date. Écrivez par exemple « lundi », « le 3 décembre » ou « dans 2 semaines ».",
        "en": 'I didn\'t understand the date. Write for example "Monday", "December 3" or "in 2 weeks".',
    },
    "date_in_past": {
        "fr": "Cette date est déjà passée ({day}). Quelle est la date de début?",
        "en": "That date has already passed ({day}). What is the start date?",
    },
    "destination_changed": {
        "fr": "C'est noté : vous allez maintenant à {destination}. Vos tâches déjà cochées sont gardées.",
        "en": "Noted: you are now going to {destination}. The tasks you already ticked are kept.",
    },
    "liaison_preview": {
        "fr": "Voici la note que l'équipe enverrait à l'organisme d'accueil. Elle ne contient ni votre nom ni vos coordonnées. Voulez-vous qu'on l'envoie?",
        "en": "Here is the note the team would send to the welcome organisation (in French). It contains neither your name nor your contact details. Shall we send it?",
    },
    "liaison_sent": {
        "fr": "Merci. La note est enregistrée et une conseillère ou un conseiller est prévenu : l'équipe la transmettra à l'organisme et vous tiendra au courant.",
        "en": "Thank you. The note is recorded and a counsellor has been alerted: the team will pass it on to the organisation and keep you posted.",
    },
    "btn_send": {"fr": "Oui, envoyez-la", "en": "Yes, send it"},
    "btn_dont_send": {"fr": "Non", "en": "No"},
    # Procedures
    "unconfirmed": {"fr": "À confirmer : {note}", "en": "To be confirmed: {note}"},
    "sources": {"fr": "Sources :", "en": "Sources:"},
    "more_details": {"fr": "Plus de détails :", "en": "More details:"},
    # Mentor pairing (actions/mentors.py)
    "mentor_where": {
        "fr": "Dans quelle ville ou région allez-vous? Je cherche quelqu'un qui y est déjà installé.",
        "en": "Which town or region are you going to? I'll look for someone already settled there.",
    },
    "mentor_suggestions": {
        "fr": "Parler avec quelqu'un qui a vécu le même déménagement aide beaucoup. Près de {place} :",
        "en": "Talking with someone who made the same move helps a lot. Near {place}:",
    },
    "mentor_line": {
        "fr": "• {name} — {reason}\n   Sujets : {topics}",
        "en": "• {name} — {reason}\n   Topics: {topics}",
    },
    "mentor_privacy": {
        "fr": "Si vous demandez un contact, la personne reçoit votre demande. Je vous donne son contact seulement si elle accepte.",
        "en": "If you ask for a contact, the person receives your request. I give you their contact only if they accept.",
    },
    "btn_ask_mentor": {"fr": "Parler avec {name}", "en": "Talk with {name}"},
    "no_mentor_near": {
        "fr": "Je n'ai pas encore de personne installée près de {place} qui accepte d'être contactée. Des organismes de la région offrent du jumelage, et l'équipe peut aussi chercher pour vous.",
        "en": "I don't have anyone settled near {place} who agreed to be contacted yet. Organisations in the region offer pairing, and the team can also look for you.",
    },
    "btn_pairing_organisations": {"fr": "Organismes de jumelage", "en": "Pairing organisations"},
    "btn_other_mentors": {"fr": "Voir d'autres personnes", "en": "See other people"},
    "mentor_pick_one": {
        "fr": "Choisissez la personne avec les boutons de la liste.",
        "en": "Pick the person with the buttons of the list.",
    },
    "mentor_needs_consent": {
        "fr": "Pour transmettre votre demande, nous devons garder cette conversation. Acceptez-vous?",
        "en": "To pass on your request, we need to keep this conversation. Do you agree?",
    },
    "mentor_refused_not_found": {
        "fr": "Cette personne n'est plus dans la liste. Voulez-vous voir d'autres personnes?",
        "en": "This person is no longer on the list. Would you like to see other people?",
    },
    "mentor_refused_unavailable": {
        "fr": "Cette personne n'est plus disponible pour l'instant. Voulez-vous voir d'autres personnes?",
        "en": "This person is not available right now. Would you like to see other people?",
    },
    "mentor_refused_full": {
        "fr": "Cette personne a déjà reçu beaucoup de demandes ce mois-ci. Voulez-vous voir d'autres personnes?",
        "en": "This person already received many requests this month. Would you like to see other people?",
    },
    "mentor_refused_self": {
        "fr": "C'est votre propre fiche de personne-ressource!",
        "en": "That is your own mentor record!",
    },
    "mentor_request_sent": {
        "fr": "C'est envoyé! J'ai demandé à {name} si elle accepte de vous parler. Elle a une semaine pour répondre, et je vous écris dès que j'ai sa réponse.",
        "en": "Sent! I asked {name} whether they agree to talk with you. They have a week to answer, and I'll write to you as soon as I know.",
    },
    "mentor_request_sent_team": {
        "fr": "C'est noté! Une personne de l'équipe va demander à {name} si elle accepte de vous parler (d'ici une semaine). Je vous écris dès que j'ai sa réponse.",
        "en": "Noted! A counsellor will ask {name} whether they agree to talk with you (within a week). I'll write to you as soon as I know.",
    },
    "mentor_contact_again": {
        "fr": "{name} a déjà accepté. Son contact : {value}",
        "en": "{name} already accepted. Their contact: {value}",
    },
    "mentor_already_asked": {
        "fr": "Vous avez déjà demandé à {name}. J'attends sa réponse et je vous écris dès que je l'ai.",
        "en": "You already asked {name}. I'm waiting for their answer and will write as soon as I have it.",
    },
    "mentor_already_declined": {
        "fr": "{name} n'est pas disponible cette fois. Voulez-vous voir d'autres personnes?",
        "en": "{name} is not available this time. Would you like to see other people?",
    },
    "mentor_already_expired": {
        "fr": "{name} n'a pas répondu à votre demande. Voulez-vous demander à quelqu'un d'autre?",
        "en": "{name} did not answer your request. Would you like to ask someone else?",
    },
    "mentor_already_withdrawn": {
        "fr": "{name} ne participe plus au jumelage. Voulez-vous voir d'autres personnes?",
        "en": "{name} no longer takes part in pairing. Would you like to see other people?",
    },
    "mentor_answer_unknown": {
        "fr": "Je ne trouve pas cette demande.",
        "en": "I can't find this request.",
    },
    "mentor_answer_closed": {
        "fr": "Cette demande n'est plus ouverte (elle a déjà une réponse ou a expiré). Merci quand même!",
        "en": "This request is no longer open (it already has an answer or expired). Thank you anyway!",
    },
    "mentor_thanks_yes": {
        "fr": "Merci beaucoup! Je donne votre contact à la personne : elle va vous écrire.",
        "en": "Thank you so much! I'm giving your contact to the person: they will write to you.",
    },
    "mentor_thanks_no": {
        "fr": "C'est noté, merci de m'avoir répondu. Je le dis à la personne avec délicatesse.",
        "en": "Noted, thank you for answering. I'll let the person know kindly.",
    },
    "mentor_signup_intro": {
        "fr": "Merci de vouloir aider! Quelques questions, puis je vous demande votre accord. Vous choisissez les sujets, comment on vous contacte et combien de personnes par mois.",
        "en": "Thank you for wanting to help! A few questions, then I'll ask for your agreement. You choose the topics, how you are contacted and how many people per month.",
    },
    "mentor_signup_declined": {
        "fr": "D'accord, je ne garde rien de ces réponses. Merci quand même!",
        "en": "All right, I don't keep any of these answers. Thank you anyway!",
    },
    "mentor_signup_no_town": {
        "fr": "Je n'ai pas reconnu votre ville du Québec. Recommençons quand vous voulez.",
        "en": "I didn't recognise your Québec town. Let's start again whenever you like.",
    },
    "mentor_signup_no_topic": {
        "fr": "Il faut au moins un sujet dont vous acceptez de parler. Recommençons quand vous voulez.",
        "en": "At least one topic you agree to talk about is needed. Let's start again whenever you like.",
    },
    "mentor_signup_no_contact": {
        "fr": "Il me faut un moyen de vous joindre. Recommençons quand vous voulez.",
        "en": "I need a way to reach you. Let's start again whenever you like.",
    },
    "btn_try_again": {"fr": "Recommencer", "en": "Start again"},
    "mentor_signup_done": {
        "fr": "Merci {name}! Vous êtes maintenant personne-ressource à {place}. Je vous écrirai ici quand quelqu'un voudra vous parler, et vous répondrez oui ou non. Écrivez /mentor pour faire une pause ou arrêter.",
        "en": "Thank you {name}! You are now a mentor in {place}. I'll write to you here when someone wants to talk with you, and you'll answer yes or no. Write /mentor to pause or stop.",
    },
    "mentor_not_yet": {
        "fr": "Vous n'êtes pas inscrit comme personne-ressource. Aimeriez-vous aider les personnes qui préparent leur départ vers votre région?",
        "en": "You are not registered as a mentor. Would you like to help people preparing to move to your region?",
    },
    "btn_become_mentor": {"fr": "Oui, j'aimerais aider", "en": "Yes, I'd like to help"},
    "mentor_rejoin": {
        "fr": "Vous aviez arrêté : pour revenir, je dois vous redemander votre accord.",
        "en": "You had stopped: to come back, I need to ask for your agreement again.",
    },
    "mentor_status_active": {
        "fr": "Vous êtes personne-ressource, et vous recevez des demandes.",
        "en": "You are a mentor, and you receive requests.",
    },
    "mentor_status_paused": {
        "fr": "Vos demandes sont en pause : personne ne vous est proposé pour l'instant.",
        "en": "Your requests are paused: nobody is suggested to you for now.",
    },
    "mentor_status_withdrawn": {
        "fr": "Vous ne participez plus au jumelage : votre fiche n'est plus proposée et votre contact n'est plus donné.",
        "en": "You no longer take part in pairing: your record is not suggested and your contact is not given any more.",
    },
    "mentor_waiting": {
        "fr": "{count} demande(s) attendent votre réponse : utilisez les boutons Oui / Pas cette fois du message reçu.",
        "en": "{count} request(s) are waiting for your answer: use the Yes / Not this time buttons of the message you received.",
    },
    "btn_mentor_active": {"fr": "Reprendre les demandes", "en": "Resume requests"},
    "btn_mentor_paused": {"fr": "Faire une pause", "en": "Pause"},
    "btn_mentor_withdrawn": {"fr": "Arrêter", "en": "Stop"},
    # Webinars (actions/webinars.py)
    "webinar_thanks": {
        "fr": "Merci d'avoir assisté au webinaire sur {regions}! Je suis l'assistant du service de régionalisation : je peux répondre à vos questions sur la région et vous aider à préparer votre projet.",
        "en": "Thank you for attending the webinar on {regions}! I'm the regionalisation service's assistant: I can answer your questions about the region and help you prepare your plan.",
    },
    "webinar_upcoming": {
        "fr": "Bonjour! Le webinaire sur {regions} commence {day} à {hour} (heure de Montréal). En attendant, je peux déjà répondre à vos questions.",
        "en": "Hello! The webinar on {regions} starts {day} at {hour} (Montréal time). Meanwhile, I can already answer your questions.",
    },
    "webinar_link_unknown": {
        "fr": "Je ne reconnais pas ce lien de webinaire. Ce n'est pas grave : je peux quand même vous aider.",
        "en": "I don't recognise this webinar link. No problem: I can still help you.",
    },
    "webinar_link_cancelled": {
        "fr": "Ce webinaire a été annulé. Désolé! Je peux quand même répondre à vos questions sur les régions.",
        "en": "This webinar was cancelled. Sorry! I can still answer your questions about the regions.",
    },
    "webinar_link_expired": {
        "fr": "Ce lien de webinaire n'est plus actif. Je peux quand même répondre à vos questions sur les régions.",
        "en": "This webinar link is no longer active. I can still answer your questions about the regions.",
    },
    "webinar_ask_followups": {
        "fr": "Puis-je vous écrire ici pour la suite : {when}? Jamais la nuit, et vous pourrez arrêter avec /stop.",
        "en": "May I write to you here to follow up: {when}? Never at night, and you can stop with /stop.",
    },
    # When the follow-ups come, counted from today in Montréal (actions/webinars.py schedule_said).
    "when_today": {"fr": "aujourd'hui", "en": "today"},
    "when_tomorrow": {"fr": "demain", "en": "tomorrow"},
    "when_days": {"fr": "dans {count} jours", "en": "in {count} days"},
    "when_weeks_one": {"fr": "dans une semaine", "en": "in a week"},
    "when_weeks": {"fr": "dans {count} semaines", "en": "in {count} weeks"},
    "when_months_one": {"fr": "dans un mois", "en": "in a month"},
    "when_months": {"fr": "dans {count} mois", "en": "in {count} months"},
    "btn_followups_yes": {"fr": "Oui, écrivez-moi", "en": "Yes, write to me"},
    "btn_followups_no": {"fr": "Non merci", "en": "No thanks"},
    "webinar_followups_yes": {
        "fr": "Merci! Je vous écris {first}. Écrivez /stop quand vous voulez que j'arrête.",
        "en": "Thank you! I'll write to you {first}. Write /stop whenever you want me to stop.",
    },
    "webinar_followups_yes_none_planned": {
        "fr": "Merci, c'est noté. Écrivez /stop quand vous voulez que j'arrête.",
        "en": "Thank you, noted. Write /stop whenever you want me to stop.",
    },
    "webinar_followups_no": {
        "fr": "D'accord, je ne vous écrirai pas. Vous pouvez m'écrire quand vous voulez.",
        "en": "All right, I won't write to you. You can write to me whenever you want.",
    },
    "webinar_day_after": {
        "fr": "Bonjour! Qu'avez-vous pensé du webinaire sur {regions}? Quelle région vous intéresse?",
        "en": "Hello! What did you think of the webinar on {regions}? Which region interests you?",
    },
    "webinar_week_after": {
        "fr": "Bonjour! Voulez-vous préparer votre projet? Je peux vous poser quelques questions, ou vous pouvez rencontrer une conseillère ou un conseiller.",
        "en": "Hello! Would you like to prepare your plan? I can ask you a few questions, or you can meet a counsellor.",
    },
    "webinar_month_after": {
        "fr": "Bonjour! Un petit mot pour prendre de vos nouvelles. Où en est votre projet de vivre en région?",
        "en": "Hello! Just checking in. How is your plan to live in a region going?",
    },
    "webinar_stop_hint": {
        "fr": "(Écrivez /stop pour ne plus recevoir ces messages.)",
        "en": "(Write /stop to stop these messages.)",
    },
    "btn_other_region": {"fr": "Une autre région", "en": "Another region"},
    "btn_start_questionnaire": {"fr": "Préparer mon projet", "en": "Prepare my plan"},
    "btn_meet_counsellor": {"fr": "Rencontrer un conseiller", "en": "Meet a counsellor"},
    "btn_all_good": {"fr": "Ça va, merci", "en": "All good, thanks"},
    "webinar_stopped": {
        "fr": "C'est noté : je ne vous enverrai plus de messages de suivi. Vous pouvez toujours m'écrire.",
        "en": "Noted: I won't send you follow-up messages any more. You can still write to me.",
    },
    # Questionnaire (actions/questionnaire.py)
    "q_intro": {
        "fr": "Bonne idée de bien préparer votre projet! Deux choses comptent le plus pour rester en région : "
        "un emploi (si possible dans votre domaine) et un réseau sur place. "
        "Je vous pose des questions par thème, dans l'ordre que vous voulez. Vous pouvez arrêter et reprendre un autre jour.",
        "en": "Good idea to prepare your plan well! Two things matter most to stay in a region: "
        "a job (ideally in your field) and a network there. "
        "I ask you questions by theme, in the order you like. You can stop and come back another day.",
    },
    "q_menu": {"fr": "Choisissez un thème :", "en": "Pick a theme:"},
    "q_progress": {"fr": "{theme} · question {number} sur {total}", "en": "{theme} · question {number} of {total}"},
    "q_restart_theme": {
        "fr": "Vous aviez déjà répondu à ce thème : vos nouvelles réponses remplaceront les anciennes.",
        "en": "You had already answered this theme: your new answers will replace the earlier ones.",
    },
    "q_theme_done": {"fr": "Merci! Le thème « {theme} » est terminé.", "en": 'Thank you! The "{theme}" theme is done.'},
    "q_all_done": {
        "fr": "Vous avez répondu à tous les thèmes. Bravo!",
        "en": "You have answered every theme. Well done!",
    },
    "q_next_theme": {"fr": "Suivant : {theme}", "en": "Next: {theme}"},
    "q_paused": {
        "fr": "D'accord, on s'arrête ici. Vos réponses sont gardées : écrivez « reprendre le questionnaire » quand vous voulez.",
        "en": 'All right, we stop here. Your answers are kept: write "continue the questionnaire" whenever you want.',
    },
    "q_paused_no_consent": {
        "fr": "Comme vous n'avez pas accepté que nous gardions vos réponses, elles peuvent se perdre si vous revenez dans plusieurs jours.",
        "en": "Since you did not agree that we keep your answers, they may be lost if you come back in several days.",
    },
    "btn_dont_know": {"fr": "Je ne sais pas", "en": "I don't know"},
    "btn_skip": {"fr": "Passer", "en": "Skip"},
    "btn_pause": {"fr": "Continuer plus tard", "en": "Continue later"},
    "btn_report": {"fr": "Voir mon bilan", "en": "See my report"},
    "btn_themes": {"fr": "Les thèmes", "en": "The themes"},
    "btn_self_assessment": {"fr": "Auto-évaluation (facultatif)", "en": "Self-assessment (optional)"},
    "btn_continue": {"fr": "Continuer", "en": "Continue"},
    "choose_an_option": {
        "fr": "Je n'ai pas compris. Choisissez une réponse avec les boutons, ou écrivez son numéro.",
        "en": "I didn't understand. Pick an answer with the buttons, or write its number.",
    },
    "which_choice": {
        "fr": "Lequel voulez-vous dire? Touchez un bouton ou écrivez son numéro.",
        "en": "Which one do you mean? Tap a button or write its number.",
    },
    "choose_on_scale": {
        "fr": "Choisissez un chiffre de 1 à {highest} (1 = pas du tout moi, {highest} = tout à fait moi).",
        "en": "Pick a number from 1 to {highest} (1 = not me at all, {highest} = exactly like me).",
    },
    "q_date_not_understood": {
        "fr": "Je n'ai pas compris la date. Écrivez par exemple « 30 juin » ou « dans 2 mois ».",
        "en": 'I didn\'t understand the date. Write for example "June 30" or "in 2 months".',
    },
    "q_date_in_past": {
        "fr": "Cette date est déjà passée ({day}). Quelle date à venir?",
        "en": "That date has already passed ({day}). Which date to come?",
    },
    "year_not_understood": {
        "fr": "Écrivez l'année avec quatre chiffres, par exemple 2022.",
        "en": "Write the year with four digits, for example 2022.",
    },
    "year_out_of_range": {
        "fr": "Cette année ne semble pas possible. Écrivez une année entre {lowest} et {highest}.",
        "en": "That year does not seem possible. Write a year between {lowest} and {highest}.",
    },
    "ages_not_understood": {
        "fr": "Écrivez l'âge de chaque enfant en chiffres, par exemple « 4 et 9 ».",
        "en": 'Write each child\'s age in numbers, for example "4 and 9".',
    },
    "ages_out_of_range": {
        "fr": "Un âge dépasse {highest} ans. Écrivez l'âge des enfants qui partent avec vous, par exemple « 4 et 9 ».",
        "en": 'One age is over {highest}. Write the ages of the children moving with you, for example "4 and 9".',
    },
    "contact_not_understood": {
        "fr": "Écrivez un nom d'utilisateur Telegram (@nom), une adresse courriel (nom@exemple.org) ou un numéro de téléphone à 10 chiffres.",
        "en": "Write a Telegram username (@name), an e-mail address (name@example.org) or a 10-digit phone number.",
    },
    "text_empty": {
        "fr": "Écrivez votre réponse en quelques mots, ou touchez « Passer ».",
        "en": 'Write your answer in a few words, or tap "Skip".',
    },
    "place_not_found": {
        "fr": "Je n'ai pas reconnu de région ni de ville du Québec dans « {text} ». Écrivez par exemple « Estrie » ou « Rimouski ».",
        "en": 'I didn\'t recognise a Québec region or town in "{text}". Write for example "Estrie" or "Rimouski".',
    },
    # Self-assessment
    "sa_intro": {
        "fr": "Cette auto-évaluation est facultative. Elle vous aide, avec votre conseiller, à voir vos forces pour vivre un changement. "
        "Il n'y a pas de bonne ou de mauvaise réponse. Vous pouvez arrêter quand vous voulez.",
        "en": "This self-assessment is optional. It helps you and your counsellor see your strengths for living a change. "
        "There are no right or wrong answers. You can stop whenever you want.",
    },
    "sa_rate": {"fr": "Est-ce que cette phrase vous ressemble?", "en": "Does this sentence sound like you?"},
    "sa_summary": {
        "fr": "Merci d'avoir pris ce temps. Voici ce que je retiens, simplement pour vous aider à préparer la suite :",
        "en": "Thank you for taking this time. Here is what I note, only to help you prepare what comes next:",
    },
    "sa_strength": {"fr": "💪 {title} : {text}", "en": "💪 {title}: {text}"},
    "sa_to_build": {"fr": "🌱 {title} : {text}", "en": "🌱 {title}: {text}"},
    "sa_balanced": {
        "fr": "Vos réponses sont équilibrées : vous avez déjà des ressources pour ce changement.",
        "en": "Your answers are balanced: you already have resources for this change.",
    },
    "sa_counsellor": {
        "fr": "Votre conseiller pourra en parler avec vous s'il le souhaite.",
        "en": "Your counsellor may talk it over with you.",
    },
    # Decision report
    "report_headline": {
        "fr": "{icon} Votre bilan de préparation : {summary}",
        "en": "{icon} Your preparation report: {summary}",
    },
    "report_line": {"fr": "{icon} {theme}", "en": "{icon} {theme}"},
    "report_reason": {"fr": "   • {reason}", "en": "   • {reason}"},
    "report_empty": {
        "fr": "Vous n'avez pas encore répondu au questionnaire. On commence?",
        "en": "You have not answered the questionnaire yet. Shall we start?",
    },
    "report_counsellor": {
        "fr": "Ce bilan sert à préparer votre rencontre avec l'équipe : il ne décide rien à votre place.",
        "en": "This report helps prepare your meeting with the team: it decides nothing for you.",
    },
    # Which region suits me? (actions/recommendation.py; the reasons come from knowledge/recommendation.yml)
    "rec_intro": {
        "fr": "Voici les régions qui vont le mieux avec ce que vous m'avez dit, et pourquoi. "
        "C'est une piste pour en parler, pas une décision.",
        "en": "Here are the regions that fit best with what you told me, and why. "
        "It is something to talk about, not a decision.",
    },
    "rec_region": {"fr": "{rank}. {region}", "en": "{rank}. {region}"},
    "rec_towns": {"fr": "   Où : {towns}", "en": "   Where: {towns}"},
    "rec_town": {"fr": "{town} ({km} km de Montréal)", "en": "{town} ({km} km from Montréal)"},
    "rec_no_town": {
        "fr": "   Pas de lieu de ce genre dans cette région.",
        "en": "   No place of that kind in this region.",
    },
    "rec_reason": {"fr": "   ✔ {reason}", "en": "   ✔ {reason}"},
    "rec_against": {"fr": "   ✘ {reason}", "en": "   ✘ {reason}"},
    "rec_unknown": {
        "fr": "Je ne savais pas : {unknown}. Avec ces réponses, le choix pourrait changer.",
        "en": "I did not know: {unknown}. With these answers, the choice could change.",
    },
    "rec_unknown_field": {"fr": "votre domaine de travail", "en": "your field of work"},
    "rec_unknown_setting": {"fr": "le genre de lieu que vous aimez", "en": "the kind of place you like"},
    "rec_unknown_car": {"fr": "si vous aurez une voiture", "en": "whether you will have a car"},
    "rec_unknown_max_km": {"fr": "la distance de Montréal acceptée", "en": "how far from Montréal you would go"},
    "rec_unknown_francisation": {"fr": "vos besoins de cours de français", "en": "your need for French courses"},
    "rec_next": {
        "fr": "Voulez-vous voir la fiche d'une région, parler avec une personne déjà installée, ou avec l'équipe?",
        "en": "Would you like to see a region's card, talk with someone already settled there, or with the team?",
    },
    "rec_question_dont_know": {"fr": "Je ne sais pas", "en": "I don't know"},
    "rec_a_few_questions": {
        "fr": "Pour vous conseiller, quelques questions d'abord ({count} au plus). "
        "Touchez une réponse ou écrivez-la; « je ne sais pas » est une bonne réponse aussi.",
        "en": "To advise you, a few questions first ({count} at most). "
        'Tap an answer or write it; "I don\'t know" is a fine answer too.',
    },
    "rec_field_not_understood": {
        "fr": "Je ne connais pas ce domaine. Écrivez votre métier autrement (ex. : infirmière, soudeur), "
        "choisissez un bouton ou écrivez son numéro.",
        "en": "I don't know that field. Write your trade another way (e.g. nurse, welder), "
        "pick a button or write its number.",
    },
    "rec_max_km_not_understood": {
        "fr": "Je n'ai pas compris. Écrivez une distance (ex. : 200 km), choisissez un bouton ou écrivez son numéro.",
        "en": "I didn't understand. Write a distance (e.g. 200 km), pick a button or write its number.",
    },
    "rec_nothing": {
        "fr": "Je n'ai pas assez d'information pour suggérer une région. Un conseiller peut en parler avec vous.",
        "en": "I do not have enough information to suggest a region. A counsellor can talk it over with you.",
    },
    "btn_rec_region_card": {"fr": "Fiche : {region}", "en": "Card: {region}"},
    "btn_rec_mentor": {"fr": "Parler à quelqu'un de là-bas", "en": "Talk to someone there"},
    "the_regions": {"fr": "les régions", "en": "the regions"},
}

# "la région du Bas-Saint-Laurent", "de la Mauricie", "de l'Estrie"…
REGION_OF: dict[str, str] = {
    "Bas-Saint-Laurent": "du Bas-Saint-Laurent",
    "Saguenay–Lac-Saint-Jean": "du Saguenay–Lac-Saint-Jean",
    "Capitale-Nationale": "de la Capitale-Nationale",
    "Mauricie": "de la Mauricie",
    "Estrie": "de l'Estrie",
    "Montréal": "de Montréal",
    "Outaouais": "de l'Outaouais",
    "Abitibi-Témiscamingue": "de l'Abitibi-Témiscamingue",
    "Côte-Nord": "de la Côte-Nord",
    "Nord-du-Québec": "du Nord-du-Québec",
    "Gaspésie–Îles-de-la-Madeleine": "de la Gaspésie–Îles-de-la-Madeleine",
    "Chaudière-Appalaches": "de la Chaudière-Appalaches",
    "Laval": "de Laval",
    "Lanaudière": "de Lanaudière",
    "Laurentides": "des Laurentides",
    "Montérégie": "de la Montérégie",
    "Centre-du-Québec": "du Centre-du-Québec",
}
