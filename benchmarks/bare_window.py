"""The start-up floor: a bare PySide6 main window that quits after its first paint.

    .venv/bin/python benchmarks/bare_window.py [--query DATABASE]

Prints ``painted <epoch seconds>`` right after the first paint, then
``ready <epoch seconds>`` when done: at once, or, with ``--query``, after
importing SQLAlchemy, creating an engine on the SQLite file and running one
query (``SELECT count(*) FROM applications``), the floor of any app showing
data from that file through SQLAlchemy. Used side by side with
``afterword --self-test`` by ``benchmarks/bench_gui.py``.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def query(path: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        count = int(connection.execute(text("SELECT count(*) FROM applications")).scalar_one())
    engine.dispose()
    return count


class FirstPaint(QObject):
    def __init__(self, app: QApplication, database: str | None) -> None:
        super().__init__()
        self.app = app
        self.database = database

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.done)  # after the frame is flushed
        return False

    def done(self) -> None:
        print(f"painted {time.time():.6f}", flush=True)
        if self.database:
            query(self.database)
        print(f"ready {time.time():.6f}", flush=True)
        self.app.quit()


def main(argv: list[str]) -> int:
    database = argv[argv.index("--query") + 1] if "--query" in argv else None
    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.resize(1180, 760)
    watcher = FirstPaint(app, database)
    window.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
