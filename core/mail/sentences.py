"""Turning a person's notes into sentences a draft can hold, and dates into words.

Notes are written for oneself ("Asked about streaming vs batch.", "Safety
certification stories.", "Very friendly; salary band shared."). Pasted raw
after a colon they read like a form letter. :func:`note_sentence` makes a note
into a sentence only where it recognises the shape with confidence (a full
sentence stays as written, a subject-less "Asked about X" becomes "I was glad
you asked about X.", a topic becomes "I especially enjoyed talking about X.")
and otherwise leaves it out of the draft and says why, so the person can
write the sentence themselves: a wrong guess ("I was glad you interested in
...", "talking about runs the routing team") is worse than a gap.
:func:`reason_sentence` does the same for the "why I'm interested" text. The
knowledge of words both use is in :mod:`afterword.core.mail.english`.

:func:`natural_day` says "today", "yesterday" or the weekday for days close to
the draft, and the date only when it is further away. Pure functions, English
whatever the system's locale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from afterword.core.mail import english

# Above this many words a note is a record of the interview, not one thing to mention.
LONG_NOTE_WORDS = 45
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Subject-less past tenses after which "we" is the subject ("Talked about X"), with
# the words that must follow for it to mean a conversation ("Went over", not "Went to").
_SHARED_VERBS: dict[str, tuple[str, frozenset[str]]] = {
    "talked": ("talking", frozenset()),
    "discussed": ("discussing", frozenset()),
    "chatted": ("chatting", frozenset()),
    "covered": ("discussing", frozenset()),
    "went": ("going", frozenset({"over", "through"})),
    "spoke": ("talking", frozenset({"about"})),
}
_WH_WORDS = frozenset(["how", "what", "why", "where", "when", "who", "which"])
# Trailing words that only say "we talked about it" ("Idempotency keys discussion").
_TOPIC_TAILS = frozenset(
    ["discussion", "discussions", "chat", "talk", "conversation", "stories", "story"]
)
_TERMINAL = (".", "!", "?")
# Words that make a phrase more than a topic: someone does something in it.
_TOPIC_BLOCKERS = frozenset(["me", "my", "i", "you", "we", "us", "they", "to", "not", "no"])
_WORD = re.compile(r"[\w'’-]+")
# An independent clause joined on: "Small team, ..., and they publish their postmortems."
_JOINED_CLAUSE = re.compile(r",\s*(?:and |but )?(?:i|we|they|it|you)\b", re.IGNORECASE)
NOT_A_SENTENCE = "it is not a full sentence"


@dataclass(frozen=True)
class NoteSentence:
    """A note (or a reason for interest) made into a sentence, or left out and why.

    ``text`` is empty when the note is empty or could not be made into a
    sentence; ``problem`` is empty when nothing needs the person's attention.
    """

    text: str
    problem: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.problem)


def note_sentence(note: str) -> NoteSentence:
    """``note`` as one or more sentences to put in a draft, or why it can't be."""
    clean = " ".join(note.split())
    if not clean:
        return NoteSentence("")
    words = _WORD.findall(clean)
    lowered = [word.casefold() for word in words]
    if "\n" in note.strip() or ";" in clean or clean.lstrip().startswith(("-", "*", "•")):
        return NoteSentence("", "it reads like a list of private notes")
    if len(words) > LONG_NOTE_WORDS:
        return NoteSentence("", f"it is long ({len(words)} words); pick one thing from it")
    if clean.endswith("?"):
        return NoteSentence("", "it is a question")
    if english.THIRD_PERSON & set(lowered):
        return NoteSentence("", "it is written about them, not to them")
    if not words:
        return NoteSentence("", NOT_A_SENTENCE)
    first = lowered[0]
    body = clean.rstrip(".!")
    if len(words) >= 3 and first in english.PRONOUNS:
        return NoteSentence(_finished(_capitalized(clean)))
    if first in english.ENJOYED_GERUNDS:
        return NoteSentence(f"I especially enjoyed {_decapitalized(body)}.")
    if first == "that" and len(words) > 1 and lowered[1] in english.CLAUSE_OPENERS:
        return NoteSentence(f"I especially enjoyed hearing {_decapitalized(body)}.")
    if first in english.DETERMINERS:
        if len(words) >= 3 and english.main_verb(lowered, 2) >= 0:
            return NoteSentence(_finished(_capitalized(clean)))
        if english.unsure_verb(lowered, 2):
            return NoteSentence("", NOT_A_SENTENCE)
        if english.head_noun(lowered) in english.EVENT_NOUNS:
            return NoteSentence(f"I especially enjoyed {_decapitalized(body)}.")
        return NoteSentence(f"I especially enjoyed talking about {_decapitalized(body)}.")
    made = _without_subject(body, lowered)
    if made is not None:
        return made
    if len(words) >= 6 and clean[0].isupper() and english.main_verb(lowered, 1) >= 0:
        # A longer sentence that starts with a name or a noun ("Route planning is ...").
        return NoteSentence(_finished(clean))
    if _is_topic(lowered):
        topic = _without_topic_tail(body)
        if " " not in topic and topic != body:
            # "Coffee chat" is the conversation itself, not "talking about coffee".
            return NoteSentence(f"I especially enjoyed our {_lower_first(body)}.")
        head = english.head_noun([word.casefold() for word in topic.split()])
        if head in english.EVENT_NOUNS and not head.endswith("s"):
            # "Pair programming exercise": something done together, and one of it.
            return NoteSentence(f"I especially enjoyed the {_lower_first(topic)}.")
        return NoteSentence(f"I especially enjoyed talking about {_lower_first(topic)}.")
    return NoteSentence("", NOT_A_SENTENCE)


