"""``afterword``: command-line flags, start-up, and the first paint.

The start-up path is deliberately lean: flags, lock the data folder, show
the main window with only its Today page, and paint it. Only then is the
database opened (on a worker thread: importing SQLAlchemy alone costs more
than showing a window) and Today filled. Whatever the first paint does not
need (SQLAlchemy, the keyring, SMTP, the other pages, the single-instance
server) is imported afterwards. ``--version`` answers without loading Qt.

Exit codes: 0 fine (also: another instance was brought to the front),
1 the app could not start (database refused, instance unreachable, self-test
failed), 2 wrong usage (bad flags, ``--demo`` on a folder with data).
"""

from __future__ import annotations

import argparse
import gc
import logging
import logging.handlers
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from afterword.core.storage.paths import (
    APP_ID,
    APP_NAME,
    DATA_DIR_ENV,
    data_dir,
    database_path,
    log_dir,
)

if TYPE_CHECKING:
    from datetime import datetime

    from PySide6.QtWidgets import QApplication

    from afterword.core.storage.db import Database
    from afterword.gui.context import AppContext
    from afterword.gui.single_instance import SingleInstance

logger = logging.getLogger(__name__)
_STARTED = time.perf_counter()

LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
# A self-test that has not shown Today by then has failed (a hung start-up).
SELF_TEST_TIMEOUT_MS = 60_000


