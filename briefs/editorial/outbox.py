"""The outbox: mail written in a transaction, sent after its commit, retried.

A notification is a row of :class:`~briefs.models.OutboxMail` written in the
transaction of what it announces, so a rollback leaves no mail and a commit
never loses one. After the commit the new rows are handed to the sender that
``NEWSROOM_MAIL_SEND_AFTER_COMMIT`` names; whatever that sender could not
deliver, the ``send_queued_mail`` command (cron, every minute) sends later,
with exponential backoff, until ``NEWSROOM_MAIL_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import smtplib
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from queue import SimpleQueue
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.mail import EmailMessage, get_connection
from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from ..models import MailKind, MailStatus, OutboxMail, ReviewEvent

logger = logging.getLogger(__name__)

MODES = ("thread", "inline", "off")
MAX_RETRY_DELAY = dt.timedelta(hours=6)
ERROR_LENGTH = 2000
# The server, not the mail, is at fault: the rest of a run waits for the next.
SERVER_ERRORS = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Outcome:
    """What one attempt to send one mail came to."""

    mail: OutboxMail
    status: str  # a MailStatus
    error: str = ""
    server_error: bool = False


def site_url(path: str) -> str:
    """``path`` as an absolute URL on the site's public address."""
    return settings.NEWSROOM_SITE_URL.rstrip("/") + path


def queue(
    *,
    recipients: Iterable[str],
    subject: str,
    body: str,
    kind: MailKind,
    event: ReviewEvent | None = None,
) -> list[OutboxMail]:
    """Write one mail per recipient to the outbox; it is sent after the commit."""
    subject = " ".join(subject.split())  # a mail header holds a single line
    mails = OutboxMail.objects.bulk_create(
        OutboxMail(
            recipient=recipient, subject=subject, body=body, kind=kind, event=event
        )
        for recipient in dict.fromkeys(recipients)
    )
    if mails:
        ids = [mail.pk for mail in mails]
        transaction.on_commit(lambda: send_after_commit(ids), robust=True)
    return mails


def send_after_commit(ids: list[int]) -> None:
    """Send just-committed mail the way NEWSROOM_MAIL_SEND_AFTER_COMMIT says."""
    mode = settings.NEWSROOM_MAIL_SEND_AFTER_COMMIT
    if mode == "inline":
        send_due(ids=ids)
    elif mode == "thread":
        background.submit(ids)
    # "off" (or a mode the system checks refuse): send_queued_mail sends it.


def retry_delay(attempts: int) -> dt.timedelta:
    """How long a mail waits after its ``attempts``-th failure."""
    seconds = settings.NEWSROOM_MAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return min(dt.timedelta(seconds=seconds), MAX_RETRY_DELAY)


def _claim_expired_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.NEWSROOM_MAIL_CLAIM_SECONDS)


def send_due(*, ids: Iterable[int] | None = None, limit: int = 100) -> list[Outcome]:
    """Send the pending mail whose time has come (of ``ids`` only, if given).

    Each row is claimed by a conditional UPDATE just before it is sent, so
    two senders, in one process or several, never send the same row. A
    server that cannot be reached ends the run; the rest waits for the next.
    """
    now = timezone.now()
    due = OutboxMail.objects.due(
        now=now, claim_expired_before=_claim_expired_before(now)
    )
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    candidates = list(
        due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    outcomes = []
    for pk in candidates:
        claimed = _claim(pk)
        if claimed is None:
            continue  # sent, or being sent, by another sender meanwhile
        outcome = _deliver(*claimed)
        outcomes.append(outcome)
        if outcome.server_error:
            break
    return outcomes


def _claim(pk: int) -> tuple[OutboxMail, str] | None:
    """Take the row ``pk`` for this sender, or None if another has it."""
    token = uuid.uuid4().hex
    now = timezone.now()
    # One UPDATE whose WHERE re-checks the row: on PostgreSQL a second sender
    # waits for the first's row lock, then finds the claim and updates nothing;
    # SQLite runs one writer at a time.
    taken = (
        OutboxMail.objects.due(now=now, claim_expired_before=_claim_expired_before(now))
        .filter(pk=pk)
        .update(claim_token=token, claimed_at=now)
    )
    if taken != 1:
        return None
    return OutboxMail.objects.get(pk=pk), token


def _message_id(mail: OutboxMail) -> str:
    # The same row always carries the same Message-ID, so a mail sent again
    # (a crash between the server's acceptance and our record) reads as one.
    host = urlsplit(settings.NEWSROOM_SITE_URL).hostname or "localhost"
    return f"<outbox.{mail.pk}.{mail.created_at:%Y%m%d%H%M%S%f}@{host}>"


def _deliver(mail: OutboxMail, token: str) -> Outcome:
    """Send one claimed mail and record the result on its row."""
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient],
        headers={"Message-ID": _message_id(mail)},
    )
    try:
        # The SMTP backend waits at most EMAIL_TIMEOUT for each server reply.
        if get_connection(fail_silently=False).send_messages([message]) != 1:
            raise smtplib.SMTPException("the mail backend did not accept the mail")
    except Exception as exc:  # any failure is recorded and retried, never raised
        return _record_failure(mail, token, exc)
    OutboxMail.objects.filter(pk=mail.pk, claim_token=token).update(
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        claim_token="",
        claimed_at=None,
        last_error="",
    )
    logger.info("mail %s sent to %s", mail.pk, mail.recipient)
    return Outcome(mail=mail, status=MailStatus.SENT)


