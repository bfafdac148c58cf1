"""Saving a variant's text: who may, the limits every door shares, the record.

Two editors never silently overwrite each other: each save names the
``edit_count`` the editor loaded, and a save made meanwhile by someone else
is refused with their name. Every save that changes the text is written in
the audit trail (who, which fields): the approval rule reads from it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import EventAction, ReviewEvent, State, Variant
from ..models.content import LANGUAGE_CODES
from ..text.markdown import complexity_problem
from .errors import ContentRefused, EditConflict, WorkflowError

# States whose text may be changed; published and unpublished start a new draft.
EDITABLE_STATES = frozenset(
    {State.DRAFT, State.CHANGES_REQUESTED, State.PUBLISHED, State.UNPUBLISHED}
)
# Review events that write the text: whoever did one since the last approval
# is one of the authors of the revision under review.
TEXT_ACTIONS = (EventAction.EDIT, EventAction.SUBMIT, EventAction.NEW_DRAFT)
# The longest title and standfirst a variant may have (the body's limits are
# the Markdown renderer's, briefs.text.markdown.complexity_problem).
MAX_TITLE_CHARS = Variant._meta.get_field("title").max_length
MAX_STANDFIRST_CHARS = 2_000


def content_field_names() -> list[str]:
    """Names of the editable text fields of a variant, every language."""
    names = ["off_label"]
    for base in ("title", "standfirst", "body"):
        names.extend(f"{base}_{lang}" for lang in LANGUAGE_CODES)
    return names


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


def _user_label(user) -> str:
    if user is None:
        return _("quelqu'un")
    return user.get_full_name() or user.get_username()


def check_can_edit(*, variant: Variant, user, expected_edit_count: int | None) -> None:
    """Raise :class:`WorkflowError` unless ``user`` may save this working copy.

    ``expected_edit_count`` is the count the editor loaded; if someone saved
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
    if expected_edit_count is not None and expected_edit_count != variant.edit_count:
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


def can_edit(*, variant: Variant, user) -> bool:
    """Whether ``user`` may edit ``variant``'s text now."""
    try:
        check_can_edit(variant=variant, user=user, expected_edit_count=None)
    except WorkflowError:
        return False
    return True


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
        action=EventAction.EDIT,
        from_state=variant.state,
        to_state=variant.state,
        changed_fields=changed,
    )


@transaction.atomic
def save_content(
    *, variant: Variant, user: AbstractBaseUser, expected_edit_count: int | None
) -> Variant:
    """Save the text of ``variant`` (already set on it) as its working copy.

    Editing a published or unpublished variant starts a new draft; the live
    revision stays online until a new one is approved and published. Every
    save that changes the text is recorded (who, which fields); a save that
    changes nothing writes nothing.
    """
    texts = {n: getattr(variant, n) for n in content_field_names() if n != "off_label"}
    problems = content_problems(texts)
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
    current = Variant.objects.select_for_update().get(pk=variant.pk)
    check_can_edit(variant=current, user=user, expected_edit_count=expected_edit_count)
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
            action=EventAction.NEW_DRAFT,
            from_state=from_state,
            to_state=current.state,
        )
    updated = Variant.objects.filter(
        pk=variant.pk, edit_count=current.edit_count
    ).update(
        **{name: getattr(variant, name) for name in content_field_names()},
        state=current.state,
        edit_count=current.edit_count + 1,
        last_edited_by=user,
        updated_at=timezone.now(),
    )
    if updated != 1:
        raise EditConflict(_("Ce texte vient d'être modifié par quelqu'un d'autre."))
    variant.refresh_from_db()
    _record_edit(variant=variant, user=user, changed=changed)
    return variant


def _since_last_approval(events):
    """``events`` (of one variant, or correlated to ``OuterRef("pk")`` of
    variants) recorded after that variant's last approval."""
    last_approval = (
        ReviewEvent.objects.filter(
            variant=OuterRef("variant"), action=EventAction.APPROVE
        )
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
