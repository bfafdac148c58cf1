"""Backups: a compressed dump that restores to the same content, refused
clearly when the file or the target database is wrong."""

import datetime
import gzip
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from briefs.models import Brief, Citation, ReviewEvent, Revision, Topic, Variant
from briefs.ops.backup import backup, read_dump
from tests.factories import make_published, make_source, make_variant


def _dump_text(tmp_path, name):
    path = backup(tmp_path / name)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        objects = json.load(f)
    for obj in objects:
        for name, value in obj["fields"].items():
            # Many-to-many lists carry no order.
            if isinstance(value, list) and all(isinstance(v, list) for v in value):
                obj["fields"][name] = sorted(value)
    return sorted(objects, key=lambda o: (o["model"], json.dumps(o, sort_keys=True)))


@pytest.fixture
def content(db):
    published = make_published(title="Une brève « publiée » : tacrolimus")
    make_variant(brief=published.brief, audience="aim", title="Brouillon AIM")
    make_source("orphan-source", doi="10.1000/xyz")
    return published


def test_round_trip_restores_exactly_what_was_saved(content, tmp_path, client):
    before = _dump_text(tmp_path, "before.json.gz")
    counts = [
        m.objects.count() for m in (Brief, Variant, Revision, ReviewEvent, Citation)
    ]
    call_command("backup", str(tmp_path / "saved.json.gz"))

    call_command("restore", str(tmp_path / "saved.json.gz"), "--flush")

    assert _dump_text(tmp_path, "after.json.gz") == before
    assert [
        m.objects.count() for m in (Brief, Variant, Revision, ReviewEvent, Citation)
    ] == counts
    page = client.get(content.get_absolute_url())
    assert page.status_code == 200
    assert "tacrolimus" in page.content.decode()


def test_restored_database_dumps_the_same_again(content, tmp_path):
    # Topics are set after each brief is loaded: the signals they send
    # (pages made stale) must not make the restored data differ.
    content.brief.topics.add(Topic.objects.create(name="myosites", slug="myosites"))
    first = backup(tmp_path / "one.json.gz")
    call_command("restore", str(first), "--flush")
    second = backup(tmp_path / "two.json.gz")

    key = lambda o: (o["model"], json.dumps(o, sort_keys=True))  # noqa: E731
    assert sorted(read_dump(first), key=key) == sorted(read_dump(second), key=key)


def test_round_trip_keeps_timestamps_to_the_microsecond(content, tmp_path):
    # Django's JSON encoder alone would cut these to the millisecond.
    stamp = datetime.datetime(2026, 3, 1, 8, 30, 5, 500, tzinfo=datetime.UTC)
    Variant.objects.filter(pk=content.pk).update(last_published_at=stamp)
    User.objects.update(date_joined=stamp.replace(microsecond=123456))
    path = backup(tmp_path / "saved.json.gz")

    call_command("restore", str(path), "--flush")

    assert Variant.objects.get(pk=content.pk).last_published_at == stamp
    assert {u.date_joined.microsecond for u in User.objects.all()} == {123456}


def test_backup_is_gzip_json_with_natural_keys(content, tmp_path):
    data = read_dump(backup(tmp_path / "b.json.gz"))
    models = {o["model"] for o in data}
    assert {"briefs.brief", "briefs.variant", "briefs.revision"} <= models
    assert "briefs.reviewevent" in models and "auth.user" in models
    assert "sessions.session" not in models and "contenttypes.contenttype" not in models
    event = next(o for o in data if o["model"] == "briefs.reviewevent")
    assert isinstance(event["fields"]["actor"], list)  # a username, not an id


def test_default_backup_file_goes_to_the_backup_dir(content, tmp_path, settings):
    settings.NEWSROOM_BACKUP_DIR = tmp_path / "nightly"
    call_command("backup")
    [path] = (tmp_path / "nightly").glob("newsroom-*.json.gz")
    assert read_dump(path)


def test_restore_refuses_a_database_that_holds_content(content, tmp_path):
    path = backup(tmp_path / "b.json.gz")
    with pytest.raises(CommandError, match="--flush"):
        call_command("restore", str(path))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not gzip at all", "lisible"),
        (gzip.compress(b"\xff\xfe binary"), "lisible"),
        (gzip.compress(b'{"not": "a list"}'), "sauvegarde de ce site"),
        (gzip.compress(b"[1, 2, 3]"), "sauvegarde de ce site"),
        (gzip.compress(b'[{"model": "briefs.brief"')[:-6], "lisible"),
    ],
    ids=["plain", "binary", "object", "numbers", "truncated"],
)
def test_restore_refuses_files_that_are_not_backups(db, tmp_path, payload, message):
    path = tmp_path / "bad.json.gz"
    path.write_bytes(payload)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))


def test_restore_of_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("restore", str(tmp_path / "nope.json.gz"))


def test_restore_of_a_dump_with_unknown_model_changes_nothing(content, tmp_path):
    path = tmp_path / "alien.json.gz"
    path.write_bytes(
        gzip.compress(
            json.dumps([{"model": "briefs.nothing", "pk": 1, "fields": {}}]).encode()
        )
    )
    briefs = Brief.objects.count()
    with pytest.raises(CommandError, match="rien n'a été changé"):
        call_command("restore", str(path), "--flush")
    assert Brief.objects.count() == briefs


def test_backup_refuses_a_file_name_it_would_not_restore(db, tmp_path):
    with pytest.raises(CommandError, match=".json.gz"):
        call_command("backup", str(tmp_path / "dump.sql"))


def test_after_a_restore_the_site_searches_and_serves_the_restored_content(
    content, tmp_path, client, django_capture_on_commit_callbacks
):
    """One command: the search index and every cached page follow the restore."""
    url = content.get_absolute_url()
    # Pages and counts cached before the restore.
    assert client.get(url).status_code == 200
    assert "tacrolimus" in client.get("/fr/search/?q=tacrolimus").content.decode()
    call_command("backup", str(tmp_path / "saved.json.gz"))
    # The content changes after the backup (a withdrawal, a new title)...
    from briefs.editorial import workflow
    from tests.factories import make_user

    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(variant=content, user=make_user("chief"))
    assert client.get(url).status_code == 410
    title = "Une brève « publiée » : tacrolimus"
    assert title not in client.get("/fr/search/?q=tacrolimus").content.decode()

    # ... and the backup is restored: the brief is back, found by search.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("restore", str(tmp_path / "saved.json.gz"), "--flush")
    assert client.get(url).status_code == 200
    assert title in client.get("/fr/search/?q=tacrolimus").content.decode()
