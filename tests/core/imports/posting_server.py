"""A real web server on 127.0.0.1 serving job postings, and the faults a site can have."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

POSTINGS = Path(__file__).parent / "fixtures" / "postings"
SLOW_SECONDS = 3.0


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(b"<html><title>late</title></html>")
        elif self.path == "/file.pdf":
            self._send(b"%PDF-1.7 ...", "application/pdf")
        elif self.path == "/huge":
            self._send(b"<html>" + b"x" * (4 * 1024 * 1024) + b"</html>")
        elif self.path == "/gone":
            self.send_error(404, "Not Found")
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/graph.html")
            self.end_headers()
        else:
            page = POSTINGS / self.path.lstrip("/")
            if page.is_file():
                self._send(page.read_bytes())
            else:
                self.send_error(404, "Not Found")

    def _send(self, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may give up (the size limit, a timeout): that is the test.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def posting_server() -> Iterator[str]:
    """Serve the fixtures; yields the base URL (http://127.0.0.1:PORT)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
