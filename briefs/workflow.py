"""The editorial workflow: the one door every state change goes through.

Each action checks who may do it, locks the variant's row, checks its current
state, changes it, writes a review event, and queues the notifications for
after the commit. The admin, the management commands and the tests all call
these functions; nothing else assigns a variant's state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, can_proceed

from . import notifications
from .models import ReviewEvent, Revision, State, Variant
from .models.content import LANGUAGE_CODES
from .rendering import complexity_problem
from .revisions import make_revision, submission_problems


class WorkflowError(Exception):
    """A workflow action was refused; ``message`` says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EditConflict(WorkflowError):
    """Someone else saved the variant since the editor loaded it."""


class ConfirmationNeeded(WorkflowError):
    """The action has consequences the person must confirm; ``message`` says which."""


class ContentRefused(WorkflowError):
    """The text breaks a limit every door enforces; ``problems`` maps field to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class Action:
    """A transition as offered to people: its name, label and rules."""

    name: str
    label: str
    permission: str | None
    comment_required: bool = False


ACTIONS = {
    action.name: action
    for action in (
        Action(
            "submit", gettext_lazy("Soumettre à relecture"), "briefs.submit_variant"
        ),
        Action(
            "request_changes",
            gettext_lazy("Demander des modifications"),
            "briefs.review_variant",
            comment_required=True,
        ),
        Action("approve", gettext_lazy("Approuver"), "briefs.review_variant"),
        Action("publish", gettext_lazy("Publier"), "briefs.publish_variant"),
        Action("unpublish", gettext_lazy("Dépublier"), "briefs.publish_variant"),
    )
}

# States whose text may be changed; published and unpublished start a new draft.
EDITABLE_STATES = frozenset(
    {State.DRAFT, State.CHANGES_REQUESTED, State.PUBLISHED, State.UNPUBLISHED}
)


def _user_label(user) -> str:
    if user is None:
        return _("quelqu'un")
    return user.get_full_name() or user.get_username()


def _check(action: Action, *, variant: Variant, user, comment: str = "") -> None:
    """Raise :class:`WorkflowError` unless ``user`` may do ``action`` now."""
    if user is None or not user.is_active or not user.is_authenticated:
        raise WorkflowError(_("Vous devez être connecté."))
    if action.permission and not user.has_perm(action.permission):
        raise WorkflowError(
            _("Vous n'avez pas le droit de faire cette action : « %(action)s ».")
            % {"action": action.label}
        )
    if action.name == "submit" and variant.state in (
        State.PUBLISHED,
        State.UNPUBLISHED,
    ):
        raise WorkflowError(
            _(
                "Le texte n'a pas changé depuis la dernière version publiée : "
                "il n'y a rien à soumettre."
            )
        )
    if not can_proceed(getattr(variant, action.name)):
        raise WorkflowError(
            _("Action « %(action)s » impossible depuis l'état « %(state)s ».")
            % {"action": action.label, "state": variant.get_state_display()}
        )
    if action.comment_required and not comment.strip():
        raise WorkflowError(_("Un commentaire est obligatoire pour cette action."))
    if action.name == "approve" and user.pk in text_authors(variant):
        raise WorkflowError(
            _("Vous ne pouvez pas approuver un texte que vous avez écrit ou modifié.")
        )
    if action.name == "publish":
        revision = variant.latest_revision
        if revision is None or revision.approved_at is None:
            raise WorkflowError(_("Cette révision n'a pas été approuvée."))


# Review events that write the text: whoever did one since the last approval
# is one of the authors of the revision under review.
TEXT_ACTIONS = ("edit", "submit", "new_draft")


def _since_last_approval(events):
    """``events`` (of one variant, or correlated to ``OuterRef("pk")`` of
    variants) recorded after that variant's last approval."""
    last_approval = (
        ReviewEvent.objects.filter(variant=OuterRef("variant"), action="approve")
        .order_by("-pk")
        .values("pk")[:1]
    )
    return events.filter(pk__gt=Coalesce(Subquery(last_approval), Value(0)))


