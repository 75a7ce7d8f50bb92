"""Which language a message is written in: French, English, or too short to tell.

Counts function words and greetings, which short chat messages are made of; a
statistical detector guesses badly on "ok merci" or "yes please". Pure and fast.
"""

from __future__ import annotations

from app.text import fold, words

FRENCH_WORDS = """je j tu il elle on nous vous ils elles me moi te toi se le la les l un une des du de d
    au aux et ou est sont suis es sommes êtes etes ai as avons avez ont mon ma mes ton ta tes son sa ses
    notre nos votre vos leur leurs ce cet cette ces c ça ca qui que qu quoi quel quelle quels quelles
    dans pour par sur avec sans chez pas ne n plus très tres bien aussi mais donc car comment pourquoi
    où ou quand combien oui non merci bonjour bonsoir salut allo coucou svp stp veux voudrais peux
    puis pouvez faut aller vais vivre habiter déménager demenager trouver chercher cherche emploi
    travail logement région region ville parle parler dire aide aider besoin enfants permis bail
    cours français francais conseiller conseillère rendez vous y a il ya est-ce esque"""
ENGLISH_WORDS = """i i'm im me my mine you your yours he she it we they them our their the a an and or but is are
    am was were be been do does did have has had can could would should will shall not no yes yeah
    yep nope thanks thank please hello hi hey good morning evening what which who whom where when
    why how much many to of in on at for with from about into this that these those there here want
    need help tell move moving live living find looking job jobs work housing apartment rent
    region city town english speak talk counsellor counselor appointment lease licence license
    driving school kids children course courses french"""
FRENCH = frozenset(fold(w) for w in FRENCH_WORDS.split())
ENGLISH = frozenset(fold(w) for w in ENGLISH_WORDS.split())
# Words both languages share ("a", "ou", "on", "me", "pour" typos…) count for neither.
_SHARED = FRENCH & ENGLISH


def detect_language(text: str) -> str | None:
    """'fr', 'en', or None when the message gives no clear sign."""
    tokens = words(text)
    fr = sum(1 for w in tokens if w in FRENCH and w not in _SHARED)
    en = sum(1 for w in tokens if w in ENGLISH and w not in _SHARED)
    if fr == en:
        return None
    return "fr" if fr > en else "en"
