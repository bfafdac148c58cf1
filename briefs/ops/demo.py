"""Demo content: the tacrolimus brief, its sources, topics and one account per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from ..editorial import workflow
from ..editorial.brief_import import import_legacy_brief
from ..editorial.revisions import OFF_LABEL_RE
from ..editorial.roles import CHIEF_EDITORS_GROUP, EDITORS_GROUP, REVIEWERS_GROUP
from ..models import Brief, Profile, State, Topic, Variant
from ..sources.importing import import_bibtex

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

# The English translation of each variant, with the same citations as the French.
ENGLISH = {
    "afm": {
        "title": (
            "Dermatomyositis: tacrolimus appears to make immunosuppressive "
            "treatment of lung disease more effective"
        ),
        "standfirst": (
            "Two studies support the use of tacrolimus, a drug that prevents "
            "transplant rejection, in dermatomyositis affecting the lungs."
        ),
        "body": """\
Dermatomyositis can affect the lungs (interstitial lung disease). This lung involvement is often more severe and progresses faster in people who produce anti-MDA5 autoantibodies.

Between 2014 and 2017, a team of Japanese doctors ran a study to assess the effect of adding an immunosuppressive drug, tacrolimus, to the usual treatment of 29 adults with dermatomyositis, interstitial lung disease and anti-MDA5 autoantibodies.

## A survival rate two and a half times higher

They were treated early with high-dose corticosteroids, cyclophosphamide (another immunosuppressant) and tacrolimus, with plasma exchange added when needed. Their survival reached 89% at six months and 85% at one year, one and a half times that of a group of 15 people with dermatomyositis, interstitial lung disease and anti-MDA5 autoantibodies who had been treated in the past (between 2001 and 2008) without tacrolimus[@tsuji2020].

This result is in line with that of a clinical trial of tacrolimus carried out in Japan. The trial ended in 2011, but its results have only just been published, in September 2019. It included 18 people with dermatomyositis and 7 with polymyositis, all with interstitial lung disease. Treated with tacrolimus combined with corticosteroids, 88% of them were alive after one year[@takada2019]. The Japanese health authorities relied on this study to approve tacrolimus for interstitial lung disease associated with dermatomyositis or polymyositis.

## Coming to France

This is not yet the case in France, where this immunosuppressant is licensed (it has a marketing authorisation) only to prevent rejection after an organ transplant. It is, however, prescribed off-label in myositis with lung involvement. A clinical trial is also being prepared in France. Sponsored by the Paris public hospitals (Assistance Publique – Hôpitaux de Paris, AP-HP), it will compare tacrolimus with a combination of two other immunosuppressants (azathioprine and cyclophosphamide) in 76 people with antisynthetase syndrome, a form of myositis, and interstitial lung disease[@catrpat].
""",
    },
    "aim": {
        "title": (
            "Tacrolimus improves survival in dermatomyositis with interstitial "
            "lung disease, according to two Japanese studies"
        ),
        "standfirst": "",
        "body": """\
Tacrolimus (Prograf®, Adoport®...), an immunosuppressant, holds a marketing authorisation in France for the prevention of graft rejection after liver, kidney or heart transplantation. It is used off-label in refractory dermatomyositis, particularly when this autoimmune disease is accompanied by interstitial lung disease, as stated in the French National Diagnosis and Care Protocol (PNDS) published in July 2016.

In Japan, tacrolimus was approved by the health authorities for interstitial lung disease associated with dermatomyositis on the basis of a multicentre clinical trial conducted from 2007 to 2011 in 25 patients over 16 years of age. Eighteen had dermatomyositis and 7 polymyositis. They were treated with tacrolimus (target plasma level 5 to 10 ng/mL) and corticosteroids (0.6–1 mg/kg/day, then gradually tapered). The results of this trial, published in September 2019, show a one-year survival of 88% and a progression-free survival of 76.4%[@takada2019]. The safety profile was consistent with existing data on tacrolimus and corticosteroids.

## Clear benefits on mortality

A second Japanese study supports the positive impact of adding tacrolimus to initial treatment[@tsuji2020]. It was conducted in 29 adults with dermatomyositis, interstitial lung disease and anti-MDA5 autoantibodies, which are more often associated with rapidly progressive lung involvement. Treatment was started early and combined corticosteroids (1 mg/kg/day for one month before gradual tapering), cyclophosphamide and tacrolimus (target plasma level 10–12 ng/mL), with plasmapheresis added when needed.

The results of this prospective study show:

- a 6-month survival of 89% and a one-year survival of 85%, whereas the 6-month and one-year survival of a historical control cohort (followed between 2001 and 2008) of 15 people with dermatomyositis, interstitial lung disease and anti-MDA5 autoantibodies treated without tacrolimus was only 33%;
- the 29 participants received cyclophosphamide nearly 20 days earlier than the historical cohort and had plasmapheresis more often (31% versus 7%);
- no significant difference in 6-month and one-year survival compared with another historical cohort of 17 patients treated between 2008 and 2013 with corticosteroids, ciclosporin A (which belongs to the same pharmacological class as tacrolimus) and cyclophosphamide, without plasmapheresis.

For the authors, these results taken together argue for starting combined immunosuppressive treatment as early as possible in patients with dermatomyositis and interstitial lung disease who are positive for anti-MDA5 autoantibodies.

Of note, the team of Prof. Olivier Benveniste (Institute of Myology, Paris) is preparing a clinical trial to compare tacrolimus with the combination of azathioprine and cyclophosphamide in 76 people with another form of myositis (antisynthetase syndrome) and interstitial lung disease[@catrpat].
""",
    },
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
        english = ENGLISH[variant.audience.code]
        # The demo texts speak of an off-label prescription: flag it.
        off_label = bool(OFF_LABEL_RE.search(cited))
        if (
            cited != variant.body_fr
            or off_label != variant.off_label
            or not variant.body_en
        ):
            variant.body_fr = cited
            variant.off_label = off_label
            variant.title_en = english["title"]
            variant.standfirst_en = english["standfirst"]
            variant.body_en = english["body"]
            variant = workflow.save_content(
                variant=variant, user=editor, expected_edit_count=variant.edit_count
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
