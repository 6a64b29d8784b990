"""An HTTP server on 127.0.0.1 for tests of the model client; a function builds each reply."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Given the request body, return the status, the content type and the response body.
Responder = Callable[[bytes], tuple[int, str, bytes]]


class LocalServer:
    """Serve POST requests on a free port of 127.0.0.1; record each request body."""

    def __init__(self, respond: Responder):
        self.bodies: list[bytes] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.bodies.append(body)
                status, content_type, reply = respond(body)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *_args) -> None:  # noqa: ANN002 - silence the access log
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:  # noqa: ANN002
        self.server.shutdown()
        self.server.server_close()