# Files ``afterword FILE`` opens (the desktop entry passes calendar invites).
OPENABLE_SUFFIXES = (".ics", ".ical", ".icalendar", ".vcs")


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our flags, and the rest (Qt's own, such as ``-platform``) for QApplication.

    Calendar files named on the command line end up in ``args.files``.
    """
    parser = argparse.ArgumentParser(
        prog="afterword",
        usage="afterword [options] [FILE.ics ...]",
        description="Follow up after job interviews: checklists, a Today list and thank-you notes.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"keep the database, settings and logs in DIR (also: ${DATA_DIR_ENV})",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="fill an empty data folder with sample applications, then start",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start as usual, wait for the first paint, check the keyring, exit 0 if all is well",
    )
    parser.add_argument(
        "--background",
        action="store_true",
        help="start without a window and keep reminders running (start at login uses this)",
    )
    args, rest = parser.parse_known_args(list(argv))
    unknown = [arg for arg in rest if arg.startswith("--")]
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    # Not a positional argument: it would swallow the values of Qt's own flags.
    args.files = [Path(arg) for arg in rest if arg.lower().endswith(OPENABLE_SUFFIXES)]
    return args, [arg for arg in rest if not arg.lower().endswith(OPENABLE_SUFFIXES)]


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.version:
        from afterword.core import __version__

        print(f"{APP_NAME} {__version__}")
        return 0
    folder = data_dir(args.data_dir)
    from afterword.core.errors import DatabaseError
    from afterword.core.storage.files import usable_folder

    try:
        usable_folder(folder)
        log_file = setup_logging(folder)
    except DatabaseError as exc:
        _say(str(exc))
        return 1
    except OSError as exc:
        _say(f"Afterword cannot use the data folder {folder}: {exc}")
        return 1
    # The version is logged after the first paint: looking it up costs ~25 ms.
    logger.info("Starting %s with data folder %s", APP_NAME, folder)
    try:
        return _run(args, qt_args, folder, log_file)
    finally:
        logging.shutdown()


class _PrivateLog(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are 0600 from the moment they exist."""

    def _open(self) -> Any:
        from afterword.core.storage.files import create_private_file, make_private

        path = Path(self.baseFilename)
        if not path.exists():
            create_private_file(path)
        make_private(path)
        return super()._open()


def setup_logging(folder: Path) -> Path:
    """Log to a rotating file in the data folder (0700, its files 0600); returns its path."""
    from afterword.core.storage.files import make_private, usable_folder

    logs = usable_folder(log_dir(folder))
    for old in logs.iterdir():
        make_private(old)
    log_file = logs / "afterword.log"
    handler = _PrivateLog(log_file, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file


def _since_start_ms() -> float:
    return (time.perf_counter() - _STARTED) * 1000


def _peak_memory() -> str:
    """The process's peak resident memory so far, for the log (where the OS tells it)."""
    try:
        import resource
    except ImportError:  # Windows
        return "unknown"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return f"{peak / (1024 * 1024 if sys.platform == 'darwin' else 1024):.0f} MiB"


def _say(message: str) -> None:
    """Print for the terminal (absent under a windowed frozen app) and log it."""
    logger.error("%s", message)
    if sys.stderr is not None:
        print(message, file=sys.stderr, flush=True)


def _run(args: argparse.Namespace, qt_args: list[str], folder: Path, log_file: Path) -> int:
    from afterword.gui import start_failure

    # Without a display Qt aborts inside QApplication(): find out first.
    if problem := start_failure.missing_display(qt_args):
        start_failure.report(problem)
        return 1
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from afterword.gui import crash
    from afterword.gui.garbage import GuiThreadGarbageCollector
    from afterword.gui.icons import app_icon
    from afterword.gui.single_instance import Outcome, SingleInstance

    qInstallMessageHandler(_qt_message)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(APP_NAME)
    QApplication.setDesktopFileName(APP_ID)
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    crash.install(log_file)
    GuiThreadGarbageCollector(app)  # owned by the application object

    # The lock comes before the database is touched: two instances must never
    # migrate or write the same file.
    instance = SingleInstance(folder)
    claim = instance.claim(args.files)
    if claim.outcome == Outcome.ACTIVATED_OTHER:
        logger.info("Another Afterword uses %s; brought it to the front", folder)
        return 0
    if claim.outcome == Outcome.UNREACHABLE:
        _fail(claim.problem, dialog=not args.self_test)
        return 1
    try:
        return _Startup(app, args, folder, instance).run()
    finally:
        instance.release()


def prepare_database(folder: Path, *, demo: bool, now: datetime) -> Database:
    """Open (create, migrate) the database; with ``demo``, fill it. Runs on a worker thread."""
    from afterword.core.storage.db import open_database

    db = open_database(database_path(folder))
    if demo:
        from afterword.core.demo import fill_demo

        try:
            fill_demo(db, now)
        except BaseException:
            db.close()
            raise
    return db


class _Startup:
    """The start-up sequence around the first paint, then the event loop.

    1. The window is shown with Today waiting for data (no SQLAlchemy yet).
    2. After its first paint: listen for other launches, and open the
       database on a worker thread (with ``--demo``, fill it).
    3. When it is open: attach it, Today loads, the last page comes back.
    4. Once Today is shown, in idle time: the full integrity check (a damaged
       file is reported and refuses writes), then recovering interrupted
       sends and loading the ORM for the first edit.
    A self-test stops once Today is populated and painted and the checks passed.
    """

    def __init__(
        self, app: QApplication, args: argparse.Namespace, folder: Path, instance: SingleInstance
    ) -> None:
        from afterword.gui.context import AppContext
        from afterword.gui.main_window import MainWindow
        from afterword.gui.pages.today import TodayPage

        self.app = app
        self.args = args
        self.folder = folder
        self.instance = instance
        # Reminders belong to the app's own event loop (run()), not to a start-up driven by a test.
        self.reminders = False
        self.context = AppContext.create(None, folder, parent=app)
        self.window = MainWindow(self.context, start_page="today")
        today = self.window.page("today")
        assert isinstance(today, TodayPage)
        self.today = today
        if not args.background:
            self.window.first_painted.connect(self.after_first_paint)
        instance.activate_requested.connect(self.window.bring_to_front)
        instance.open_requested.connect(self.window.open_file)
        for path in args.files:
            self.window.open_file(path)  # shown once the database is open

    def run(self) -> int:
        self.reminders = not self.args.self_test
        from PySide6.QtCore import QTimer

        if self.args.self_test:
            QTimer.singleShot(
                SELF_TEST_TIMEOUT_MS, lambda: self.fail_self_test("start-up did not finish in time")
            )
        if self.args.background:
            QTimer.singleShot(0, self.after_first_paint)  # no window: straight to the database
        else:
            self.window.show()
        try:
            return self.app.exec()
        finally:
            if self.context.has_database:
                # A write started while closing (a pending setting) finishes first.
                self.context.ops.wait_for_idle()
                self.context.db.close()

    def after_first_paint(self) -> None:
        logger.info("Window painted %.0f ms after start", _since_start_ms())
        self.instance.listen()
        # A write (opening may migrate; --demo fills the file), run like every
        # other: once open, ``attach_database`` tells every page that everything changed.
        self.context.ops.write(
            prepare_database,
            self.folder,
            demo=self.args.demo,
            now=self.context.now(),
            on_success=self.database_opened,
            on_failure=self.database_failed,
        )

    def database_opened(self, db: Database) -> None:
        self.today.loaded.connect(self.today_loaded)
        self.context.attach_database(db)
        self.window.database_ready(restore_last_page=not self.args.self_test)
        if self.reminders:
            from afterword.gui.reminders.lifecycle import start_reminders

            start_reminders(self.context, self.window, self.app)

    def note_version(self) -> None:
        """Log the version and give it to Qt (reading package metadata costs tens of
        milliseconds: after Today is shown, or when start-up failed)."""
        from afterword.core import __version__

        logger.info("%s version %s", APP_NAME, __version__)
        self.app.setApplicationVersion(__version__)

    def database_failed(self, error: BaseException) -> None:
        self.note_version()
        from afterword.core.demo import FolderNotEmptyError
        from afterword.core.errors import DatabaseError

        if isinstance(error, FolderNotEmptyError):
            _say(str(error))
            self.app.exit(2)
            return
        if isinstance(error, DatabaseError):
            message = f"Afterword cannot open its database.\n\n{error}"
        else:
            message = f"Afterword could not start: {type(error).__name__}: {error}"
        _fail(message, dialog=not self.args.self_test)
        self.app.exit(1)

    def today_loaded(self) -> None:
        today = self.today
        today.loaded.disconnect(self.today_loaded)
        self.window.repaint()  # the populated list, on screen now
        logger.info(
            "Today shown with %d items %.0f ms after start (peak memory %s)",
            len(today.items),
            _since_start_ms(),
            _peak_memory(),
        )
        self.note_version()
        # What start-up built lives as long as the app: keeping it out of the
        # garbage collector's scans halves the collection pauses of later reloads.
        gc.freeze()
        # Idle work, off the GUI thread: the full integrity check (on its own
        # read-only connection), then loading the ORM the first edit needs.
        from afterword.core.storage.integrity import check_file

        self.context.ops.read(
            None, check_file, self.context.db.path, on_success=self.integrity_checked
        )

    def integrity_checked(self, problem: str | None) -> None:
        from afterword.core.storage.integrity import damaged_message
        from afterword.gui.daily_backups import DailyBackups, backup_folder

        db = self.context.db
        if problem is not None:
            message = damaged_message(db.path, problem, backups=backup_folder(self.context))
            db.refuse_writes(message)
            if self.args.self_test:
                self.fail_self_test(message)
            else:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.warning(self.window, APP_NAME, message)
            return
        # These import the ORM: after Today, not before it. Making the kept
        # checklist items (if they were made for another zone or year, or never)
        # is what lets the next start read Today without the ORM.
        from afterword.core.checklist.service import make_kept

        self.context.ops.write(make_kept, db, self.context.now())
        _recover_interrupted_sends(self.context)
        if self.args.self_test:
            self.finish_self_test()
            return
        from afterword.gui.replies_watch import RepliesWatcher

        # Replies noticed (if the person asked for it): soon, then every 15 minutes.
        self.replies = RepliesWatcher(self.context, self.window)
        self.replies.start()
        self.context.ops.read(None, db.warm_up)
        # Only a database that passed the full check is backed up.
        DailyBackups(self.context, parent=self.app).start()

    def finish_self_test(self) -> None:
        from afterword.gui import crash

        if not self.window.isVisible() or self.window.current_key() != "today":
            self.fail_self_test("the main window did not show the Today page")
            return
        if self.today.load_error is not None:
            self.fail_self_test(f"Today could not be loaded: {self.today.load_error}")
            return
        if not self.context.ops.wait_for_idle():
            self.fail_self_test("background tasks did not finish")
            return
        try:
            from afterword.core.mail.credentials import keyring_backend

            backend = keyring_backend()
        except Exception as exc:
            self.fail_self_test(f"the keyring could not be loaded: {type(exc).__name__}: {exc}")
            return
        kind = type(backend)
        print(f"keyring: {kind.__module__}.{kind.__qualname__}", flush=True)
        try:
            # The data files a first thank-you needs, read as the app reads them.
            from afterword.core.mail.providers import all_providers
            from afterword.core.mail.templates import ensure_default_templates, list_templates

            self.context.ops.write(ensure_default_templates, self.context.db)
            self.context.ops.wait_for_idle()
            print(f"templates: {len(list_templates(self.context.db))}", flush=True)
            print(f"providers: {len(all_providers())}", flush=True)
        except Exception as exc:
            self.fail_self_test(f"shipped data could not be read: {type(exc).__name__}: {exc}")
            return
        if crash.unhandled_count():
            self.fail_self_test(f"{crash.unhandled_count()} unhandled error(s); see the log")
            return
        logger.info("Self-test passed")
        self.app.exit(0)

    def fail_self_test(self, reason: str) -> None:
        _say(f"Self-test failed: {reason}")
        self.app.exit(1)


def _recover_interrupted_sends(context: AppContext) -> None:
    """Messages caught mid-send by a crash get an honest status (the outbox's rule).

    The change set of what was recovered tells the Outbox.
    """
    from afterword.core.mail import outbox

    context.ops.write(
        outbox.recover_interrupted_sends,
        context.db,
        now=context.now(),
        failure_title="Interrupted sends could not be checked",
    )


def _fail(message: str, *, dialog: bool) -> None:
    """A start-up failure: always on stderr and in the log; in a dialog for a desktop start."""
    _say(message)
    if dialog:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, APP_NAME, message)


def _qt_message(kind: object, _context: object, message: str) -> None:
    # Qt's own warnings go to our log instead of a console nobody sees. A fatal
    # one (no platform plugin, no display) ends the process right after this
    # returns: the person must hear why, not only the log file.
    from PySide6.QtCore import QtMsgType

    name = getattr(kind, "name", kind)
    if kind == QtMsgType.QtFatalMsg:
        from afterword.gui import start_failure

        start_failure.report(f"Afterword cannot start: {message}")
        return
    logging.getLogger("qt").warning("%s: %s", name, message)


if __name__ == "__main__":
    sys.exit(main())
