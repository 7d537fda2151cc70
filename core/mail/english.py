"""What the note-to-sentence builder knows of English words, and how it reads a phrase.

:mod:`afterword.core.mail.sentences` turns a person's notes into sentences only
when it recognises their shape with confidence. That needs a little knowledge
of words: which are pronouns and determiners, which are common verbs (so
"Runs the routing team" is a verb phrase, not a topic), which are adjectives
("Interested in ...", "Very nice person"), which nouns need an article
("Remote-first team"). The lists are small and cover what people write in
interview notes; a word they don't know makes the builder flag a note rather
than guess, which is the safe side.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[\w'-]+", text))


# First words that make a note a sentence in its own right ("We both like DuckDB.").
PRONOUNS = _words(
    "i i'm i've i'd i'll we we're we've you you're you've it it's they they're there thank thanks"
)
# First words of a noun phrase ("Your story about ..."), a sentence only with a verb in it.
DETERMINERS = _words("the your our my this that their these those a an")
# Gerunds that start something the writer enjoyed ("Meeting the whole team").
ENJOYED_GERUNDS = _words("hearing seeing learning meeting talking")
# Words inside a phrase after which a verb belongs to a clause of its own
# ("problems I find fun", "a publisher that cares"), not to the phrase's subject.
CLAUSE_OPENERS = _words("that who which whom whose i we you they he she it")
# Subjects inside a longer phrase that make it a clause ("..., and they publish ...").
CLAUSE_SUBJECTS = _words("i we they it you")
# Words that show the note is about the person, not written to them.
THIRD_PERSON = _words("she he her his him hers recruiter interviewer")
AUXILIARIES = _words(
    "is are was were be been am has have had do does did will would can could should may "
    "might must shall won't can't isn't aren't wasn't weren't doesn't didn't hasn't haven't"
)
PREPOSITIONS = _words("on of for with in at to from by about into onto over under after before")
# Intensifiers and evaluations: a phrase they start is an impression, not a topic.
ADVERBS = _words(
    "very really quite so too super pretty extremely rather fairly somewhat also just still "
    "maybe probably definitely not"
)
EVALUATIVE = _words(
    "great nice good cool friendly lovely amazing awesome interesting impressive kind smart "
    "fun funny warm welcoming helpful excellent fantastic wonderful brilliant chill relaxed "
    "sharp strong solid tough hard easy bad weird odd"
)
# Adjectives that say how someone felt about something ("Interested in my Rust experience").
FEELING_ADJECTIVES = _words(
    "interested impressed curious excited keen passionate eager enthusiastic happy pleased "
    "thrilled fascinated"
)
# Adjectives that need a complement ("Close to home", "Open to referring me").
PREDICATIVE_ADJECTIVES = FEELING_ADJECTIVES | _words(
    "close near open big keen fond aligned similar relevant related based focused new used "
    "familiar good great bad"
)
# Words before a noun: the next word is a noun, not a verb ("new hires", "two runs").
NOUN_MODIFIERS = _words(
    "new old other first last next junior senior many few several some all more most own any "
    "each both two three four five six seven eight nine ten"
)
# Singular nouns that need an article: "talking about remote-first team" would not read.
COUNT_NOUNS = _words(
    "team person guy company startup office manager boss role job position place platform "
    "project tool app book idea colleague candidate opportunity group department org "
    "organisation organization city house engineer lead founder ceo cto"
)
# Nouns of things said or done in the conversation: "I especially enjoyed your story".
EVENT_NOUNS = _words(
    "story stories talk demo tour presentation question questions explanation example "
    "examples insight insights perspective advice feedback walkthrough overview anecdote "
    "anecdotes lunch chat conversation discussion exercise session joke jokes tips tip"
)
# Subject-less past tenses that the interviewer did in the conversation ("Asked about X").
YOU_VERBS = _words(
    "asked told showed explained gave offered recommended mentioned said shared introduced "
    "answered described suggested invited clarified presented outlined highlighted demoed "
    "demonstrated promised encouraged"
)
# ... and ones that are theirs only with "my" or "me" in the note: "Liked my portfolio"
# is what they did, "Loved the office" may well be what the writer felt.
YOU_WITH_ME_VERBS = _words(
    "liked loved enjoyed appreciated valued praised walked took helped pointed"
)
ME = _words("my me mine myself")
# Verbs that say why the writer is interested, with "I" left off ("Love their mission").
FIRST_PERSON_VERBS = _words("love like admire enjoy want believe care value share respect")
# Common verbs (base forms) that people leave the subject off in notes.
_BASE_VERBS = _words(
    "ask tell show explain give offer recommend mention say share walk introduce answer "
    "describe suggest invite point take help clarify present outline highlight demo "
    "demonstrate promise note stress encourage like love enjoy appreciate value praise want "
    "need run lead manage work build ship use hire plan send live move grow join leave start "
    "found own write read code test review teach learn know think believe feel seem look "
    "sound care hope expect prefer support focus spend travel play speak talk discuss chat "
    "cover go come meet make do get see hear find keep bring buy sell pay cost try call "
    "email reply report sit change design develop deploy release maintain handle mentor coach "
    "interview visit attend organise organize prepare agree decide confirm fix break scale "
    "migrate rewrite refactor matter wish mean study graduate ride cook climb swim stay "
    "inspire impress surprise resonate stick"
)
_IRREGULAR_PAST = _words(
    "told showed shown gave given said took taken made thought wrote written drew grew went "
    "came met spent left led built ran sent brought bought sold taught knew felt found kept "
    "got saw seen heard spoke began became won lost held paid had did was were"
)
# Words ending in -ed that are not past tenses.
_NOT_PAST = _words("need speed feed seed shed bed red embed hundred breed sacred bred wicked naked")


def _third_person(base: str) -> str:
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return f"{base}es"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return f"{base[:-1]}ies"
    return f"{base}s"


def _regular_past(base: str) -> set[str]:
    if base.endswith("e"):
        return {f"{base}d"}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return {f"{base[:-1]}ied"}
    # "shipped", "planned", "chatted": the doubled consonant, and the plain form too.
    return {f"{base}ed", f"{base}{base[-1]}ed"}


THIRD_PERSON_VERBS = frozenset(_third_person(base) for base in _BASE_VERBS) | _words("has does")
_KNOWN_PAST = _IRREGULAR_PAST | frozenset(
    form for base in _BASE_VERBS for form in _regular_past(base)
)
BASE_VERBS = _BASE_VERBS


def is_past(word: str) -> bool:
    """A past tense: a known one, or a word ending in -ed that is not a noun ("need")."""
    if word in _KNOWN_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST


def is_known_past(word: str) -> bool:
    """The past tense of a verb on the list ("worked", "grew"), not just any word in -ed."""
    return word in _KNOWN_PAST


def main_verb(words: list[str], start: int) -> int:
    """Where the verb of the phrase's own clause surely is, from ``start`` on, or -1."""
    index, sure = _verb(words, start)
    return index if sure else -1