def text_authors(variant: Variant) -> set[int]:
    """Ids of everyone who wrote the text under review: its author, and whoever
    saved, submitted or restarted it since the last approved revision."""
    authors = {variant.author_id, variant.last_edited_by_id}
    if variant.latest_revision_id is not None:
        authors.add(variant.latest_revision.created_by_id)
    writes = _since_last_approval(
        ReviewEvent.objects.filter(variant=variant, action__in=TEXT_ACTIONS)
    )
    authors.update(writes.values_list("actor_id", flat=True))
    authors.discard(None)
    return authors


def allowed_actions(*, variant: Variant, user) -> list[Action]:
    """The actions ``user`` may take on ``variant`` now (comments aside).

    On a published or unpublished text that ``user`` may edit, submitting is
    offered too: the page's buttons save the text first, which starts a draft.
    """
    allowed = []
    for action in ACTIONS.values():
        try:
            _check(action, variant=variant, user=user, comment="-")
        except WorkflowError:
            if not (
                action.name == "submit"
                and variant.state in (State.PUBLISHED, State.UNPUBLISHED)
                and user is not None
                and user.has_perm(action.permission)
                and can_edit(variant=variant, user=user)
            ):
                continue
        allowed.append(action)
    return allowed


def _locked(variant: Variant) -> Variant:
    """Re-read ``variant`` under a row lock (no-op lock on SQLite).

    No join here: after waiting for the lock, PostgreSQL re-reads the locked
    row but not the joined ones, so a revision committed meanwhile would come
    back as None. Related rows are read lazily, after the lock, instead.
    """
    return Variant.objects.select_for_update().get(pk=variant.pk)


def _record(
    *,
    variant: Variant,
    user,
    action: str,
    from_state: str,
    revision: Revision | None,
    comment: str = "",
) -> ReviewEvent:
    try:
        variant.save()
    except ConcurrentTransition as exc:
        raise WorkflowError(
            _("La version a changé entre-temps ; rechargez la page.")
        ) from exc
    event = ReviewEvent.objects.create(
        variant=variant,
        revision=revision,
        actor=user,
        action=action,
        from_state=from_state,
        to_state=variant.state,
        comment=comment.strip(),
    )
    # Written in this transaction: a rollback leaves no mail, a commit loses none.
    notifications.queue_for_event(event=event)
    return event


@transaction.atomic
def perform(
    name: str,
    *,
    variant: Variant,
    user,
    comment: str = "",
    at: dt.datetime | None = None,
    revision: int | None = None,
    confirm: bool = False,
) -> ReviewEvent:
    """Run the workflow action called ``name`` (the admin's single entry point).

    ``revision`` is the number of the revision the person saw when they
    decided: a decision on a revision replaced meanwhile is refused.
    ``confirm`` confirms an unpublication that leaves pending work behind.
    """
    functions = {
        "submit": submit,
        "request_changes": request_changes,
        "approve": approve,
        "publish": publish,
        "unpublish": unpublish,
    }
    if name not in functions:
        raise WorkflowError(_("Action inconnue."))
    if revision is not None and name in ("request_changes", "approve", "publish"):
        _check_revision_seen(variant=_locked(variant), number=revision)
    extra = {"at": at} if name == "publish" else {}
    if name == "unpublish":
        extra = {"confirm": confirm}
    return functions[name](variant=variant, user=user, comment=comment, **extra)


def _check_revision_seen(*, variant: Variant, number: int) -> None:
    """Refuse a decision taken on another revision than the one now waiting."""
    current = variant.latest_revision
    if current is not None and current.number != number:
        raise WorkflowError(
            _(
                "La révision %(seen)s que vous avez lue a été remplacée par la "
                "révision %(current)s : relisez-la avant de décider."
            )
            % {"seen": number, "current": current.number}
        )


@transaction.atomic
def submit(
    *, variant: Variant, user: AbstractBaseUser, comment: str = ""
) -> ReviewEvent:
    """Snapshot the working copy as a revision and send it to review."""
    variant = _locked(variant)
    _check(ACTIONS["submit"], variant=variant, user=user, comment=comment)
    problems = submission_problems(variant)
    if problems:
        raise WorkflowError(" ".join(problems))
    from_state = variant.state
    revision = make_revision(variant=variant, user=user)
    variant.latest_revision = revision
    variant.submit()
    return _record(
        variant=variant,
        user=user,
        action="submit",
        from_state=from_state,
        revision=revision,
        comment=comment,
    )


