"""The desk on PostgreSQL: the latest request for changes is read as a JSON
object built by the database (jsonb there, JSON1 text on SQLite)."""

import pytest
from django.db import connection

from briefs.editorial import desk, workflow
from briefs.models import ReviewComment
from tests.factories import make_user, make_variant

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's JSON objects"
    ),
]


def test_the_request_comes_back_whole_with_its_reviewer_and_open_comments(db):
    editor = make_user("editor")
    reviewer = make_user("reviewer", first_name="Hélène", last_name="D'Arcy")
    never_named = make_user("reviewer", first_name="", last_name="")
    comment = 'Précisez « la dose » :\n5 à 10 ng/mL, "pas plus" ; 100 %.'
    variants = []
    for who in (reviewer, never_named):
        variant = make_variant(author=editor)
        workflow.submit(variant=variant, user=editor)
        workflow.request_changes(variant=variant, user=who, comment=comment)
        variants.append(variant)
    variant = variants[0]
    variant.refresh_from_db()
    for _ in range(3):
        ReviewComment.objects.create(
            variant=variant,
            revision=variant.latest_revision,
            body="Source ?",
            author=reviewer,
        )

    first, second = desk.changes_requested_of_me(editor)

    assert (first.comment, first.person, first.open_comments) == (
        comment,
        "Hélène D'Arcy",
        3,
    )
    assert (second.person, second.open_comments) == (never_named.username, 0)
