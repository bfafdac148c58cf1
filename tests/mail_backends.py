"""Mail backends that misbehave as SMTP servers do, for the outbox tests.

Settings name a backend by its dotted path, so the state a test controls
(events, a hook) lives on the class; the ``mail_backends`` fixture resets it.
"""

from __future__ import annotations

import smtplib
import threading

from django.core.mail.backends.locmem import EmailBackend as MemoryBackend


class RefusingBackend(MemoryBackend):
    """A server that answers every mail with a temporary refusal."""

    def send_messages(self, messages):
        raise smtplib.SMTPDataError(451, b"4.3.0 Try again later")


class UnreachableBackend(MemoryBackend):
    """A server that never answers: every connection times out."""

    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        raise TimeoutError("timed out")


class BlockingBackend(MemoryBackend):
    """A server that holds each mail until the test sets ``release``."""

    started = threading.Event()
    release = threading.Event()
    finished = threading.Event()

    def send_messages(self, messages):
        cls = type(self)
        cls.started.set()
        try:
            if not cls.release.wait(timeout=10):
                raise TimeoutError("the test never released the mail")
            return super().send_messages(messages)
        finally:
            cls.finished.set()


class InterruptingBackend(MemoryBackend):
    """Delivers to mail.outbox, running ``hook`` once in the middle of a send."""

    hook = None

    def send_messages(self, messages):
        hook, type(self).hook = type(self).hook, None
        if hook is not None:
            hook()
        return super().send_messages(messages)


def reset() -> None:
    """Put every backend's shared state back to a fresh start."""
    UnreachableBackend.attempts = 0
    for event in (
        BlockingBackend.started,
        BlockingBackend.release,
        BlockingBackend.finished,
    ):
        event.clear()
    InterruptingBackend.hook = None
