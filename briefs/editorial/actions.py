"""Workflow actions: each one is its check and its execution.

Running an action locks the variant's row, re-reads it, checks who may act
and from which state, executes, writes the review event and queues its mail
in the same transaction (as wagtail/actions do): the admin, commands and
tests all go through :meth:`Action.run`, so a button, a script and a crafted
POST meet the same rules. A new action is one subclass, listed in
briefs.editorial.workflow.ACTIONS; putting text online or taking it offline
lives in briefs.editorial.publishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition, can_proceed

from ..models import (
    ChangeKind,
    EventAction,
    ReviewComment,
    ReviewEvent,
    Revision,
    State,
    Variant,
)
from . import assignment, figure_checks, notifications, translations
from .editing import can_edit, text_authors
from .errors import WorkflowError
from .revisions import make_revision, submission_problems, submission_warnings


@dataclass(frozen=True)
class Outcome:
    """What an action did: its review event, and what the person should know."""

    event: ReviewEvent
    warnings: list[str] = field(default_factory=list)


def locked(variant: Variant) -> Variant:
    """Re-read ``variant`` under a row lock (no-op lock on SQLite).

    No join here: after waiting for the lock, PostgreSQL re-reads the locked
    row but not the joined ones, so a revision committed meanwhile would come
    back as None. Related rows are read lazily, after the lock, instead.
    """
    return Variant.objects.select_for_update().get(pk=variant.pk)


def record(
    *,
    variant: Variant,
    user,
    action: str,
    from_state: str,
    revision: Revision | None,
    comment: str = "",
) -> ReviewEvent:
    """Save the variant's new state, write the review event, queue its mail."""
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


def note(
    *,
    variant: Variant,
    user,
    action: str,
    revision: Revision | None,
    comment: str = "",
) -> ReviewEvent:
    """Write an event that changes no state (an assignment, a comment), and its mail."""
    event = ReviewEvent.objects.create(
        variant=variant,
        revision=revision,
        actor=user,
        action=action,
        from_state=variant.state,
        to_state=variant.state,
        comment=comment.strip(),
    )
    notifications.queue_for_event(event=event)
    return event


class Action:
    """One workflow action: who may do it, from where, and what it does."""

    name: ClassVar[str]
    label: ClassVar[Promise]
    permission: ClassVar[str]
    comment_required: ClassVar[bool] = False
    # A decision on the revision under review: refused if it was replaced
    # since the person read it.
    decides_revision: ClassVar[bool] = False
    # Keyword options the action accepts besides the comment.
    options: ClassVar[tuple[str, ...]] = ()

    def check(self, *, variant: Variant, user, comment: str = "", **options) -> None:
        """Raise :class:`WorkflowError` unless ``user`` may do this now."""
        if user is None or not user.is_active or not user.is_authenticated:
            raise WorkflowError(_("Vous devez être connecté."))
        if not user.has_perm(self.permission):
            raise WorkflowError(
                _("Vous n'avez pas le droit de faire cette action : « %(action)s ».")
                % {"action": self.label}
            )
        self.check_state(variant=variant)
        if self.comment_required and not comment.strip():
            raise WorkflowError(_("Un commentaire est obligatoire pour cette action."))
        self.rules(variant=variant, user=user, **options)

    def check_state(self, *, variant: Variant) -> None:
        if not can_proceed(getattr(variant, self.name)):
            raise WorkflowError(
                _("Action « %(action)s » impossible depuis l'état « %(state)s ».")
                % {"action": self.label, "state": variant.get_state_display()}
            )

    def rules(self, *, variant: Variant, user, **options) -> None:
        """The action's own rules, after the shared ones."""

    def comment_needed(self, *, variant: Variant) -> bool:
        """Whether the action asks for a comment on ``variant`` now."""
        return self.comment_required

    def offered(self, *, variant: Variant, user) -> bool:
        """Whether to offer the action to ``user`` on ``variant`` now."""
        try:
            self.check(variant=variant, user=user, comment="-")
        except WorkflowError:
            return False
        return True

    def warnings(self, *, variant: Variant) -> list[str]:
        """What the person should know on doing this; nothing here refuses."""
        return []

    def execute(self, *, variant: Variant, user, comment: str, **options):
        """Change the variant and record it; the checks have passed."""
        raise NotImplementedError

    def run(
        self,
        *,
        variant: Variant,
        user,
        comment: str = "",
        revision: int | None = None,
        **options,
    ) -> Outcome:
        """Lock, check, execute and record, in one transaction."""
        options = {k: v for k, v in options.items() if k in self.options}
        with transaction.atomic():
            variant = locked(variant)
            if revision is not None and self.decides_revision:
                _check_revision_seen(variant=variant, number=revision)
            self.check(variant=variant, user=user, comment=comment, **options)
            warnings = self.warnings(variant=variant)
            event = self.execute(
                variant=variant, user=user, comment=comment.strip(), **options
            )
        return Outcome(event, warnings)


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