@transaction.atomic
def request_changes(
    *, variant: Variant, user: AbstractBaseUser, comment: str
) -> ReviewEvent:
    """Send the revision under review back to its author, saying why."""
    variant = _locked(variant)
    _check(ACTIONS["request_changes"], variant=variant, user=user, comment=comment)
    from_state = variant.state
    variant.request_changes()
    return _record(
        variant=variant,
        user=user,
        action="request_changes",
        from_state=from_state,
        revision=variant.latest_revision,
        comment=comment,
    )


@transaction.atomic
def approve(
    *, variant: Variant, user: AbstractBaseUser, comment: str = ""
) -> ReviewEvent:
    """Approve exactly the revision under review."""
    variant = _locked(variant)
    _check(ACTIONS["approve"], variant=variant, user=user, comment=comment)
    from_state = variant.state
    now = timezone.now()
    revision = variant.latest_revision
    # Approval is recorded on the revision once; its content never changes.
    Revision.objects.filter(pk=revision.pk, approved_at__isnull=True).update(
        approved_by=user, approved_at=now
    )
    revision.refresh_from_db(fields=["approved_by", "approved_at"])
    variant.reviewer = user
    variant.approve()
    return _record(
        variant=variant,
        user=user,
        action="approve",
        from_state=from_state,
        revision=revision,
        comment=comment,
    )


@transaction.atomic
def publish(
    *,
    variant: Variant,
    user: AbstractBaseUser,
    comment: str = "",
    at: dt.datetime | None = None,
) -> ReviewEvent | None:
    """Put the approved revision online now, or schedule it for ``at``.

    Scheduling keeps the variant approved and records who scheduled it;
    :func:`publish_due` publishes it when the time comes.
    """
    variant = _locked(variant)
    _check(ACTIONS["publish"], variant=variant, user=user, comment=comment)
    now = timezone.now()
    if at is not None and at > now:
        variant.scheduled_at = at
        try:
            variant.save(update_fields=["scheduled_at", "updated_at"])
        except ConcurrentTransition as exc:
            raise WorkflowError(_("La version a changé entre-temps.")) from exc
        return ReviewEvent.objects.create(
            variant=variant,
            revision=variant.latest_revision,
            actor=user,
            action="schedule",
            from_state=variant.state,
            to_state=variant.state,
            comment=(
                _("Publication programmée le %(date)s.")
                % {"date": date_format(timezone.localtime(at), "DATETIME_FORMAT")}
                + (f" {comment.strip()}" if comment.strip() else "")
            ),
        )
    return _go_live(variant=variant, user=user, comment=comment, now=now)


def _go_live(*, variant: Variant, user, comment: str, now: dt.datetime) -> ReviewEvent:
    from_state = variant.state
    revision = variant.latest_revision
    variant.live_revision = revision
    variant.scheduled_at = None
    variant.withdrawn_at = None
    variant.first_published_at = variant.first_published_at or now
    variant.last_published_at = now
    variant.last_reviewed_at = revision.approved_at
    variant.review_due_at = _add_months(
        revision.approved_at, variant.audience.review_period_months
    )
    variant.publish()
    return _record(
        variant=variant,
        user=user,
        action="publish",
        from_state=from_state,
        revision=revision,
        comment=comment,
    )


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)  # pragma: no cover - day 28 always exists


def unpublish_consequences(variant: Variant) -> str:
    """What unpublishing does to the work pending on ``variant`` ("" if none)."""
    pending = variant.latest_revision
    if variant.state == State.IN_REVIEW:
        return _(
            "La révision %(n)s, en relecture, y reste : une fois approuvée puis "
            "publiée, elle remettra la page en ligne."
        ) % {"n": pending.number}
    if variant.state == State.APPROVED:
        text = _(
            "La révision %(n)s, approuvée, n'est pas mise en ligne ; elle pourra "
            "être publiée ensuite."
        ) % {"n": pending.number}
        if variant.scheduled_at:
            text += " " + _("Sa publication programmée le %(date)s est annulée.") % {
                "date": date_format(
                    timezone.localtime(variant.scheduled_at), "DATETIME_FORMAT"
                )
            }
        return text
    if variant.state in (State.DRAFT, State.CHANGES_REQUESTED):
        return _(
            "Le texte en cours de modification reste un brouillon ; il pourra être "
            "soumis à relecture ensuite."
        )
    return ""


