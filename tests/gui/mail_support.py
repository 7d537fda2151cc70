"""Helpers for the mail GUI tests: the interview scene, the account, clicking Send."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.applications import create_application
from afterword.core.interviews import save_interview
from afterword.core.mail.accounts import save_mail_account
from afterword.core.storage.db import Database
from afterword.core.storage.records import (
    ApplicationFields,
    ApplicationRecord,
    ContactFields,
    InterviewFields,
    InterviewRecord,
    MailAccountFields,
    MailAccountRecord,
    ParticipantFields,
    ParticipantRecord,
)
from afterword.core.storage.values import ApplicationStatus
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import ComposerDialog, DraftEditor

if TYPE_CHECKING:
    from tests.support.smtp import SmtpServer

SENDER_NAME = "Ada Lovelace"
WHY = "your grid-forecasting work helps cities plan for wind and solar power"
ANNA_NOTES = "how the forecasting team blends weather ensembles into one daily forecast"
JOERG_NOTES = "the streaming pipeline that replays a year of meter readings in an hour"


@dataclass(frozen=True)
class Scene:
    application: ApplicationRecord
    interview: InterviewRecord

    @property
    def anna(self) -> ParticipantRecord:
        return self.interview.participants[0]

    @property
    def joerg(self) -> ParticipantRecord:
        return self.interview.participants[1]


def add_scene(db: Database, now: datetime, *, why: str = WHY) -> Scene:
    """Nordlicht Energie, Data Engineer: yesterday's interview with two people."""
    application = create_application(
        db,
        ApplicationFields(
            company="Nordlicht Energie",
            role="Data Engineer",
            status=ApplicationStatus.INTERVIEWING,
            why_interested=why,
        ),
        now=now - timedelta(days=10),
    )
    starts_at = now - timedelta(hours=20)
    interview = save_interview(
        db,
        InterviewFields(
            application_id=application.id,
            starts_at=starts_at,
            timezone="Europe/Berlin",
            round_name="Technical interview",
        ),
        [
            ParticipantFields(
                new_contact=ContactFields(
                    name="Dr. Anna Schmidt", email="anna.schmidt@nordlicht.example"
                ),
                notes=ANNA_NOTES,
            ),
            ParticipantFields(
                new_contact=ContactFields(name="Jörg Weiß", email="joerg.weiss@nordlicht.example"),
                notes=JOERG_NOTES,
            ),
        ],
        now=starts_at,
    )
    return Scene(application, interview)


def save_account_for(db: Database, server: SmtpServer, email: str = "") -> MailAccountRecord:
    """The mail account that logs in to ``server`` (From: ``email``, else the login)."""
    return save_mail_account(
        db,
        MailAccountFields(
            display_name=SENDER_NAME,
            email=email or server.username,
            smtp_host=server.host,
            smtp_port=server.port,
            security=server.security,
            username=server.username,
        ),
    )


def send_and_wait(qtbot: QtBot, context: AppContext, editor: DraftEditor) -> None:
    """Click Send like a person and wait until the outcome is shown."""
    qtbot.mouseClick(editor.send_button, Qt.MouseButton.LeftButton)
    wait_until_settled(qtbot, context, editor)


def wait_until_settled(qtbot: QtBot, context: AppContext, editor: DraftEditor) -> None:
    qtbot.waitUntil(lambda: not editor.is_busy() and context.ops.is_idle(), timeout=30_000)


def open_and_wait(qtbot: QtBot, open_composer: Callable[..., object], *args: Any) -> ComposerDialog:
    """Call ``open_composer(*args, on_opened=...)`` and wait until its window is there
    (the drafts are prepared off the GUI thread first)."""
    opened: list[ComposerDialog] = []
    open_composer(*args, on_opened=opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    return opened[0]


def editors_by_name(composer: ComposerDialog) -> dict[str, DraftEditor]:
    return {editor.record.to_name: editor for editor in composer.editors}
