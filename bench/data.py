"""Generate a large set of published briefs for benchmarks (bulk inserts).

Benchmark-only: not a command of the app. ``make bench`` runs it as
``python -m bench.data --briefs N`` with the benchmark's settings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

if __name__ == "__main__":
    # Run as a script: Django must be set up before the models are imported.
    from bench import setup_django

    setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import OuterRef, Subquery  # noqa: E402
from django.utils import timezone  # noqa: E402

from briefs.models import Audience, Brief, Citation, Revision, Source, Topic, Variant  # noqa: E402
from briefs.models.content import State  # noqa: E402
from briefs.public import freshness, search  # noqa: E402
from briefs.text.markdown import render_markdown, render_references  # noqa: E402
from briefs.text.references import snapshot  # noqa: E402

SLUG_PREFIX = "bench-"
SOURCES_PER_BRIEF = 3
# Briefs cite sources from a shared pool (as briefs on one disease cite the
# same big studies): formatting 30,000 distinct references would take longer
# than the rest of the set.
SOURCE_POOL = 900

PARAGRAPHS = (
    "Une étude rétrospective menée dans plusieurs centres a suivi des personnes "
    "atteintes de dermatomyosite avec une atteinte pulmonaire interstitielle. "
    "Les patients recevant un traitement associant corticoïdes et immunosuppresseur "
    "dès le diagnostic ont eu une meilleure survie à un an[@{a}].",
    "## Ce que montre l'étude",
    "Sur les 48 personnes incluses, 18 étaient atteintes d'une forme rapidement "
    "progressive. La survie sans progression de la maladie a atteint 76,4 % dans "
    "le groupe traité précocement, contre 51,2 % dans le groupe comparé, traité "
    "par le passé sans tacrolimus[@{b}]. Les effets indésirables les plus "
    "fréquents ont été des infections, une hypertension et une atteinte rénale "
    "réversible à l'arrêt ou à la baisse des doses.",
    "## Ce qu'il faut en retenir",
    "- le traitement initial associe souvent plusieurs médicaments ;\n"
    "- la surveillance des taux sanguins est indispensable ;\n"
    "- les résultats doivent être confirmés par un essai contrôlé[@{c}].",
    "## À venir en France",
    "Un essai thérapeutique est en préparation dans plusieurs hôpitaux français. "
    "Il comparera deux stratégies de traitement initial chez des personnes "
    "atteintes de myosite avec pneumopathie interstitielle, afin de savoir si "
    "l'ajout précoce d'un immunosuppresseur améliore la survie et la fonction "
    "respiratoire à long terme[@{a}; @{c}].",
)


def _body(target_chars: int) -> str:
    """A Markdown body of about ``target_chars`` characters, citing {a} {b} {c}."""
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) < target_chars:
        parts.extend(PARAGRAPHS)
    text = ""
    for part in parts:
        if len(text) + len(part) + 2 > target_chars and text:
            break
        text += part + "\n\n"
    return text.strip() + "\n"


def _sources(start: int, count: int) -> list[Source]:
    return [
        Source(
            key=f"bench{n}",
            title=f"Tacrolimus and early combined therapy in myositis, cohort {n}",
            container_title="Journal of Myology Studies",
            year=2000 + n % 25,
            volume=str(10 + n % 40),
            issue=str(1 + n % 12),
            pages=f"{100 + n % 900}-{110 + n % 900}",
            doi=f"10.5555/bench.{n}",
            pmid=str(30_000_000 + n),
            authors=[
                {"family": "Takada", "given": "Kazuki"},
                {"family": "Martin", "given": "Claire"},
            ],
        )
        for n in range(start, start + count)
    ]


def generate(count: int, *, body_chars: int = 3500, batch: int = 500, log=None) -> int:
    """Create ``count`` published briefs (two variants each); return how many new.

    Briefs already generated are kept: running it again tops the set up.
    """
    existing = Brief.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if existing >= count:
        return 0
    User = get_user_model()
    author, _ = User.objects.get_or_create(
        username="bench-author",
        defaults={"first_name": "Claire", "last_name": "Martin", "is_staff": True},
    )
    reviewer, _ = User.objects.get_or_create(
        username="bench-reviewer",
        defaults={"first_name": "Dr Paul", "last_name": "Lefèvre", "is_staff": True},
    )
    audiences = list(Audience.objects.filter(code__in=("afm", "aim")))
    if len(audiences) != 2:
        raise ImproperlyConfigured(
            "The afm and aim audiences are missing: run migrate."
        )
    topics = [
        Topic.objects.get_or_create(
            slug=f"bench-theme-{i}", defaults={"name": f"Thème {i}"}
        )[0]
        for i in range(12)
    ]
    pool = _source_pool(min(SOURCE_POOL, count * SOURCES_PER_BRIEF))
    template = _body(body_chars)
    rendered = render_markdown(
        template.format(a="bench-a", b="bench-b", c="bench-c"), known_keys=None
    )
    keys = ("bench-a", "bench-b", "bench-c")
    now = timezone.now().replace(microsecond=0)
    created = 0
    for start in range(existing, count, batch):
        stop = min(start + batch, count)
        with transaction.atomic():
            _generate_batch(
                range(start, stop),
                template=template,
                html=rendered.html,
                uses=rendered.uses,
                keys=keys,
                audiences=audiences,
                topics=topics,
                pool=pool,
                author=author,
                reviewer=reviewer,
                now=now,
            )
        created += stop - start
        if log:
            log(f"{stop} / {count} briefs")
    # Bulk inserts skip the signals that keep the search index and the public
    # pages in step: the same door as every other bulk write.
    search.rebuild()
    freshness.invalidate_everything()
    _analyse()
    return created


def _analyse() -> None:
    """Statistics and visibility for the planner after a bulk load, as
    autovacuum would give them a little later (index-only scans need both)."""
    if connection.vendor != "postgresql":
        return
    tables = "briefs_brief, briefs_variant, briefs_revision, briefs_citation"
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(f"ANALYZE {tables}")
        else:
            cursor.execute(f"VACUUM ANALYZE {tables}")


def _source_pool(size: int) -> list[tuple[Source, dict]]:
    """The pool's sources, each with its snapshot (formatted once)."""
    wanted = [f"bench{n}" for n in range(size)]
    existing = {s.key: s for s in Source.objects.filter(key__in=wanted)}
    missing = [s for s in _sources(0, size) if s.key not in existing]
    for source in Source.objects.bulk_create(missing):
        existing[source.key] = source
    pool = []
    for n, key in enumerate(wanted):
        source = existing[key]
        pool.append((source, snapshot(source, number=1 + n % SOURCES_PER_BRIEF)))
    return pool