@transaction.atomic
def unpublish(
    *,
    variant: Variant,
    user: AbstractBaseUser,
    comment: str = "",
    confirm: bool = False,
) -> ReviewEvent:
    """Take the live revision offline; its public URLs then answer 410.

    Work pending on the variant (a draft, a revision in review or approved)
    keeps its state; since unpublishing does not decide on it, the person
    must ``confirm`` having read what becomes of it, which the history keeps.
    """
    variant = _locked(variant)
    _check(ACTIONS["unpublish"], variant=variant, user=user, comment=comment)
    consequences = unpublish_consequences(variant)
    if consequences and not confirm:
        raise ConfirmationNeeded(consequences)
    from_state = variant.state
    revision = variant.live_revision
    variant.unpublish()
    variant.live_revision = None
    variant.scheduled_at = None
    variant.withdrawn_at = timezone.now()
    note = "\n".join(part for part in (comment.strip(), consequences) if part)
    return _record(
        variant=variant,
        user=user,
        action="unpublish",
        from_state=from_state,
        revision=revision,
        comment=note,
    )


def publish_due(*, now: dt.datetime | None = None) -> list[Variant]:
    """Publish every approved variant whose scheduled time has come.

    Safe to run twice at once: each variant is published in its own
    transaction under a row lock (rows already locked are skipped), and the
    state is checked again once locked.
    """
    now = now or timezone.now()
    published = []
    due = Variant.objects.filter(state=State.APPROVED, scheduled_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                variant = (
                    Variant.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("audience", "latest_revision")
                    .filter(pk=pk, state=State.APPROVED, scheduled_at__lte=now)
                    .first()
                )
                if variant is None:
                    continue  # published meanwhile, or being published by another run
                scheduler = (
                    ReviewEvent.objects.filter(variant=variant, action="schedule")
                    .select_related("actor")
                    .first()
                )
                _go_live(
                    variant=variant,
                    user=scheduler.actor if scheduler else None,
                    comment=_("Publication programmée."),
                    now=now,
                )
        except WorkflowError:
            continue  # another run changed it first: nothing is lost, nothing doubled
        published.append(variant)
    return published


def check_can_edit(*, variant: Variant, user, expected_version: int | None) -> None:
    """Raise :class:`WorkflowError` unless ``user`` may save this working copy.

    ``expected_version`` is the version the editor loaded; if someone saved
    since, the error names who and when.
    """
    if user is None or not user.has_perm("briefs.change_variant"):
        raise WorkflowError(_("Vous n'avez pas le droit de modifier ce texte."))
    if variant.state not in EDITABLE_STATES:
        raise WorkflowError(
            _(
                "Ce texte est « %(state)s » : il ne peut pas être modifié avant "
                "la fin de la relecture."
            )
            % {"state": variant.get_state_display()}
        )
    if expected_version is not None and expected_version != variant.version:
        raise EditConflict(
            _(
                "%(who)s a modifié ce texte le %(when)s, après que vous l'avez "
                "ouvert. Votre texte n'a pas été enregistré : il est ci-dessous ; "
                "rechargez la page pour voir la nouvelle version et reportez-y "
                "vos changements."
            )
            % {
                "who": _user_label(variant.last_edited_by),
                "when": date_format(
                    timezone.localtime(variant.updated_at), "DATETIME_FORMAT"
                ),
            }
        )


# The longest title and standfirst a variant may have (the body's limits are
# the Markdown renderer's, briefs.rendering.complexity_problem).
MAX_TITLE_CHARS = Variant._meta.get_field("title").max_length
MAX_STANDFIRST_CHARS = 2_000


def content_problems(values: dict[str, str]) -> dict[str, str]:
    """Why each text field of ``values`` (field name to text) is refused.

    The same limits for every door: the admin's form, imports, commands and
    scripts all reach :func:`save_content`, which refuses what this lists.
    """
    problems = {}
    for name, value in values.items():
        text = value or ""
        if name.startswith("body"):
            problem = complexity_problem(text)
        elif name.startswith("title") and len(text) > MAX_TITLE_CHARS:
            problem = _("Titre trop long (%(size)d caractères ; maximum %(max)d).") % {
                "size": len(text),
                "max": MAX_TITLE_CHARS,
            }
        elif name.startswith("standfirst") and len(text) > MAX_STANDFIRST_CHARS:
            problem = _("Chapô trop long (%(size)d caractères ; maximum %(max)d).") % {
                "size": len(text),
                "max": MAX_STANDFIRST_CHARS,
            }
        else:
            problem = None
        if problem:
            problems[name] = problem
    return problems


def _text_values(variant: Variant) -> dict[str, str]:
    return {
        name: getattr(variant, name)
        for name in content_field_names()
        if name != "off_label"
    }


def _changed_fields(before: Variant, after: Variant) -> list[str]:
    """The text fields whose value differs between two copies of a variant."""

    def value(variant, name):
        raw = getattr(variant, name)
        return raw if isinstance(raw, bool) else (raw or "")

    return [
        name
        for name in content_field_names()
        if value(before, name) != value(after, name)
    ]


def _record_edit(*, variant: Variant, user, changed: list[str]) -> None:
    """Write a save of the text in the audit trail: who, when, which fields."""
    ReviewEvent.objects.create(
        variant=variant,
        revision=None,
        actor=user,
        action="edit",
        from_state=variant.state,
        to_state=variant.state,
        changed_fields=changed,
    )


@transaction.atomic
def save_content(
    *, variant: Variant, user: AbstractBaseUser, expected_version: int | None
) -> Variant:
    """Save the text of ``variant`` (already set on it) as its working copy.

    Editing a published or unpublished variant starts a new draft; the live
    revision stays online until a new one is approved and published. Every
    save that changes the text is recorded (who, which fields); a save that
    changes nothing writes nothing.
    """
    problems = content_problems(_text_values(variant))
    if problems:
        raise ContentRefused(problems)
    if variant.pk is None:
        variant.author = variant.author or user
        variant.last_edited_by = user
        variant.save()
        written = [
            name
            for name in content_field_names()
            if getattr(variant, name) not in (None, "", False)
        ]
        _record_edit(variant=variant, user=user, changed=written)
        return variant
    current = _locked(variant)
    check_can_edit(variant=current, user=user, expected_version=expected_version)
    changed = _changed_fields(current, variant)
    if not changed:
        variant.refresh_from_db()
        return variant
    if current.state in (State.PUBLISHED, State.UNPUBLISHED):
        from_state = current.state
        current.start_new_draft()
        # Carry the new draft state onto the instance the form filled in.
        Variant._meta.get_field("state").set_state(variant, current.state)
        ReviewEvent.objects.create(
            variant=current,
            revision=current.live_revision,
            actor=user,
            action="new_draft",
            from_state=from_state,
            to_state=current.state,
        )
    updated = Variant.objects.filter(pk=variant.pk, version=current.version).update(
        **{name: getattr(variant, name) for name in content_field_names()},
        state=current.state,
        version=current.version + 1,
        last_edited_by=user,
        updated_at=timezone.now(),
    )
    if updated != 1:
        raise EditConflict(_("Ce texte vient d'être modifié par quelqu'un d'autre."))
    variant.refresh_from_db()
    _record_edit(variant=variant, user=user, changed=changed)
    return variant


def content_field_names() -> list[str]:
    """Names of the editable text fields of a variant, every language."""
    names = ["off_label"]
    for base in ("title", "standfirst", "body"):
        names.extend(f"{base}_{lang}" for lang in LANGUAGE_CODES)
    return names


def awaiting_review_by(user, queryset=None):
    """Variants in review that ``user`` may approve (not their own text)."""
    queryset = Variant.objects.all() if queryset is None else queryset
    if not (user and user.has_perm("briefs.review_variant")):
        return queryset.none()
    wrote = _since_last_approval(
        ReviewEvent.objects.filter(
            variant=OuterRef("pk"), actor=user, action__in=TEXT_ACTIONS
        )
    )
    return queryset.awaiting_review().exclude(
        Q(author=user)
        | Q(last_edited_by=user)
        | Q(latest_revision__created_by=user)
        | Exists(wrote)
    )


def can_edit(*, variant: Variant, user) -> bool:
    """Whether ``user`` may edit ``variant``'s text now."""
    try:
        check_can_edit(variant=variant, user=user, expected_version=None)
    except WorkflowError:
        return False
    return True