def reason_sentence(reason: str) -> NoteSentence:
    """The "why I'm interested" text as a sentence, or left out and why.

    A sentence stays as the person wrote it; a phrase ("A publisher that cares
    about plain language.") becomes "What draws me is a publisher that ...";
    "Love their mission" and "Passionate about maps" get their "I". A shape
    that can't be made into a sentence with confidence ("Mission-driven
    company", "Close to home", "Builds tools I use") is flagged instead.
    """
    clean = " ".join(reason.split())
    if not clean:
        return NoteSentence("")
    words = _WORD.findall(clean)
    lowered = [word.casefold() for word in words]
    if "\n" in reason.strip() or ";" in clean or clean.lstrip().startswith(("-", "*", "•")):
        return NoteSentence("", "it reads like a list of private notes")
    if clean.endswith("?"):
        return NoteSentence("", "it is a question")
    if not words:
        return NoteSentence("", NOT_A_SENTENCE)
    first = lowered[0]
    body = clean.rstrip(".!")
    rest = _after_first_word(body, words[0])
    has_verb = english.main_verb(lowered, 1) >= 0
    unsure = english.unsure_verb(lowered, 1)
    if first == "because" and len(words) >= 3:
        if lowered[1] == "of":
            return NoteSentence(f"What draws me is {_after_first_word(rest, words[1])}.")
        return NoteSentence(f"What draws me is that {rest}.")
    if len(words) >= 3 and (
        first in english.PRONOUNS
        or (first in english.DETERMINERS and english.main_verb(lowered, 2) >= 0)
    ):
        return NoteSentence(_finished(_capitalized(clean)))
    if _JOINED_CLAUSE.search(clean) or (len(words) >= 6 and clean[0].isupper() and has_verb):
        return NoteSentence(_finished(_capitalized(clean)))
    if first in english.FIRST_PERSON_VERBS and rest:
        return NoteSentence(f"I {_decapitalized(body)}.")
    second = lowered[1] if len(words) > 1 else ""
    if first in english.FEELING_ADJECTIVES and second in english.PREPOSITIONS:
        return NoteSentence(f"I am {_decapitalized(body)}.")
    if first in english.DETERMINERS and not unsure:
        return NoteSentence(f"What draws me is {_decapitalized(body)}.")
    if _is_verb_phrase(lowered):
        return NoteSentence("", f"it does not say who “{_decapitalized(body)}”")
    adjective = first in english.PREDICATIVE_ADJECTIVES or english.is_past(first)
    if has_verb or unsure or first in english.ADVERBS:
        return NoteSentence("", NOT_A_SENTENCE)
    if adjective and second in english.PREPOSITIONS:
        return NoteSentence("", NOT_A_SENTENCE)
    if english.head_noun(lowered) in english.COUNT_NOUNS and not english.DETERMINERS & set(lowered):
        # "What draws me is mission-driven company" lacks its "a"; which one, the person knows.
        return NoteSentence("", NOT_A_SENTENCE)
    return NoteSentence(f"What draws me is {_lower_first(body)}.")


def natural_day(day: date, today: date) -> str:
    """ "today", "yesterday", "tomorrow", a weekday within six days, else "10 March" (2027)."""
    offset = (day - today).days
    if offset == 0:
        return "today"
    if offset == -1:
        return "yesterday"
    if offset == 1:
        return "tomorrow"
    if -6 <= offset <= 6:
        return _WEEKDAYS[day.weekday()]
    if day.year == today.year:
        return f"{day.day} {MONTH_NAMES[day.month - 1]}"
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def on_day(day: date, today: date) -> str:
    """:func:`natural_day` with "on" where English needs it: "yesterday", "on Monday"."""
    phrase = natural_day(day, today)
    return phrase if phrase in ("today", "yesterday", "tomorrow") else f"on {phrase}"