def _cited(pool, n: int) -> list:
    """The (source, snapshot) pairs brief ``n`` cites, in citation order."""
    first = (n * SOURCES_PER_BRIEF) % len(pool)
    return pool[first : first + SOURCES_PER_BRIEF]


def _generate_batch(
    numbers,
    *,
    template,
    html,
    uses,
    keys,
    audiences,
    topics,
    pool,
    author,
    reviewer,
    now,
) -> None:
    numbers = list(numbers)
    briefs = Brief.objects.bulk_create(
        Brief(slug=f"{SLUG_PREFIX}{n}-tacrolimus-myosite", owner=author)
        for n in numbers
    )
    Through = Brief.topics.through
    Through.objects.bulk_create(
        Through(brief_id=brief.pk, topic_id=topics[(n + k) % len(topics)].pk)
        for n, brief in zip(numbers, briefs, strict=True)
        for k in (0, 5)
    )
    variants, revisions = [], []
    for n, brief in zip(numbers, briefs, strict=True):
        cited = [source for source, _snap in _cited(pool, n)]
        published = now - dt.timedelta(minutes=n)
        for audience in audiences:
            title = (
                f"Brève {n} : le tacrolimus dans la dermatomyosite ({audience.code})"
            )
            standfirst = (
                "Associé dès le diagnostic, le tacrolimus semble améliorer la "
                f"survie des personnes atteintes de myosite (brève {n})."
            )
            body = template.format(a=cited[0].key, b=cited[1].key, c=cited[2].key)
            variants.append(
                Variant(
                    brief=brief,
                    audience=audience,
                    title=title,
                    title_fr=title,
                    standfirst=standfirst,
                    standfirst_fr=standfirst,
                    body=body,
                    body_fr=body,
                    state=State.PUBLISHED,
                    author=author,
                    last_edited_by=author,
                    reviewer=reviewer,
                    first_published_at=published,
                    last_published_at=published,
                    last_reviewed_at=published,
                    review_due_at=published + dt.timedelta(days=365),
                )
            )
    variants = Variant.objects.bulk_create(variants)
    for i, n in enumerate(numbers):
        cited_snapshots = [snap for _source, snap in _cited(pool, n)]
        references = render_references(
            [
                {
                    "number": k,
                    "key": snap["key"],
                    "html": snap["html"],
                    "uses": uses.get(key, 1),
                }
                for k, (snap, key) in enumerate(
                    zip(cited_snapshots, keys, strict=True), 1
                )
            ]
        )
        for variant in variants[i * 2 : i * 2 + 2]:
            revisions.append(
                Revision(
                    variant=variant,
                    number=1,
                    created_by=author,
                    title_fr=variant.title_fr,
                    standfirst_fr=variant.standfirst_fr,
                    body_fr=variant.body_fr,
                    body_html_fr=html,
                    references_html_fr=references,
                    sources=cited_snapshots,
                    approved_by=reviewer,
                    approved_at=variant.first_published_at,
                )
            )
    revisions = Revision.objects.bulk_create(revisions)
    # One UPDATE instead of a CASE per row: each variant's only revision is live.
    revision = Revision.objects.filter(variant=OuterRef("pk")).values("pk")[:1]
    Variant.objects.filter(pk__in=[v.pk for v in variants]).update(
        live_revision=Subquery(revision),
        latest_revision=Subquery(revision),
        live_languages="fr",
    )
    Citation.objects.bulk_create(
        Citation(revision=revision, source=source, number=k)
        for index, revision in enumerate(revisions)
        for k, (source, _snap) in enumerate(_cited(pool, numbers[index // 2]), 1)
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.data --briefs N``: create or top up the benchmark set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=10_000)
    parser.add_argument("--body-chars", type=int, default=3500)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.briefs < 1:
        parser.error("--briefs must be at least 1.")
    started = time.monotonic()
    created = generate(
        args.briefs, body_chars=args.body_chars, log=print if args.verbose else None
    )
    total = Brief.objects.filter(slug__startswith=SLUG_PREFIX).count()
    print(
        f"{created} briefs created in {time.monotonic() - started:.1f} s "
        f"({total} benchmark briefs)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
