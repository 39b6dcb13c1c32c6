"""pytest plugin: a real SMTP server (aiosmtpd) on localhost that keeps what it receives."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

__all__ = ["SmtpServer", "smtp_server"]


@dataclass
class _Recorder:
    # The bytes of each message as received; parsed on first look (``parsed``), so that
    # a benchmark measures lovbot's sending and not this server's email parsing.
    contents: list[bytes] = field(default_factory=list)
    parsed: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    # time.monotonic() at which each message's DATA was received (for benchmarks).
    times: list[float] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    # While closed, each DATA is recorded and then held unanswered: a slow server whose
    # pace the test sets (Exchange takes about 0.5 s per mail).
    gate: threading.Event = field(default_factory=threading.Event)
    held: int = 0
    # The client's (address, port) of each message: one per SMTP connection it came over.
    peers: list[object] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.gate.set()

    def messages(self) -> list[Message]:
        """Every message received so far, parsed (each only once)."""
        with self.arrived:  # an RLock: callers may already hold it
            for content in self.contents[len(self.parsed) :]:
                self.parsed.append(message_from_bytes(content, policy=default))
            return list(self.parsed)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        with self.arrived:
            self.contents.append(envelope.content)
            self.recipients.append(list(envelope.rcpt_tos))
            self.peers.append(session.peer)
            self.times.append(time.monotonic())
            held = not self.gate.is_set()
            self.held += held
            self.arrived.notify_all()
        if held:
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    """aiosmtpd's Controller, which can be stopped and started again on the same port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.recorder = _Recorder()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        self.release()
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[Message]:
        return self.recorder.messages()

    @property
    def connections(self) -> int:
        """How many SMTP connections the recorded messages came over."""
        return len(set(map(str, self.recorder.peers)))

    @property
    def times(self) -> list[float]:
        """``time.monotonic()`` when each message was received, in arrival order."""
        with self.recorder.arrived:
            return list(self.recorder.times)

    @property
    def recipients(self) -> list[list[str]]:
        """The envelope recipients (RCPT TO) of each message, in arrival order."""
        return list(self.recorder.recipients)

    def hold(self) -> None:
        """From now on, answer no DATA until ``release()``."""
        self.recorder.gate.clear()

    def release(self) -> None:
        self.recorder.gate.set()

    def wait_held(self, count: int, timeout: float = 30.0) -> bool:
        """Wait until ``count`` messages are held unanswered; False when they never come."""
        with self.recorder.arrived:
            return self.recorder.arrived.wait_for(lambda: self.recorder.held >= count, timeout)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Message]:
        with self.recorder.arrived:
            self.recorder.arrived.wait_for(lambda: len(self.recorder.contents) >= count, timeout)
        return self.messages


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
