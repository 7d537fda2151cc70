"""Notes made into sentences, reasons as sentences, days said as people say them."""

from __future__ import annotations

from datetime import date

import pytest

from afterword.core.mail.sentences import natural_day, note_sentence, on_day, reason_sentence
from afterword.core.mail.templates import choose_wording, fill

WEDNESDAY = date(2026, 3, 11)


@pytest.mark.parametrize(
    ("note", "sentence"),
    [
        ("We both like DuckDB.", "We both like DuckDB."),
        ("i enjoyed the whiteboard part", "I enjoyed the whiteboard part."),
        ("The team ships weekly", "The team ships weekly."),
        ("Asked about streaming vs batch.", "I was glad you asked about streaming vs batch."),
        ("Liked my error-message rewrite.", "I was glad you liked my error-message rewrite."),
        ("Talked about motor control.", "I especially enjoyed talking about motor control."),
        ("discussed the on-call rota", "I especially enjoyed discussing the on-call rota."),
        ("how they test firmware", "I especially enjoyed hearing how they test firmware."),
        ("about grid forecasting", "I especially enjoyed talking about grid forecasting."),
        ("Your story about the migration", "I especially enjoyed your story about the migration."),
        ("Meeting the whole team", "I especially enjoyed meeting the whole team."),
        ("Idempotency keys discussion.", "I especially enjoyed talking about idempotency keys."),
        ("SQL window functions", "I especially enjoyed talking about SQL window functions."),
        ("Zürich office tour", "I especially enjoyed talking about Zürich office tour."),
    ],
)
def test_a_note_becomes_a_sentence(note: str, sentence: str) -> None:
    made = note_sentence(note)
    assert (made.text, made.problem) == (sentence, "")


@pytest.mark.parametrize(
    ("note", "problem"),
    [
        ("Very friendly; salary band shared.", "list of private notes"),
        ("- forecasting\n- team of 6", "list of private notes"),
        ("Recruiter said she ran clinics.", "written about them"),
        ("Did she like the demo?", "question"),
        ("Case on depot placement.", "not a full sentence"),
        ("Open to referring me for the data team.", "not a full sentence"),
        (" ".join(["word"] * 50), "long (50 words)"),
    ],
)
def test_a_note_that_cannot_be_a_sentence_is_left_out_with_a_reason(
    note: str, problem: str
) -> None:
    made = note_sentence(note)
    assert made.text == ""
    assert made.flagged and problem in made.problem


def test_an_empty_note_is_neither_a_sentence_nor_a_problem() -> None:
    assert note_sentence("  \n ") == note_sentence("")
    assert not note_sentence("").flagged and note_sentence("").text == ""


@pytest.mark.parametrize(
    ("reason", "sentence"),
    [
        ("I love offline-first tools", "I love offline-first tools."),
        (
            "Small team, serious about reliability, and they publish their postmortems.",
            "Small team, serious about reliability, and they publish their postmortems.",
        ),
        (
            "A publisher that cares about plain language.",
            "What draws me is a publisher that cares about plain language.",
        ),
        ("", ""),
    ],
)
def test_a_reason_reads_as_a_sentence(reason: str, sentence: str) -> None:
    assert reason_sentence(reason) == sentence


@pytest.mark.parametrize(
    ("day", "phrase", "with_on"),
    [
        (date(2026, 3, 11), "today", "today"),
        (date(2026, 3, 10), "yesterday", "yesterday"),
        (date(2026, 3, 12), "tomorrow", "tomorrow"),
        (date(2026, 3, 9), "Monday", "on Monday"),
        (date(2026, 3, 5), "Thursday", "on Thursday"),
        (date(2026, 3, 17), "Tuesday", "on Tuesday"),
        (date(2026, 3, 4), "4 March", "on 4 March"),
        (date(2025, 12, 30), "30 December 2025", "on 30 December 2025"),
    ],
)
def test_days_are_said_as_people_say_them(day: date, phrase: str, with_on: str) -> None:
    assert natural_day(day, WEDNESDAY) == phrase
    assert on_day(day, WEDNESDAY) == with_on


def test_wording_is_chosen_per_recipient_and_stays_the_same() -> None:
    text = "[[Dear || Hello || Hi]] {first_name}, [[one || two]]"
    chosen = {seed: choose_wording(text, seed) for seed in range(6)}
    # Option = (seed + the group's position) modulo the number of options.
    assert chosen[0] == "Dear {first_name}, two"
    assert chosen[1] == "Hello {first_name}, one"
    assert len({chosen[seed] for seed in (1, 2, 3)}) == 3  # neighbours on a panel differ
    assert choose_wording(text, 4) == chosen[4]
    assert choose_wording("no choices {x} [single]", 7) == "no choices {x} [single]"


def test_a_paragraph_with_nothing_to_say_is_left_out_whole() -> None:
    text = "Dear {first_name},\n\nIt confirmed why: {reason_sentence}\n\nBest,\n{my_name}"
    filled = fill(text, {"first_name": "Zoë", "reason_sentence": " ", "my_name": ""}, seed=0)
    # The optional paragraph goes; a missing {my_name} stays visible, to block sending.
    assert filled == "Dear Zoë,\n\nBest,\n{my_name}"
