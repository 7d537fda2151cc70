"""Screenshots of the composer and the Outbox, for the README (1280x800, offscreen grabs).

:func:`render_mail_screenshots` is called by ``benchmarks/make_screenshots.py``
with its context on the ``--demo`` data (seen at its fixed moment) and writes
``composer.png`` and ``outbox.png`` into ``out_dir``. Call it after the other
shots: it changes the data the way a person would. It sends some of the demo's
thank-yous for real to a local test server (the test suite's aiosmtpd with
STARTTLS and AUTH), has one refused and one cut off after the data, so every
Outbox state is a real one; then it gives the mail account a realistic
provider for the pictures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import trustme
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QWidget

from afterword.core.checklist import service
from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.errors import AfterwordError
from afterword.core.item_drafts import draft_for_item
from afterword.core.mail.accounts import save_mail_account
from afterword.core.mail.drafts import check_message, prepare_thank_you_drafts
from afterword.core.mail.outbox import send_message
from afterword.core.storage.changes import Changes
from afterword.core.storage.records import MailAccountFields, MailAccountRecord, MessageRecord
from afterword.core.storage.values import MailSecurity, Purpose
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import ComposerDialog
from afterword.gui.mail_flow import open_thank_you_composer
from afterword.gui.pages.outbox import OutboxPage
from tests.support.smtp import SmtpServer, run_smtp_server

SIZE = QSize(1280, 800)
MY_NAME = "Sam Rivera"
MY_ADDRESS = "sam.rivera@fastmail.com"


def render_mail_screenshots(context: AppContext, out_dir: Path) -> list[Path]:
    """Write ``composer.png`` and ``outbox.png`` into ``out_dir``; returns their paths."""
    _use_realistic_account(context)
    interviews = _thank_you_interviews(context)
    shown, message_id = _note_worth_showing(context, interviews)
    _fill_outbox(context, shown)
    _use_realistic_account(context)
    context.ops.announce(Changes.everything())  # written here, outside any operation
    out_dir.mkdir(parents=True, exist_ok=True)
    return [_composer_shot(context, shown, message_id, out_dir), _outbox_shot(context, out_dir)]


def _use_realistic_account(context: AppContext) -> None:
    save_mail_account(
        context.db,
        MailAccountFields(
            display_name=MY_NAME,
            email=MY_ADDRESS,
            smtp_host="smtp.fastmail.com",
            smtp_port=465,
            security=MailSecurity.SSL,
            username=MY_ADDRESS,
        ),
    )


def _thank_you_interviews(context: AppContext) -> list[int]:
    """Past interviews with a thank-you due, the one with the most people first."""
    counts: dict[int, int] = {}
    for item in service.today(context.db, context.now()):
        due = item.state in (ItemState.DUE, ItemState.OVERDUE)
        if item.kind is ItemKind.THANK_YOU and due and item.interview_id is not None:
            counts[item.interview_id] = counts.get(item.interview_id, 0) + 1
    return sorted(counts, key=lambda interview_id: -counts[interview_id])


def _note_worth_showing(context: AppContext, interviews: list[int]) -> tuple[int, int]:
    """A thank-you the note check has something to say about (the composer's best side)."""
    db, now = context.db, context.now()
    for interview_id in interviews:
        for draft in prepare_thank_you_drafts(db, interview_id, now=now, my_name=MY_NAME):
            check = check_message(db, draft.id)
            if check.blockers or check.warnings:
                return interview_id, draft.id
    first = prepare_thank_you_drafts(db, interviews[0], now=now, my_name=MY_NAME)[0]
    return interviews[0], first.id


@contextmanager
def _local_servers(refused: list[str]) -> Iterator[tuple[SmtpServer, SmtpServer]]:
    """A server (refusing ``refused``) and one that hangs up after the data, trusted for now."""
    ca = trustme.CA()
    previous = os.environ.get("SSL_CERT_FILE")
    with ca.cert_pem.tempfile() as pem:
        os.environ["SSL_CERT_FILE"] = pem
        try:
            with (
                run_smtp_server(ca, username=MY_ADDRESS, refuse=refused) as good,
                run_smtp_server(ca, username=MY_ADDRESS, drop_after_data=True) as dropping,
            ):
                yield good, dropping
        finally:
            if previous is None:
                os.environ.pop("SSL_CERT_FILE", None)
            else:
                os.environ["SSL_CERT_FILE"] = previous


def _account_for(context: AppContext, server: SmtpServer) -> MailAccountRecord:
    return save_mail_account(
        context.db,
        MailAccountFields(
            display_name=MY_NAME,
            email=MY_ADDRESS,
            smtp_host=server.host,
            smtp_port=server.port,
            security=server.security,
            username=server.username,
        ),
    )


def _fill_outbox(context: AppContext, shown_interview: int) -> None:
    """Messages in every state, each reached for real, from what Today has to do."""
    db, now = context.db, context.now()
    by_purpose: dict[Purpose, list[MessageRecord]] = {}
    for item in service.today(db, now):
        due = item.state in (ItemState.DUE, ItemState.OVERDUE)
        if not due or item.interview_id == shown_interview:
            continue
        if item.purpose is Purpose.THANK_YOU and item.interview_id is not None:
            drafts = prepare_thank_you_drafts(db, item.interview_id, now=now, my_name=MY_NAME)
        else:
            drafts = [draft_for_item(db, item, now=now)] if item.purpose is not None else []
        for draft in drafts:
            known = by_purpose.setdefault(draft.purpose, [])
            if draft.to_address and draft.id not in {d.id for d in known}:
                known.append(draft)
    to_send = [*by_purpose.get(Purpose.THANK_YOU, []), *by_purpose.get(Purpose.CHECK_IN, [])[:1]]
    to_refuse = by_purpose.get(Purpose.STATUS_FOLLOW_UP, [])[:1]
    to_cut_off = by_purpose.get(Purpose.REJECTION_REPLY, [])[:1]
    with _local_servers([d.to_address for d in to_refuse]) as (good, dropping):
        account = _account_for(context, good)
        for draft in to_send:
            send_message(db, draft.id, account=account, password=good.password, now=now)
        for draft in to_refuse:
            # The server refuses this address: "not sent", with the reason, text kept.
            with suppress(AfterwordError):
                send_message(db, draft.id, account=account, password=good.password, now=now)
        cut_off = _account_for(context, dropping)
        for draft in to_cut_off:
            with suppress(AfterwordError):
                send_message(db, draft.id, account=cut_off, password=good.password, now=now)


def _settle() -> None:
    for _ in range(10):
        QApplication.processEvents()


def _grab(widget: QWidget, target: Path) -> Path:
    widget.resize(SIZE)
    widget.show()
    _settle()
    widget.grab().save(str(target))
    return target


def _composer_shot(context: AppContext, interview_id: int, message_id: int, out_dir: Path) -> Path:
    opened: list[ComposerDialog] = []
    open_thank_you_composer(context, interview_id, on_opened=opened.append)
    context.ops.wait_for_idle()  # the drafts are prepared off the GUI thread
    (composer,) = opened
    composer.select_message(message_id)
    try:
        return _grab(composer, out_dir / "composer.png")
    finally:
        composer.hide()
        composer.deleteLater()


def _outbox_shot(context: AppContext, out_dir: Path) -> Path:
    page = OutboxPage(context)
    context.ops.wait_for_idle()  # the list loads off the GUI thread
    try:
        failed = next((m for m in page.model.records if m.status.value == "failed"), None)
        if failed is not None:
            page.select_message(failed.id)
        return _grab(page, out_dir / "outbox.png")
    finally:
        page.hide()
        page.deleteLater()