class Submit(Action):
    """Snapshot the working copy as a revision and send it to review."""

    name = EventAction.SUBMIT
    label = gettext_lazy("Soumettre à relecture")
    permission = "briefs.submit_variant"

    def check_state(self, *, variant: Variant) -> None:
        if variant.state in (State.PUBLISHED, State.UNPUBLISHED):
            raise WorkflowError(
                _(
                    "Le texte n'a pas changé depuis la dernière version publiée : "
                    "il n'y a rien à soumettre."
                )
            )
        super().check_state(variant=variant)

    def offered(self, *, variant: Variant, user) -> bool:
        # On a published text the page's buttons save it first, which starts
        # the draft that is then submitted.
        if variant.state in (State.PUBLISHED, State.UNPUBLISHED):
            return (
                user is not None
                and user.has_perm(self.permission)
                and can_edit(variant=variant, user=user)
            )
        # The kind of change of a correction is asked beside the button: its
        # absence now is no reason to hide the button.
        try:
            self.check(
                variant=variant, user=user, comment="-", change_kind=ChangeKind.MINOR
            )
        except WorkflowError:
            return False
        return True

    options = ("change_kind", "change_note", "reviewer", "due", "translation")

    def rules(
        self,
        *,
        variant: Variant,
        user,
        change_kind: str = "",
        change_note: str = "",
        reviewer=None,
        due=None,
        translation: str = "",
        **options,
    ) -> None:
        problems = submission_problems(variant)
        problems += assignment.problems(
            variant=variant, reviewer=reviewer, due=due, submitter=user
        )
        problem = translations.statement_problem(
            variant, variant.latest_revision, translation
        )
        if problem:
            problems.append(problem)
        if variant.first_published_at is not None:
            # Readers have seen this text: say what kind of change this is.
            if change_kind not in (ChangeKind.SUBSTANCE, ChangeKind.MINOR):
                problems.append(
                    _(
                        "Ce texte a déjà été publié : dites s'il s'agit d'une "
                        "correction de fond (affichée aux lecteurs) ou d'une "
                        "correction mineure."
                    )
                )
            elif change_kind == ChangeKind.SUBSTANCE and not change_note.strip():
                problems.append(
                    _(
                        "Une correction de fond s'accompagne d'une note pour les "
                        "lecteurs : ce qui a changé, en une phrase."
                    )
                )
        if problems:
            raise WorkflowError(" ".join(problems))

    def warnings(self, *, variant: Variant) -> list[str]:
        return submission_warnings(variant)

    def execute(
        self,
        *,
        variant: Variant,
        user,
        comment: str,
        change_kind: str = "",
        change_note: str = "",
        reviewer=None,
        due=None,
        translation: str = "",
        **options,
    ):
        from_state = variant.state
        english_of = translations.translated_from(
            variant, variant.latest_revision, translation
        )
        if variant.first_published_at is None:
            change_kind, change_note = ChangeKind.FIRST, ""
        elif change_kind == ChangeKind.MINOR:
            change_note = ""
        revision = make_revision(
            variant=variant,
            user=user,
            change_kind=change_kind,
            change_note=change_note.strip(),
            translated_from=english_of,
        )
        variant.latest_revision = revision
        variant.submitted_at = revision.created_at
        variant.assigned_to = reviewer
        variant.assignment_due = due
        variant.submit()
        return record(
            variant=variant,
            user=user,
            action=self.name,
            from_state=from_state,
            revision=revision,
            comment=comment,
        )


