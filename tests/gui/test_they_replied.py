"""They replied: one click on a follow-up item on Today records the reply, the follow-ups
stop, and the app asks what they said, offering the likely new status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.applications import create_application, get_application
from afterword.core.checklist.items import ItemKind
from afterword.core.errors import ValidationError
from afterword.core.interviews import list_interviews
from afterword.core.storage.records import (
    ApplicationFields,
    ApplicationRecord,
    InterviewRecord,
    TouchpointFields,
)
from afterword.core.storage.values import (
    ApplicationStatus,
    InterviewOutcome,
    Purpose,
    TouchpointKind,
)
from afterword.core.they_replied import record_reply
from afterword.core.touchpoints import list_touchpoints, log_touchpoint
from afterword.gui.context import AppContext
from afterword.gui.pages.today import TodayPage
from afterword.gui.they_replied import AnswerDialog


@pytest.fixture
def waiting(
    add_application: Callable[..., ApplicationRecord],
    add_interview: Callable[..., InterviewRecord],
    now: datetime,
) -> tuple[ApplicationRecord, InterviewRecord]:
    """They said they would decide by last Wednesday; nothing since."""
    application = add_application(
        "Acme", "Data Engineer", decision_expected=now.date() - timedelta(days=7)
    )
    interview = add_interview(
        application.id,
        now - timedelta(days=12),
        [("Ana Ruiz", "ana@acme.example"), ("Ben Ode", "ben@acme.example")],
    )
    return application, interview


def _today(qtbot: QtBot, context: AppContext) -> TodayPage:
    page = TodayPage(context)
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.show()
    context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: page.checklist is not None)
    return page


def _click_they_replied(qtbot: QtBot, context: AppContext, page: TodayPage) -> AnswerDialog:
    checklist = page.checklist
    assert checklist is not None
    follow_up = next(i for i in checklist.items() if i.kind is ItemKind.STATUS_FOLLOW_UP)
    button = checklist._buttons[checklist.replied_action]
    assert not button.isVisible()  # nothing selected: not offered
    assert checklist.select_key(follow_up.key)
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()
    qtbot.waitUntil(lambda: bool(page.findChildren(AnswerDialog)))
    return page.findChildren(AnswerDialog)[0]


def _follow_ups(page: TodayPage) -> list[str]:
    assert page.checklist is not None
    return [i.title for i in page.checklist.items() if i.kind is ItemKind.STATUS_FOLLOW_UP]


def test_they_replied_with_a_no_records_the_reply_and_the_rejection(
    qtbot: QtBot,
    context: AppContext,
    waiting: tuple[ApplicationRecord, InterviewRecord],
    now: datetime,
) -> None:
    application, interview = waiting
    # You followed up with Ben; it is Ben who answers.
    ben = interview.participants[1].contact_id
    log_touchpoint(
        context.db,
        TouchpointFields(
            contact_id=ben,
            kind=TouchpointKind.EMAIL,
            purpose=Purpose.STATUS_FOLLOW_UP,
            occurred_at=now - timedelta(days=4),
            application_id=application.id,
        ),
        now=now,
    )
    page = _today(qtbot, context)
    assert _follow_ups(page)  # the second follow-up is due

    dialog = _click_they_replied(qtbot, context, page)
    assert [b.text() for b in dialog.buttons.values()] == [
        "They made an offer",
        "They said no",
        "Another round (still interviewing)",
        "Not decided yet",
    ]
    assert dialog.buttons[ApplicationStatus.OFFER].isDefault()
    qtbot.mouseClick(dialog.buttons[ApplicationStatus.REJECTED], Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()

    assert list_touchpoints(context.db, ben)[0].kind is TouchpointKind.REPLIED  # newest first
    assert get_application(context.db, application.id).status is ApplicationStatus.REJECTED
    [saved] = list_interviews(context.db, application.id)
    assert saved.outcome is InterviewOutcome.REJECTED
    # Ben told you: a reply to the rejection goes to him.
    assert [(p.contact_name, p.delivered_outcome) for p in saved.participants] == [
        ("Ana Ruiz", False),
        ("Ben Ode", True),
    ]
    qtbot.waitUntil(lambda: not _follow_ups(page))
    assert page.checklist is not None
    assert ItemKind.ASK_FEEDBACK in {i.kind for i in page.checklist.items()}


def test_not_decided_yet_keeps_the_status_and_still_ends_the_follow_ups(
    qtbot: QtBot,
    context: AppContext,
    waiting: tuple[ApplicationRecord, InterviewRecord],
) -> None:
    application, interview = waiting
    page = _today(qtbot, context)
    assert _follow_ups(page) == ["Follow up with Acme on their decision"]

    dialog = _click_they_replied(qtbot, context, page)
    qtbot.mouseClick(dialog.buttons[None], Qt.MouseButton.LeftButton)
    context.ops.wait_for_idle()

    # Nobody was followed up with: the first person met is taken to have replied.
    ana = interview.participants[0].contact_id
    assert [t.kind for t in list_touchpoints(context.db, ana)] == [TouchpointKind.REPLIED]
    assert get_application(context.db, application.id).status is ApplicationStatus.INTERVIEWING
    qtbot.waitUntil(lambda: not _follow_ups(page))


def test_a_reply_on_an_application_with_nobody_recorded_says_what_to_do(
    context: AppContext, now: datetime
) -> None:
    application = create_application(
        context.db,
        ApplicationFields(company="Acme", role="Engineer", decision_expected=date(2026, 3, 1)),
        now=now,
    )
    with pytest.raises(ValidationError, match="Nobody is recorded on this application yet"):
        record_reply(context.db, application.id, now=now)
