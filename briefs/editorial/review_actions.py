"""The reviewer's desk actions: naming a reviewer, taking a text, commenting
on its paragraphs, answering and resolving comments.

None of them changes a text's state; each checks who may act and on what,
under the variant's row lock, and writes its event in the audit trail
(briefs.editorial.actions.Action.run), as every other action does.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import EventAction, ReviewComment, State, TextPart, Variant
from ..models.content import LANGUAGE_CODES
from ..text.paragraphs import blocks
from . import assignment
from .actions import Action, note
from .editing import can_edit
from .errors import WorkflowError

COMMENT_MAX_LENGTH = 5_000


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _in_review(action: Action, variant: Variant) -> None:
    if variant.state != State.IN_REVIEW:
        raise WorkflowError(
            _("Action « %(action)s » impossible depuis l'état « %(state)s ».")
            % {"action": action.label, "state": variant.get_state_display()}
        )


class Assign(Action):
    """A chief editor names the reviewer of a text in review (or nobody: any)."""

    name = "assign"
    label = gettext_lazy("Confier la relecture")
    permission = "briefs.publish_variant"
    options = ("reviewer", "due")

    def check_state(self, *, variant: Variant) -> None:
        _in_review(self, variant)

    def rules(self, *, variant: Variant, user, reviewer=None, due=None, **options):
        found = assignment.problems(variant=variant, reviewer=reviewer, due=due)
        if found:
            raise WorkflowError(" ".join(found))

    def execute(self, *, variant: Variant, user, comment: str, reviewer=None, due=None):
        variant.assigned_to = reviewer
        variant.assignment_due = due
        variant.save(update_fields=["assigned_to", "assignment_due", "updated_at"])
        who = _name(reviewer) if reviewer else _("tout relecteur")
        summary = _("Relecture confiée à %(name)s.") % {"name": who}
        if due:
            summary += " " + _("Attendue pour le %(date)s.") % {
                "date": due.strftime("%d/%m/%Y")
            }
        return note(
            variant=variant,
            user=user,
            action=EventAction.ASSIGN,
            revision=variant.latest_revision,
            comment=f"{summary} {comment}".strip(),
        )


class Take(Action):
    """A reviewer takes a text in review that nobody was named for."""

    name = "take"
    label = gettext_lazy("Prendre cette relecture")
    permission = "briefs.review_variant"

    def check_state(self, *, variant: Variant) -> None:
        _in_review(self, variant)

    def rules(self, *, variant: Variant, user, **options) -> None:
        if variant.assigned_to_id is not None:
            raise WorkflowError(
                _("Cette relecture est déjà confiée à %(name)s.")
                % {"name": _name(variant.assigned_to)}
            )
        found = assignment.problems(variant=variant, reviewer=user, due=None)
        if found:
            raise WorkflowError(" ".join(found))

    def execute(self, *, variant: Variant, user, comment: str, **options):
        variant.assigned_to = user
        variant.save(update_fields=["assigned_to", "updated_at"])
        return note(
            variant=variant,
            user=user,
            action=EventAction.ASSIGN,
            revision=variant.latest_revision,
            comment=(
                _("Relecture prise par %(name)s.") % {"name": _name(user)}
                + f" {comment}"
            ).strip(),
        )


def paragraphs_of(revision, *, part: str, language: str) -> list[str]:
    """The paragraphs of one part of ``revision`` in ``language``."""
    value = revision.localized(part, language)
    if part == TextPart.BODY:
        return blocks(value)
    return [value] if value.strip() else []


class CommentOn(Action):
    """A reviewer comments on one paragraph of the revision under review."""

    name = "comment"
    label = gettext_lazy("Commenter ce paragraphe")
    permission = "briefs.review_variant"
    comment_required = True
    decides_revision = True
    options = ("part", "language", "paragraph")

    def check_state(self, *, variant: Variant) -> None:
        _in_review(self, variant)

    def rules(self, *, variant: Variant, user, part="", language="", paragraph=None):
        if part not in TextPart.values or language not in LANGUAGE_CODES:
            raise WorkflowError(_("Ce paragraphe n'existe pas dans cette révision."))
        found = paragraphs_of(variant.latest_revision, part=part, language=language)
        if paragraph is None or not 0 <= paragraph < len(found):
            raise WorkflowError(_("Ce paragraphe n'existe pas dans cette révision."))

    def check(self, *, variant: Variant, user, comment: str = "", **options) -> None:
        super().check(variant=variant, user=user, comment=comment, **options)
        if len(comment) > COMMENT_MAX_LENGTH:
            raise WorkflowError(
                _("Un commentaire tient en %(n)s caractères.")
                % {"n": COMMENT_MAX_LENGTH}
            )

    def offered(self, *, variant: Variant, user) -> bool:
        return False  # offered beside each paragraph, by may_comment

    def may_comment(self, *, variant: Variant, user) -> bool:
        """Whether ``user`` may comment on the paragraphs of ``variant`` now."""
        return bool(
            user is not None
            and user.is_active
            and user.is_authenticated
            and user.has_perm(self.permission)
            and variant.state == State.IN_REVIEW
        )

    def execute(
        self, *, variant: Variant, user, comment: str, part, language, paragraph
    ):
        revision = variant.latest_revision
        quote = paragraphs_of(revision, part=part, language=language)[paragraph]
        made = ReviewComment.objects.create(
            variant=variant,
            revision=revision,
            language=language,
            part=part,
            paragraph=paragraph,
            quote=quote,
            body=comment,
            author=user,
        )
        return note(
            variant=variant,
            user=user,
            action=EventAction.COMMENT,
            revision=revision,
            comment=_("§%(n)s (%(lang)s) : %(body)s")
            % {"n": made.paragraph + 1, "lang": language, "body": comment},
        )


class _OnComment(Action):
    """An action on one comment of the variant: its id comes with it."""

    options = ("comment_id",)

    def check(self, *, variant: Variant, user, comment: str = "", **options) -> None:
        if user is None or not user.is_active or not user.is_authenticated:
            raise WorkflowError(_("Vous devez être connecté."))
        if not (
            user.has_perm("briefs.submit_variant")
            or user.has_perm("briefs.review_variant")
        ):
            raise WorkflowError(
                _("Vous n'avez pas le droit de faire cette action : « %(action)s ».")
                % {"action": self.label}
            )
        self.rules(variant=variant, user=user, comment=comment, **options)

    def target(self, *, variant: Variant, comment_id) -> ReviewComment:
        found = (
            ReviewComment.objects.open()
            .select_related("author")
            .filter(pk=comment_id, variant=variant)
            .first()
            if comment_id is not None
            else None
        )
        if found is None:
            raise WorkflowError(
                _("Ce commentaire n'existe pas, ou il est déjà résolu.")
            )
        return found

    def offered(self, *, variant: Variant, user) -> bool:
        return False  # offered beside each comment, not among the page's buttons


class Reply(_OnComment):
    """The author (or a reviewer) answers a comment."""

    name = "reply_comment"
    label = gettext_lazy("Répondre")
    comment_required = True

    def rules(self, *, variant: Variant, user, comment: str = "", comment_id=None):
        self.target(variant=variant, comment_id=comment_id)
        if not comment.strip():
            raise WorkflowError(_("Écrivez votre réponse."))
        if len(comment) > COMMENT_MAX_LENGTH:
            raise WorkflowError(
                _("Un commentaire tient en %(n)s caractères.")
                % {"n": COMMENT_MAX_LENGTH}
            )

    def execute(self, *, variant: Variant, user, comment: str, comment_id=None):
        parent = self.target(variant=variant, comment_id=comment_id)
        ReviewComment.objects.create(
            variant=variant,
            revision=parent.revision,
            language=parent.language,
            part=parent.part,
            paragraph=parent.paragraph,
            quote=parent.quote,
            parent=parent,
            body=comment,
            author=user,
        )
        return note(
            variant=variant,
            user=user,
            action=EventAction.COMMENT,
            revision=parent.revision,
            comment=_("Réponse à %(name)s, §%(n)s : %(body)s")
            % {
                "name": _name(parent.author),
                "n": parent.paragraph + 1,
                "body": comment,
            },
        )


class Resolve(_OnComment):
    """The text's author, the comment's author or a reviewer closes a comment."""

    name = "resolve_comment"
    label = gettext_lazy("Marquer comme résolu")

    def rules(self, *, variant: Variant, user, comment: str = "", comment_id=None):
        target = self.target(variant=variant, comment_id=comment_id)
        if not (
            target.author_id == user.pk
            or user.has_perm("briefs.review_variant")
            or can_edit(variant=variant, user=user)
        ):
            raise WorkflowError(
                _(
                    "Seuls l'auteur du texte, l'auteur du commentaire et les "
                    "relecteurs résolvent un commentaire."
                )
            )

    def execute(self, *, variant: Variant, user, comment: str, comment_id=None):
        target = self.target(variant=variant, comment_id=comment_id)
        ReviewComment.objects.filter(pk=target.pk).update(
            resolved_at=timezone.now(), resolved_by=user
        )
        return note(
            variant=variant,
            user=user,
            action=EventAction.RESOLVE,
            revision=target.revision,
            comment=(
                _("§%(n)s « %(quote)s » : %(body)s")
                % {
                    "n": target.paragraph + 1,
                    "quote": Truncator(" ".join(target.quote.split())).chars(60),
                    "body": target.body,
                }
                + (f"\n{comment}" if comment else "")
            ),
        )


ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (Assign(), Take(), CommentOn(), Reply(), Resolve())
}