def _record_failure(mail: OutboxMail, token: str, exc: Exception) -> Outcome:
    attempts = mail.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]
    now = timezone.now()
    fields = {
        "attempts": attempts,
        "last_error": error,
        "claim_token": "",
        "claimed_at": None,
    }
    if attempts >= settings.NEWSROOM_MAIL_MAX_ATTEMPTS:
        fields["failed_at"] = now
        status = MailStatus.FAILED
    else:
        fields["next_attempt_at"] = now + retry_delay(attempts)
        status = MailStatus.PENDING
    OutboxMail.objects.filter(pk=mail.pk, claim_token=token).update(**fields)
    logger.warning(
        "mail %s to %s failed (attempt %s): %s",
        mail.pk,
        mail.recipient,
        attempts,
        error,
    )
    return Outcome(
        mail=mail,
        status=status,
        error=error,
        server_error=isinstance(exc, SERVER_ERRORS),
    )


def retry_failed() -> int:
    """Give every failed mail one more attempt, now; returns how many."""
    return OutboxMail.objects.failed().update(
        failed_at=None, next_attempt_at=timezone.now()
    )


class BackgroundSender:
    """One daemon thread per process that sends the mail commits hand it.

    A request only puts row ids on a queue, so a slow or hung SMTP server
    never holds it up. What the thread cannot send stays pending for
    send_queued_mail; the process waits for it a little at exit.
    """

    def __init__(self) -> None:
        self._reset()
        # A forked worker starts with no thread: give it a fresh queue and lock.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._queue: SimpleQueue[list[int]] = SimpleQueue()
        self._idle = threading.Condition()
        self._pending = 0
        self._thread: threading.Thread | None = None

    def submit(self, ids: list[int]) -> None:
        """Queue ``ids`` for sending, starting the thread if needed."""
        with self._idle:
            self._pending += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="outbox-sender", daemon=True
                )
                self._thread.start()
        self._queue.put(ids)

    def wait(self, timeout: float) -> bool:
        """Wait until every batch handed over has been tried; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def _run(self) -> None:
        while True:
            ids = self._queue.get()
            try:
                send_due(ids=ids)
            except Exception:  # the rows stay pending; send_queued_mail retries
                logger.exception("could not send queued mail %s", ids)
            finally:
                # This thread's connections are its own: nothing else closes them.
                connections.close_all()
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()


background = BackgroundSender()


@atexit.register
def _finish_sending() -> None:
    """Give the background thread a moment to send what it holds at exit."""
    if settings.configured:
        background.wait(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 10)


@checks.register("mail")
def check_mail_settings(app_configs=None, **kwargs):
    """Refuse a site URL that cannot make links, or an unknown sending mode."""
    errors = []
    url = urlsplit(settings.NEWSROOM_SITE_URL)
    if url.scheme not in ("http", "https") or not url.hostname:
        errors.append(
            checks.Error(
                "NEWSROOM_SITE_URL must be an absolute http or https URL; links "
                "in mail are built from it.",
                hint="For example NEWSROOM_SITE_URL=https://breves.example.org.",
                id="briefs.E001",
            )
        )
    if settings.NEWSROOM_MAIL_SEND_AFTER_COMMIT not in MODES:
        errors.append(
            checks.Error(
                "NEWSROOM_MAIL_SEND_AFTER_COMMIT must be one of: thread, inline, off.",
                id="briefs.E002",
            )
        )
    return errors


@checks.register("mail", deploy=True)
def check_site_url_is_public(app_configs=None, **kwargs):
    """Warn when mail links would point at this machine in production."""
    host = urlsplit(settings.NEWSROOM_SITE_URL).hostname
    if settings.DEBUG or host not in LOOPBACK_HOSTS:
        return []
    return [
        checks.Warning(
            "NEWSROOM_SITE_URL points at this machine: the links in mail would "
            "not open for the people who receive them.",
            hint="Set NEWSROOM_SITE_URL to the site's public address.",
            id="briefs.W002",
        )
    ]
