"""Templates: seeded once, edited safely, and rendered without ever hiding a gap."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from afterword.core.errors import NotFoundError, ValidationError
from afterword.core.mail.templates import (
    PLACEHOLDERS,
    delete_template,
    ensure_default_templates,
    get_template,
    list_templates,
    render,
    reset_template,
    save_template,
    template_for,
)
from afterword.core.storage.db import Database
from afterword.core.storage.paths import resource
from afterword.core.storage.values import Purpose

ROOT = Path(__file__).resolve().parents[3]
SHIPPED_PURPOSES = {
    Purpose.OTHER,
    Purpose.THANK_YOU,
    Purpose.STATUS_FOLLOW_UP,
    Purpose.REJECTION_REPLY,
    Purpose.CHECK_IN,
}


def test_the_built_in_templates_are_seeded_once(db: Database) -> None:
    added = ensure_default_templates(db)
    assert {template.purpose for template in added} == SHIPPED_PURPOSES
    assert all(template.builtin for template in added)
    shipped = {path.stem for path in resource("templates").glob("*.txt")}
    assert {f"{t.purpose.value}.{t.variant}".rstrip(".") for t in added} == shipped

    assert ensure_default_templates(db) == []
    assert len(list_templates(db)) == len(shipped)


def test_seeding_again_keeps_the_users_edits(db: Database) -> None:
    ensure_default_templates(db)
    thanks = template_for(db, Purpose.THANK_YOU)
    save_template(
        db,
        purpose=Purpose.THANK_YOU,
        name=thanks.name,
        subject="My own subject for {company}",
        body="Dear {first_name}, my own words.",
        template_id=thanks.id,
    )

    ensure_default_templates(db)
    assert get_template(db, thanks.id).subject == "My own subject for {company}"


def test_the_thank_you_asks_for_a_reason_and_something_from_the_conversation(
    db: Database,
) -> None:
    thanks = template_for(db, Purpose.THANK_YOU)  # seeds on first use
    for placeholder in ("{first_name}", "{reason_sentence}", "{conversation_sentence}"):
        assert placeholder in thanks.body
    assert "{my_name}" in thanks.body
    # The subject names the company and the conversation.
    assert "{company}" in thanks.subject and "{conversation}" in thanks.subject


def test_the_rejection_reply_asks_why_says_still_interested_and_asks_for_a_referral(
    db: Database,
) -> None:
    reply = template_for(db, Purpose.REJECTION_REPLY).body.lower()
    assert "feedback" in reply or "what made the difference" in reply
    # Said only when the application says so: the placeholder is left out otherwise.
    assert "{interest_sentence}" in reply
    assert "refer me" in reply


def test_shipped_templates_use_only_documented_placeholders() -> None:
    docs = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    for name, description in PLACEHOLDERS.items():
        assert f"`{{{name}}}`" in docs
        assert description
    for path in resource("templates").glob("*.txt"):
        Purpose(path.stem.partition(".")[0])
        used = set(re.findall(r"\{(\w+)\}", path.read_text(encoding="utf-8")))
        assert used <= set(PLACEHOLDERS), path.name


def test_render_fills_in_values_and_reports_what_is_missing() -> None:
    rendered = render(
        "Dear {first_name}, about {role} at {company}: {conversation_notes} {nonsense}",
        {"first_name": "Zoë", "role": "Engineer", "company": "", "conversation_notes": "  "},
    )
    assert rendered.text.startswith("Dear Zoë, about Engineer at {company}: ")
    assert rendered.unfilled == ("company", "conversation_notes", "nonsense")
    for (start, end), name in zip(rendered.spans, rendered.unfilled, strict=True):
        assert rendered.text[start:end] == f"{{{name}}}"


def test_render_positions_are_right_after_emoji_and_right_to_left_text() -> None:
    rendered = render(
        "{name} 😀 {company}\n{name} {role}",
        {"name": "דנה כהן 👩‍💻", "company": ""},
    )
    assert rendered.unfilled == ("company", "role")
    assert [rendered.text[start:end] for start, end in rendered.spans] == ["{company}", "{role}"]
    assert rendered.text.startswith("דנה כהן 👩‍💻 😀 {company}")


def test_every_unfilled_occurrence_is_highlighted_but_named_once() -> None:
    rendered = render("{company} and {company} and {company}", {})
    assert rendered.unfilled == ("company",)
    assert len(rendered.spans) == 3


@pytest.mark.parametrize(
    "text",
    ["{", "}", "}{", "{{first_name}}", "{ first_name }", "{1st}", "{first-name}", "{}", "{{}}"],
)
def test_odd_braces_never_raise_and_stay_as_written(text: str) -> None:
    rendered = render(text, {"first_name": "Ada"})
    if text == "{{first_name}}":
        assert rendered.text == "{Ada}"
    else:
        assert rendered.text == text
        assert rendered.unfilled == ()


def test_braces_inside_a_value_are_not_filled_in_again() -> None:
    rendered = render("Notes: {conversation_notes}", {"conversation_notes": "we said {name}"})
    assert rendered.text == "Notes: we said {name}"
    assert rendered.unfilled == ()


def test_a_huge_template_renders_quickly() -> None:
    text = "Dear {first_name}, {why_interested} Ünïcödé ✓ {unknown}\n" * 20_000
    started = time.monotonic()
    rendered = render(text, {"first_name": "Ada", "why_interested": "x" * 100})
    assert time.monotonic() - started < 2
    assert rendered.unfilled == ("unknown",)
    assert len(rendered.spans) == 20_000
    assert rendered.text.count("Dear Ada,") == 20_000


@given(
    text=st.text(alphabet=st.sampled_from("{}_ab1 \n😀é")),
    value=st.text(),
)
def test_render_never_raises_and_every_span_is_a_placeholder(text: str, value: str) -> None:
    rendered = render(text, {"a": value, "b": ""})
    for start, end in rendered.spans:
        piece = rendered.text[start:end]
        assert piece.startswith("{") and piece.endswith("}")
        assert piece[1:-1] in rendered.unfilled


def test_users_add_edit_and_delete_their_own_templates(db: Database) -> None:
    ensure_default_templates(db)
    mine = save_template(
        db,
        purpose=Purpose.CHECK_IN,
        name="Conference follow-up",
        subject="Great to meet you, {first_name}",
        body="Dear {first_name},\n\nI enjoyed our chat: {conversation_notes}\n\n{my_name}",
    )
    assert not mine.builtin
    assert [t.name for t in list_templates(db, Purpose.CHECK_IN)] == [
        "Stay-in-touch check-in",
        "Conference follow-up",
    ]

    edited = save_template(
        db,
        purpose=Purpose.OTHER,
        name="Conference hello",
        subject="Hello {first_name}",
        body="Hi!",
        template_id=mine.id,
    )
    assert get_template(db, mine.id) == edited

    delete_template(db, mine.id)
    with pytest.raises(NotFoundError):
        get_template(db, mine.id)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "Stay-in-touch CHECK-IN"}, "name", "already"),
        ({"subject": "Hello\nBcc: x@example.com"}, "subject", "single line"),
        ({"subject": "  "}, "subject", "required"),
        ({"body": " \n "}, "body", "empty"),
        ({"body": "Dear {frist_name},"}, "body", "{frist_name}"),
        ({"subject": "Re: {Company}"}, "subject", "{company}"),
    ],
)
def test_a_bad_template_is_explained_and_not_saved(
    db: Database, changes: dict[str, str], field: str, words: str
) -> None:
    ensure_default_templates(db)
    values = {"name": "Mine", "subject": "Hello {first_name}", "body": "Dear {first_name},"}
    values.update(changes)
    with pytest.raises(ValidationError) as caught:
        save_template(db, purpose=Purpose.OTHER, **values)

    assert caught.value.field == field
    assert words.lower() in caught.value.problem.lower()
    assert all(t.name != "Mine" for t in list_templates(db))


def test_names_are_unique_whatever_the_case_in_any_script(db: Database) -> None:
    save_template(db, purpose=Purpose.OTHER, name="Über Dank", subject="s", body="b")
    with pytest.raises(ValidationError) as caught:
        save_template(db, purpose=Purpose.OTHER, name="über dank", subject="s", body="b")
    assert caught.value.field == "name"


def test_built_ins_can_be_edited_and_reset_but_not_deleted(db: Database) -> None:
    ensure_default_templates(db)
    original = template_for(db, Purpose.STATUS_FOLLOW_UP)
    save_template(
        db,
        purpose=original.purpose,
        name="My follow-up",
        subject="Any news, {first_name}?",
        body="Short and sweet.",
        template_id=original.id,
    )

    with pytest.raises(ValidationError) as caught:
        delete_template(db, original.id)
    assert "Reset" in caught.value.problem
    with pytest.raises(ValidationError):
        save_template(
            db,
            purpose=Purpose.CHECK_IN,
            name="My follow-up",
            subject="s",
            body="b",
            template_id=original.id,
        )

    assert reset_template(db, original.id) == original


def test_only_built_ins_can_be_reset(db: Database) -> None:
    mine = save_template(db, purpose=Purpose.OTHER, name="Mine", subject="s", body="b")
    with pytest.raises(ValidationError):
        reset_template(db, mine.id)
