"""After a full send flow (wrong password first), the password is nowhere but in the keyring.

The flow goes through the real GUI pieces with the app's real log file
(:func:`afterword.gui.app.setup_logging`), a real server and the real Secret Service.
Then every file in the data folder (the database, its ``-wal``, the settings
INI, the logs) and everything written to stdout, stderr and the log records
is searched for the password, plainly, as UTF-16 and as it travels in
``AUTH PLAIN``.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from afterword.core.mail.accounts import account_key, get_mail_account
from afterword.core.mail.credentials import delete_password, get_password
from afterword.core.storage.values import MessageStatus
from afterword.gui.app import setup_logging
from afterword.gui.context import AppContext
from afterword.gui.forms import select_data
from afterword.gui.mail_flow import open_thank_you_composer
from afterword.gui.pages.mail_account import MailAccountSection
from afterword.gui.pages.outbox import OutboxPage
from tests.gui.mail_support import SENDER_NAME, Scene, open_and_wait, wait_until_settled

if TYPE_CHECKING:
    from tests.support.smtp import SmtpServer

pytest_plugins = ["tests.gui.mail_fixtures"]

SECRET = "Canary-Pw-7f3a9c-kept-secret"
WRONG = "Canary-Wrong-51e2b0-typo"
LOGIN = "ada.lovelace@gmail.com"


def _forms(secret: str) -> list[bytes]:
    """The ways ``secret`` could end up in a file or an output stream."""
    return [
        secret.encode("utf-8"),
        secret.encode("utf-16-le"),
        base64.b64encode(f"\0{LOGIN}\0{secret}".encode()),
        base64.b64encode(secret.encode()),
    ]


def _files_containing(folder: Path, secrets: list[str]) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        content = path.read_bytes()
        found += [f"{path.name}: {s}" for s in secrets for form in _forms(s) if form in content]
    return found


@pytest.fixture
def app_log(data_dir: Path) -> Iterator[Path]:
    """The app's own rotating log file in the data folder, as ``afterword`` sets it up."""
    before = list(logging.getLogger().handlers)
    log_file = setup_logging(data_dir)
    yield log_file
    for handler in logging.getLogger().handlers:
        if handler not in before:
            handler.close()
            logging.getLogger().removeHandler(handler)


def test_the_search_finds_a_password_where_there_is_one(tmp_path: Path) -> None:
    # The check below can fail: it finds the secret in any of its forms.
    (tmp_path / "plain.txt").write_text(f"password={SECRET}")
    (tmp_path / "wide.bin").write_bytes(WRONG.encode("utf-16-le"))
    assert _files_containing(tmp_path, [SECRET, WRONG]) == [
        f"plain.txt: {SECRET}",
        f"wide.bin: {WRONG}",
    ]


def test_after_a_full_send_flow_the_password_is_only_in_the_keyring(
    mail_context: AppContext,
    scene: Scene,
    smtp_server: Callable[..., SmtpServer],
    real_keyring: object,
    app_log: Path,
    data_dir: Path,
    qtbot: QtBot,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    server = smtp_server(username=LOGIN, password=SECRET)
    section = MailAccountSection(mail_context)
    qtbot.addWidget(section)
    section.show()
    mail_context.ops.wait_for_idle()  # the saved account (none yet) is read off the GUI thread
    try:
        # Settings: the account with a mistyped password, saved and tested.
        qtbot.keyClicks(section.display_name, SENDER_NAME)
        qtbot.keyClicks(section.email, LOGIN)
        section.smtp_host.setText(server.host)
        select_data(section.security, server.security)
        section.smtp_port.setValue(server.port)
        qtbot.keyClicks(section.password, WRONG)
        qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
        mail_context.ops.wait_for_idle()
        qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
        mail_context.ops.wait_for_idle()
        assert "refused" in section.result.text()

        # The composer: the send is refused, the right password typed, the note sent.
        composer = open_and_wait(qtbot, open_thank_you_composer, mail_context, scene.interview.id)
        anna = composer.editors[0]
        qtbot.mouseClick(anna.send_button, Qt.MouseButton.LeftButton)
        wait_until_settled(qtbot, mail_context, anna)
        assert "refused" in anna.banner_text()
        qtbot.mouseClick(anna.retype_button, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(anna.password_prompt.field, SECRET)
        qtbot.mouseClick(anna.password_prompt.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: anna.record.status is MessageStatus.SENT, timeout=15_000)
        joerg = composer.editors[1]
        composer.tabs.setCurrentWidget(joerg)
        qtbot.mouseClick(joerg.send_button, Qt.MouseButton.LeftButton)
        wait_until_settled(qtbot, mail_context, joerg)
        assert joerg.record.status is MessageStatus.SENT
        composer.close()

        # Back in Settings: a passing test with the stored password; the Outbox.
        section.load()
        mail_context.ops.wait_for_idle()
        qtbot.mouseClick(section.test_button, Qt.MouseButton.LeftButton)
        mail_context.ops.wait_for_idle()
        assert section.result.text().startswith("Connected")
        outbox = OutboxPage(mail_context)
        qtbot.addWidget(outbox)
        qtbot.waitUntil(mail_context.ops.is_idle)  # the list loads off the GUI thread
        assert outbox.summary.text() == "2 sent"
        assert len(server.received) == 2

        account = get_mail_account(mail_context.db)
        assert account is not None
        assert get_password(account_key(account)) == SECRET  # where it belongs
        mail_context.settings.setValue("composer/seen", True)
        mail_context.settings.sync()
        for handler in logging.getLogger().handlers:
            handler.flush()

        files = {p.name for p in data_dir.rglob("*") if p.is_file()}
        assert {"afterword.sqlite3", "afterword.sqlite3-wal", "afterword-gui.ini"} <= files
        assert "afterword.log" in files and app_log.stat().st_size > 0
        assert _files_containing(data_dir, [SECRET, WRONG]) == []
        captured = capfd.readouterr()
        logged = "\n".join(caplog.messages) + caplog.text
        for stream in (captured.out, captured.err, logged):
            for secret in (SECRET, WRONG):
                assert not any(form in stream.encode() for form in _forms(secret))
        mail_context.db.close()  # checkpoints the WAL into the database file
        assert _files_containing(data_dir, [SECRET, WRONG]) == []
    finally:
        account = get_mail_account(mail_context.db)
        if account is not None:
            delete_password(account_key(account))
