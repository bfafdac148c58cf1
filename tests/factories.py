"""Small factories for test data (no JSON fixtures)."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from briefs.editorial import workflow
from briefs.editorial.roles import CHIEF_EDITORS_GROUP, EDITORS_GROUP, REVIEWERS_GROUP
from briefs.models import Audience, Brief, MailKind, OutboxMail, Source, Variant

_counter = itertools.count(1)

ROLE_GROUPS = {
    "editor": EDITORS_GROUP,
    "reviewer": REVIEWERS_GROUP,
    "chief": CHIEF_EDITORS_GROUP,
}


def make_user(role: str | None = None, *, staff: bool = True, **fields):
    """A user in the group of ``role`` (editor, reviewer, chief) or none."""
    n = next(_counter)
    fields.setdefault("username", f"{role or 'user'}{n}")
    fields.setdefault("email", f"{fields['username']}@example.org")
    user = get_user_model().objects.create_user(
        password="pw-for-tests-only", is_staff=staff, **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


def make_source(key: str | None = None, **fields) -> Source:
    key = key or f"source{next(_counter)}"
    fields.setdefault("title", f"A study called {key}")
    fields.setdefault("container_title", "Journal of Tests")
    fields.setdefault("year", 2020)
    fields.setdefault("authors", [{"family": "Doe", "given": "Jane"}])
    return Source.objects.create(key=key, **fields)


def make_variant(
    *,
    audience: str = "afm",
    author=None,
    brief: Brief | None = None,
    title: str = "Un titre de brève",
    body: str | None = None,
    source: Source | None = None,
    slug: str | None = None,
    **fields,
) -> Variant:
    """A draft variant citing one source, saved through the workflow."""
    author = author or make_user("editor")
    brief = brief or Brief.objects.create(
        slug=slug or f"breve-{next(_counter)}", owner=author
    )
    if body is None:
        source = source or make_source()
        body = f"Un premier paragraphe qui cite une étude[@{source.key}].\n"
    variant = Variant(
        brief=brief,
        audience=Audience.objects.get(code=audience),
        title_fr=title,
        body_fr=body,
        author=author,
        **fields,
    )
    return workflow.save_content(variant=variant, user=author, expected_edit_count=None)


def publish(
    variant: Variant,
    *,
    editor=None,
    reviewer=None,
    chief=None,
    change_kind: str = "minor",
    change_note: str = "",
) -> Variant:
    """Take ``variant`` through submit, approve and publish (a text published
    before is said to change as ``change_kind``)."""
    editor = editor or variant.author
    workflow.submit(
        variant=variant,
        user=editor,
        change_kind=change_kind,
        change_note=change_note,
    )
    workflow.approve(variant=variant, user=reviewer or make_user("reviewer"))
    workflow.publish(variant=variant, user=chief or make_user("chief"))
    return Variant.objects.get(pk=variant.pk)


def make_published(**kwargs) -> Variant:
    return publish(make_variant(**kwargs))


def make_mail(**fields) -> OutboxMail:
    """A pending mail in the outbox, from no event."""
    n = next(_counter)
    fields.setdefault("recipient", f"person{n}@example.org")
    fields.setdefault("subject", f"Objet {n}")
    fields.setdefault("body", "Un texte.")
    fields.setdefault("kind", MailKind.WORKFLOW)
    return OutboxMail.objects.create(**fields)
