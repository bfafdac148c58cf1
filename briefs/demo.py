"""Demo content: the tacrolimus brief, its sources, topics and one account per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from . import workflow
from .brief_import import import_legacy_brief
from .models import Brief, Profile, State, Topic, Variant
from .revisions import OFF_LABEL_RE
from .roles import CHIEF_EDITORS_GROUP, EDITORS_GROUP, REVIEWERS_GROUP
from .source_import import import_bibtex

BRIEF_FILE = "breve-tacrolimus-dermatomyosite.txt"
SOURCES_FILE = "sources-tacrolimus.bib"
SLUG = "tacrolimus-dermatomyosite"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    first_name: str
    last_name: str
    group: str
    role: str


ACCOUNTS = (
    DemoAccount("redactrice", "demo-redaction", "Claire", "Martin", EDITORS_GROUP, "rédactrice"),
    DemoAccount("relecteur", "demo-relecture", "Dr Paul", "Lefèvre", REVIEWERS_GROUP, "relecteur, médecin"),
    DemoAccount("chef", "demo-chef", "Anne", "Moreau", CHIEF_EDITORS_GROUP, "rédactrice en chef"),
)  # fmt: skip
# The title each demo person has on public pages (trust block).
TITLES = {
    "redactrice": ("journaliste santé", "health journalist"),
    "relecteur": ("médecin", "physician"),
    "chef": ("rédactrice en chef", "editor-in-chief"),
}

TOPICS = (
    ("dermatomyosite", "dermatomyosite", "dermatomyositis"),
    ("myosites", "myosites", "myositis"),
    ("pneumopathie-interstitielle", "pneumopathie interstitielle", "interstitial lung disease"),
)  # fmt: skip

# Where the text speaks of each study: the citation goes before the final stop.
CITATIONS = {
    "afm": (
        ("traitées par le passé (entre 2001 et 2008) sans tacrolimus.", "tsuji2020"),
        ("leur survie à un an a été de 88%.", "takada2019"),
        ("une forme de myosite, avec pneumopathie interstitielle.", "catrpat"),
    ),
    "aim": (
        ("la survie sans progression de la maladie, 76.4%.", "takada2019"),
        (
            "l’impact positif de l’ajout du tacrolimus au traitement initial.",
            "tsuji2020",
        ),
        (
            "(le syndrome des antisynthétases) avec pneumopathie interstitielle.",
            "catrpat",
        ),
    ),
}


def cite(body: str, audience: str) -> str:
    """Insert the demo citations into a body at the sentences they support."""
    for phrase, key in CITATIONS[audience]:
        if f"[@{key}]" in body:
            continue
        if body.count(phrase) != 1:
            raise ValueError(f"demo citation anchor not found once: {phrase!r}")
        body = body.replace(phrase, f"{phrase[:-1]}[@{key}]{phrase[-1]}")
    return body


def accounts() -> dict[str, object]:
    """Create (or reset) one demo account per role; refused unless DEBUG is on."""
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "Les comptes de démonstration ne sont créés qu'avec DEBUG activé."
        )
    users = {}
    for account in ACCOUNTS:
        user, _ = get_user_model().objects.get_or_create(username=account.username)
        user.first_name, user.last_name = account.first_name, account.last_name
        user.email = f"{account.username}@example.org"
        user.is_staff = True
        user.set_password(account.password)
        user.save()
        user.groups.set([Group.objects.get(name=account.group)])
        Profile.objects.update_or_create(
            user=user,
            defaults=dict(
                zip(("title_fr", "title_en"), TITLES[account.username], strict=True),
                title=TITLES[account.username][0],
            ),
        )
        users[account.username] = user
    return users


@transaction.atomic
def seed(*, fixtures_dir) -> dict[str, object]:
    """Import the demo brief with its sources and publish both variants."""
    users = accounts()
    editor, reviewer, chief = users["redactrice"], users["relecteur"], users["chef"]
    import_bibtex((fixtures_dir / SOURCES_FILE).read_text(encoding="utf-8"))
    brief = Brief.objects.filter(slug=SLUG).first()
    if brief is None:
        brief = import_legacy_brief(
            text=(fixtures_dir / BRIEF_FILE).read_text(encoding="utf-8"),
            slug=SLUG,
            user=editor,
        ).brief
    topics = [
        Topic.objects.update_or_create(
            slug=slug, defaults={"name_fr": fr, "name_en": en, "name": fr}
        )[0]
        for slug, fr, en in TOPICS
    ]
    brief.topics.add(*topics)
    for variant in brief.variants.select_related("audience"):
        if variant.state == State.PUBLISHED:
            continue
        cited = cite(variant.body_fr, variant.audience.code)
        # The demo texts speak of an off-label prescription: flag it.
        off_label = bool(OFF_LABEL_RE.search(cited))
        if cited != variant.body_fr or off_label != variant.off_label:
            variant.body_fr = cited
            variant.off_label = off_label
            variant = workflow.save_content(
                variant=variant, user=editor, expected_version=variant.version
            )
        if variant.state in (State.DRAFT, State.CHANGES_REQUESTED):
            workflow.submit(variant=variant, user=editor)
        variant = Variant.objects.get(pk=variant.pk)
        if variant.state == State.IN_REVIEW:
            workflow.approve(
                variant=variant, user=reviewer, comment="Relu, sources vérifiées."
            )
        variant = Variant.objects.get(pk=variant.pk)
        if variant.state == State.APPROVED:
            workflow.publish(variant=variant, user=chief)
    return users