def unsure_verb(words: list[str], start: int) -> bool:
    """Whether a word from ``start`` on may be the phrase's verb, or may be a noun.

    "Your story about mentoring distributed teams": "distributed" could be
    "the story ... distributed teams" or an adjective; the builder won't guess.
    """
    index, sure = _verb(words, start)
    return index >= 0 and not sure


def _verb(words: list[str], start: int) -> tuple[int, bool]:
    """The first word from ``start`` on that may be the verb of the phrase, and if surely.

    ``words`` are lower-case. A verb right after "that", "who" or a pronoun
    belongs to a clause inside the phrase ("problems I find fun") and does not
    count, nor does a word after a determiner, a preposition or "new" ("new
    hires"). A word that could be a plural noun as well ("reviews", "work")
    counts only when something follows it ("The team ships weekly" but not
    "Their code reviews"), and after a preposition it is only perhaps a verb.
    """
    for index in range(max(start, 1), len(words)):
        word, before = words[index], words[index - 1]
        if before in CLAUSE_OPENERS | DETERMINERS | PREPOSITIONS | NOUN_MODIFIERS:
            continue
        if word in AUXILIARIES or is_known_past(word):
            return index, True
        last = index == len(words) - 1
        # "The engineers work remotely": a base form after a plural.
        ambiguous = word in THIRD_PERSON_VERBS or (word in BASE_VERBS and _plural(before))
        if is_past(word) or (ambiguous and not last):
            return index, not PREPOSITIONS & set(words[1:index])
    return -1, True


def _plural(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def head_noun(words: list[str]) -> str:
    """The noun a phrase is about: the word before its first preposition, else its last."""
    for index, word in enumerate(words[1:], start=1):
        if word in PREPOSITIONS:
            return words[index - 1]
    return words[-1] if words else ""
