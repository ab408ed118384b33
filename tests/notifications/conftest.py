"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the sending tests; nothing else ever receives mail."""

import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class RecordingHandler:
    """Accepts every message, or answers each DATA with ``reply`` (e.g. "451 ..." or "550 ...")."""

    def __init__(self):
        self.messages = []
        self.raw = []
        self.reply = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's hook name)
        if self.reply:
            return self.reply
        with self._lock:
            self.raw.append(envelope.original_content)
            self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def smtp_app(app, smtp_server):
    """The test app sending through the local server."""
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                      MAIL_DEFAULT_SENDER="Marché des quartiers <ne-pas-repondre@marche.test>", MAIL_TIMEOUT=5)
    return app
