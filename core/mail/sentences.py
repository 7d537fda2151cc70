"""Turning a person's notes into sentences a draft can hold, and dates into words.

Notes are written for oneself ("Asked about streaming vs batch.", "Safety
certification stories.", "Very friendly; salary band shared."). Pasted raw
after a colon they read like a form letter. :func:`note_sentence` makes a note
into a sentence where the shape is clear (a full sentence stays as written, a
subject-less "Asked about X" becomes "I was glad you asked about X.", a topic
becomes "I especially enjoyed talking about X.") and otherwise leaves it out of
the draft and says why, so the person can write the sentence themselves.

:func:`natural_day` says "today", "yesterday" or the weekday for days close to
the draft, and the date only when it is further away. Pure functions, English
whatever the system's locale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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
# First words that make a note a sentence in its own right ("We both like DuckDB.").
_PRONOUNS = frozenset(["i", "i'm", "i've", "i'd", "i'll", "we", "we're", "we've", "you"])
_PRONOUNS |= {"you're", "you've", "it", "it's", "they", "they're", "there", "thank", "thanks"}
# First words of a noun phrase ("Your story about ..."), a sentence only with a verb in it.
_DETERMINERS = frozenset(["the", "your", "our", "my", "this", "that", "their", "these"])
_DETERMINERS |= {"those", "hearing", "seeing", "learning", "meeting", "talking"}
# Common verbs: a noun phrase holding one of these is a sentence ("The team ships weekly").
_VERBS = frozenset(
    re.findall(
        r"\w+",
        "is are was were be been am have has had do does did can could will would should may "
        "might must like likes love loves want wants need needs find finds found think "
        "thinks know knows knew make makes show shows ship ships build builds give gives "
        "tell tells says seem seems feel feels felt get gets got help helps teach teaches "
        "taught run runs ran work works matter matters sounds sounded ",
    )
)
# Subjects inside a longer phrase that make it a clause ("..., and they publish ...").
_CLAUSE_SUBJECTS = frozenset(["i", "we", "they", "it", "you"])
# Words that show the note is about the person, not written to them.
_THIRD_PERSON = frozenset(["she", "he", "her", "his", "him", "hers", "recruiter", "interviewer"])
# Subject-less past-tense verbs after which "we" is the subject ("Talked about X").
_SHARED_VERBS = {
    "talked": "talking",
    "discussed": "discussing",
    "chatted": "chatting",
    "covered": "discussing",
    "went": "going",
    "spoke": "talking",
}
_IRREGULAR_PAST = frozenset(
    ["told", "showed", "gave", "said", "took", "made", "thought", "wrote", "drew", "walked"]
)
# Words ending in -ed that are not past tenses.
_NOT_VERBS = frozenset(
    ["need", "speed", "feed", "seed", "shed", "bed", "red", "embed", "hundred", "breed", "sacred"]
)
_WH_WORDS = frozenset(["how", "what", "why", "where", "when", "who", "which", "that"])
# Trailing words that only say "we talked about it" ("Idempotency keys discussion").
_TOPIC_TAILS = frozenset(
    ["discussion", "discussions", "chat", "talk", "conversation", "stories", "story"]
)
_TERMINAL = (".", "!", "?")
_PREPOSITIONS = frozenset(["on", "of", "for", "with", "in", "at", "to", "from", "by"])
# Words that make a phrase more than a topic: someone does something in it.
_TOPIC_BLOCKERS = frozenset(["me", "my", "i", "you", "we", "us", "they", "to", "not", "no"])
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class NoteSentence:
    """A note made into a sentence (``text``), or left out with ``problem`` saying why.

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
    if _THIRD_PERSON & set(lowered):
        return NoteSentence("", "it is written about them, not to them")
    first = lowered[0] if lowered else ""
    body = clean.rstrip(".!")
    if len(words) >= 3 and (first in _PRONOUNS or (first in _DETERMINERS and _has_verb(lowered))):
        return NoteSentence(_finished(_capitalized(clean)))
    if first in _DETERMINERS:
        return NoteSentence(f"I especially enjoyed {_lower_first(body)}.")
    rest = body[len(words[0]) :].strip() if words else ""
    if first in _SHARED_VERBS and rest:
        return NoteSentence(f"I especially enjoyed {_SHARED_VERBS[first]} {rest}.")
    if first == "about" and rest:
        return NoteSentence(f"I especially enjoyed talking about {rest}.")
    if first in _WH_WORDS and rest:
        return NoteSentence(f"I especially enjoyed hearing {_lower_first(body)}.")
    if _is_past_verb(first) and rest:
        return NoteSentence(f"I was glad you {_lower_first(body)}.")
    if len(words) >= 6 and clean[0].isupper() and _has_verb(lowered):
        # A longer sentence that starts with a name or a noun ("Route planning is ...").
        return NoteSentence(_finished(clean))
    if _is_topic(lowered):
        topic = _without_topic_tail(body)
        return NoteSentence(f"I especially enjoyed talking about {_lower_first(topic)}.")
    return NoteSentence("", "it is not a full sentence")


def reason_sentence(reason: str) -> str:
    """The "why I'm interested" text as a sentence.

    A sentence stays as the person wrote it; a phrase ("A publisher that cares
    about plain language.") becomes "What draws me is a publisher that ...".
    """
    clean = " ".join(reason.split())
    if not clean:
        return ""
    words = [word.casefold() for word in _WORD.findall(clean)]
    has_subject = bool(_CLAUSE_SUBJECTS & set(words[1:]))
    starts_a_clause = words[0] in _PRONOUNS or (words[0] in _DETERMINERS and _has_verb(words))
    if (starts_a_clause and len(words) >= 3) or (len(words) >= 8 and has_subject):
        return _finished(_capitalized(clean))
    return f"What draws me is {_lower_first(clean.rstrip('.!'))}."


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


def _is_topic(words: list[str]) -> bool:
    """A short subject of conversation ("Safety certification stories", "streaming vs batch").

    Not one that says who did what ("Open to referring me") and not a heading
    with a bare noun in front ("Case on depot placement"): "talking about" would
    make those ungrammatical.
    """
    if not words or len(words) > 5 or _TOPIC_BLOCKERS & set(words):
        return False
    return not (len(words) > 1 and words[1] in _PREPOSITIONS and not words[0].endswith("ing"))


def _has_verb(words: list[str]) -> bool:
    return any(word in _VERBS or _is_past_verb(word) for word in words[1:])


def _is_past_verb(word: str) -> bool:
    if word in _IRREGULAR_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and word not in _NOT_VERBS


def _without_topic_tail(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[-1].casefold() in _TOPIC_TAILS:
        words.pop()
    return " ".join(words)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _finished(text: str) -> str:
    return text if text.endswith(_TERMINAL) else f"{text}."


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
