"""The GUI stays responsive while it sends: the event loop never stalls over 50 ms.

    .venv/bin/python -m benchmarks.bench_gui_send [--sends 20]

(run from the repository root: it uses the test suite's real server helper).

Starts the test suite's aiosmtpd server (STARTTLS, AUTH required, a throwaway
trustme CA) in a process of its own, as :mod:`benchmarks.bench_mail` does: a
real server is never in the app's process. Then, in an offscreen
QApplication, opens the real composer on a fresh database and clicks Send N
times (one draft per send), while a 5 ms ``QTimer`` heartbeat records when the
event loop gets to run. The longest gap between two heartbeats during the
sends is the longest the window was frozen. Prints the gaps; exits 1 if the
longest is over 50 ms or a send failed.

The password comes from this session's memory (as on a system without a
keyring), so the measurement does not depend on a desktop keyring's speed.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from afterword.core.contacts import create_contact
from afterword.core.mail.accounts import account_key, save_mail_account
from afterword.core.mail.composing import composer_drafts
from afterword.core.mail.drafts import prepare_draft
from afterword.core.storage.db import open_database
from afterword.core.storage.records import ContactFields, MailAccountFields
from afterword.core.storage.values import MailSecurity, MessageStatus, Purpose
from afterword.gui.context import AppContext
from afterword.gui.dialogs.composer import ComposerDialog, DraftEditor
from afterword.gui.mail_flow import session_passwords
from benchmarks.bench_mail import Endpoint, _serve

STALL_LIMIT_MS = 50.0
HEARTBEAT_MS = 5
SEND_TIMEOUT_S = 30


class Heartbeat:
    """A precise timer that notes when the event loop ran it."""

    def __init__(self) -> None:
        self.beats: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(lambda: self.beats.append(time.perf_counter()))

    def start(self) -> None:
        self.beats = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> list[float]:
        """The gaps (ms) between consecutive beats, the last one up to now."""
        self.timer.stop()
        self.beats.append(time.perf_counter())
        return [(b - a) * 1000 for a, b in zip(self.beats, self.beats[1:], strict=False)]


def _send_once(editor: DraftEditor, heartbeat: Heartbeat) -> tuple[float, list[float]]:
    """Click Send and run the event loop until the outcome is shown; (seconds, gaps in ms)."""
    loop = QEventLoop()
    editor.state_changed.connect(lambda: None if editor.is_busy() else loop.quit())
    QTimer.singleShot(SEND_TIMEOUT_S * 1000, loop.quit)
    heartbeat.start()
    started = time.perf_counter()
    editor.send_button.click()
    if editor.is_busy():
        loop.exec()
    took = time.perf_counter() - started
    return took, heartbeat.stop()


def _measure(endpoint: Endpoint, folder: Path, sends: int) -> tuple[list[float], list[float]]:
    """Send ``sends`` notes from the composer; the send times (s) and all heartbeat gaps (ms)."""
    pem = folder / "ca.pem"
    pem.write_bytes(endpoint.ca_pem)
    os.environ["SSL_CERT_FILE"] = str(pem)
    now = datetime.now(UTC)
    db = open_database(folder / "afterword.sqlite3")
    context = AppContext.create(db, folder, clock=lambda: now)
    try:
        account = save_mail_account(
            db,
            MailAccountFields(
                display_name="Ada Lovelace",
                email="ada@example.com",
                smtp_host=endpoint.host,
                smtp_port=endpoint.port,
                security=MailSecurity.STARTTLS,
                username=endpoint.username,
            ),
        )
        session_passwords().remember(account_key(account), endpoint.password)
        contact = create_contact(
            db,
            ContactFields(
                name="Grace Hopper",
                email="grace@example.org",
                company="Remington Rand",
                notes="how a compiler made programs readable by people, not only machines",
            ),
            now=now,
        )
        heartbeat = Heartbeat()
        times: list[float] = []
        gaps: list[float] = []
        for number in range(sends):
            # A sent check-in makes asking again start the next one: one fresh draft per send.
            draft = prepare_draft(
                db,
                purpose=Purpose.CHECK_IN,
                contact_id=contact.id,
                now=now + timedelta(seconds=number),
                my_name="Ada Lovelace",
            )
            composer = ComposerDialog(context, composer_drafts(db, [draft.id]), title="Benchmark")
            composer.show()
            QApplication.processEvents()
            editor = composer.editors[0]
            took, send_gaps = _send_once(editor, heartbeat)
            if editor.record.status is not MessageStatus.SENT:
                state = editor.record.status.value
                raise RuntimeError(f"send {number + 1} ended as {state}: {editor.banner_text()}")
            times.append(took)
            gaps.extend(send_gaps)
            composer.hide()
            composer.deleteLater()
        return times, gaps
    finally:
        context.ops.wait_for_idle()
        session_passwords().clear()
        db.close()


def run(sends: int) -> float:
    """Measure; print the send times and the heartbeat gaps; return the longest gap (ms)."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert app is not None
    ours, theirs = multiprocessing.Pipe()
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(theirs,))
    server.start()
    try:
        endpoint: Endpoint = ours.recv()
        with tempfile.TemporaryDirectory() as folder:
            times, gaps = _measure(endpoint, Path(folder), sends)
        ours.send("stop")
        received = ours.recv()
    finally:
        server.join(timeout=10)
    assert received == sends, f"the server got {received} messages, expected {sends}"
    longest = max(gaps)
    print(f"sends from the composer:   {sends}")
    print(f"send time median:          {statistics.median(times) * 1000:.1f} ms")
    print(f"heartbeats ({HEARTBEAT_MS} ms timer):   {len(gaps)}")
    print(f"gap median:                {statistics.median(gaps):.1f} ms")
    print(f"gap 99th percentile:       {statistics.quantiles(gaps, n=100)[98]:.1f} ms")
    print(f"longest gap (stall):       {longest:.1f} ms (limit {STALL_LIMIT_MS:g} ms)")
    return longest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=20, help="notes to send (default 20)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    # aiosmtpd warns about its own deprecated API on every login; not ours to fix.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    return 0 if run(args.sends) <= STALL_LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