class RequestChanges(Action):
    """Send the revision under review back to its author, saying why: the
    comment, and a summary of the open comments on its paragraphs."""

    name = EventAction.REQUEST_CHANGES
    label = gettext_lazy("Demander des modifications")
    permission = "briefs.review_variant"
    decides_revision = True

    def check(self, *, variant: Variant, user, comment: str = "", **options) -> None:
        super().check(variant=variant, user=user, comment=comment, **options)
        if not comment.strip() and not open_comments(variant).exists():
            raise WorkflowError(
                _(
                    "Dites ce qui doit changer : un commentaire, ou des "
                    "commentaires sur les paragraphes."
                )
            )

    def rules(self, *, variant: Variant, user, **options) -> None:
        assignment.check_may_decide(variant=variant, user=user)

    def comment_needed(self, *, variant: Variant) -> bool:
        # Comments on the paragraphs say it already.
        return not open_comments(variant).exists()

    def execute(self, *, variant: Variant, user, comment: str, **options):
        from_state = variant.state
        summary = comments_summary(open_comments(variant))
        variant.request_changes()
        return record(
            variant=variant,
            user=user,
            action=self.name,
            from_state=from_state,
            revision=variant.latest_revision,
            comment="\n\n".join(part for part in (comment, summary) if part),
        )


def open_comments(variant: Variant):
    """The open comments on ``variant``'s paragraphs, in the text's order."""
    return ReviewComment.objects.open().filter(variant=variant)


def comments_summary(comments) -> str:
    """The open comments, one line each, for the author's mail and the history."""
    lines = [
        _("§%(n)s (%(lang)s) « %(quote)s » : %(body)s")
        % {
            "n": comment.paragraph + 1,
            "lang": comment.language,
            "quote": Truncator(" ".join(comment.quote.split())).chars(80),
            "body": comment.body,
        }
        for comment in comments.order_by("language", "part", "paragraph", "pk")
    ]
    if not lines:
        return ""
    return "\n".join([_("Commentaires ouverts sur le texte :"), *lines])


class Approve(Action):
    """Approve exactly the revision under review, never one's own text."""

    name = EventAction.APPROVE
    label = gettext_lazy("Approuver")
    permission = "briefs.review_variant"
    decides_revision = True

    options = ("acknowledged",)

    def rules(self, *, variant: Variant, user, acknowledged=(), **options) -> None:
        if user.pk in text_authors(variant):
            raise WorkflowError(
                _(
                    "Vous ne pouvez pas approuver un texte que vous avez écrit "
                    "ou modifié."
                )
            )
        assignment.check_may_decide(variant=variant, user=user)
        if options.get("offering"):
            return
        figure_checks.check_acknowledged(variant.latest_revision, acknowledged)

    def offered(self, *, variant: Variant, user) -> bool:
        # Offered with its differences to acknowledge beside the button.
        try:
            self.check(variant=variant, user=user, comment="-", offering=True)
        except WorkflowError:
            return False
        return True

    def execute(
        self, *, variant: Variant, user, comment: str, acknowledged=(), **options
    ):
        from_state = variant.state
        revision = variant.latest_revision
        checked = figure_checks.check_acknowledged(revision, acknowledged)
        if checked:
            comment = "\n".join(
                [
                    comment,
                    _("Différences de chiffres vérifiées :"),
                    *(f"- {figure_checks.describe(d)}" for d in checked),
                ]
            ).strip()
        # Approval is recorded on the revision once; its content never changes.
        Revision.objects.filter(pk=revision.pk, approved_at__isnull=True).update(
            approved_by=user, approved_at=timezone.now()
        )
        revision.refresh_from_db(fields=["approved_by", "approved_at"])
        variant.reviewer = user
        variant.approve()
        return record(
            variant=variant,
            user=user,
            action=self.name,
            from_state=from_state,
            revision=revision,
            comment=comment,
        )


ACTIONS: dict[str, Action] = {
    action.name: action for action in (Submit(), RequestChanges(), Approve())
}