def long_date(day: date) -> str:
    """Like "Tuesday, 10 March 2026", in English whatever the system's locale."""
    return f"{_WEEKDAYS[day.weekday()]}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _without_subject(body: str, lowered: list[str]) -> NoteSentence | None:
    """A note that starts with its verb ("Asked about X"), made into a sentence or flagged.

    ``None`` when the note does not start with a verb (it may be a topic).
    """
    first = lowered[0]
    second = lowered[1] if len(lowered) > 1 else ""
    rest = _after_first_word(body, body.split()[0])
    if not rest:
        return None
    if first in _SHARED_VERBS:
        gerund, needed = _SHARED_VERBS[first]
        if not needed or second in needed:
            return NoteSentence(f"I especially enjoyed {gerund} {rest}.")
    if first == "about":
        return NoteSentence(f"I especially enjoyed talking about {rest}.")
    if first in _WH_WORDS:
        return NoteSentence(f"I especially enjoyed hearing {_decapitalized(body)}.")
    about_me = bool(english.ME & set(lowered[1:]))
    if first in english.YOU_VERBS or (first in english.YOU_WITH_ME_VERBS and about_me):
        return NoteSentence(f"I was glad you {_decapitalized(body)}.")
    if first in english.FEELING_ADJECTIVES and second in english.PREPOSITIONS:
        if not about_me:
            # "Excited about the product": who was, they or the writer?
            return NoteSentence("", NOT_A_SENTENCE)
        # "Interested in my Rust experience": only they can be, in a note about them.
        return NoteSentence(f"I was glad you were {_decapitalized(body)}.")
    if _is_verb_phrase(lowered) or first in english.YOU_WITH_ME_VERBS:
        # "Runs the routing team", "Will send a take-home": who? The person knows.
        return NoteSentence("", f"it does not say who “{_decapitalized(body)}”")
    return None


def _is_verb_phrase(words: list[str]) -> bool:
    """Whether a phrase starts with a verb (and so lacks its subject): "Runs the team"."""
    first = words[0]
    if len(words) < 2:
        return False
    second = words[1]
    # What can follow a verb but hardly a noun or adjective: "Worked at", "Grew up", "Love the".
    follows_a_verb = (
        second in english.DETERMINERS
        or second in english.PREPOSITIONS
        or second in {"me", "us", "them", "it", "up", "out", "someone", "something", "a", "an"}
        or second.endswith("ly")
    )
    if first in english.AUXILIARIES or first in english.THIRD_PERSON_VERBS:
        return True
    if english.is_known_past(first):
        return True
    if english.is_past(first) or first in english.BASE_VERBS:
        return follows_a_verb
    return False


def _is_topic(words: list[str]) -> bool:
    """A short subject of conversation ("Safety certification stories", "streaming vs batch").

    Not one that says who did what ("Open to referring me", "Team works on
    payments"), not an impression ("Very nice person", "Great team culture"),
    not a heading with a bare noun in front ("Case on depot placement") and not
    a noun that needs an article ("Remote-first team"): "talking about" would
    make those ungrammatical.
    """
    if not words or len(words) > 5 or _TOPIC_BLOCKERS & set(words):
        return False
    first = words[0]
    if first in english.ADVERBS | english.EVALUATIVE | english.PREDICATIVE_ADJECTIVES:
        return False
    if first in english.AUXILIARIES or english.is_known_past(first):
        return False
    if len(words) > 1 and words[1] in english.PREPOSITIONS and not first.endswith("ing"):
        return False
    if english.main_verb(words, 1) >= 0 or english.unsure_verb(words, 1):
        return False
    kept = _without_topic_tail(" ".join(words)).split()
    if (len(kept) == 1 and kept != words) or english.DETERMINERS & set(kept):
        return True
    return english.head_noun(kept) not in english.COUNT_NOUNS


def _after_first_word(text: str, first_word: str) -> str:
    return text[text.find(first_word) + len(first_word) :].strip()


def _without_topic_tail(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[-1].casefold() in _TOPIC_TAILS:
        words.pop()
    return " ".join(words)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _finished(text: str) -> str:
    return text if text.endswith(_TERMINAL) else f"{text}."


def _decapitalized(text: str) -> str:
    """Lower-case the first letter, for a first word known not to be a name ("Asked", "The")."""
    return text[:1].lower() + text[1:]


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word looks like a name or an acronym."""
    first, _, rest = text.partition(" ")
    looks_like_name = (
        any(letter.isupper() for letter in first[1:])
        or not first.isascii()
        or (rest[:1].isupper() and not rest.split()[0].isupper() if rest else False)
    )
    if looks_like_name:
        return text
    return text[:1].lower() + text[1:]
