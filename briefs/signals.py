"""Signals: invalidation only (publishing and mail never happen here).

Public pages are cached (briefs.caching) and detail pages are stored as
rendered (briefs.pages). Whatever changes what they show starts a new cache
generation once the transaction commits, and gives the briefs concerned a
new page token within the transaction: a variant going live, offline or
changing its live revision, and edits of briefs, topics, audiences and of
the people named on the pages (names, slugs, topics, titles).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from . import caching, pages
from .models import Audience, Brief, Profile, Topic, Variant

# Variant fields a public page reads outside its live revision.
PUBLIC_VARIANT_FIELDS = (
    "live_revision_id",
    "first_published_at",
    "withdrawn_at",
    "off_label",
    "audience_id",
    "brief_id",
)


def _invalidate_on_commit() -> None:
    """Listings may show the change: a new listings token now (stored pages),
    a new cache generation once committed (cached pages)."""
    pages.invalidate_listings()
    transaction.on_commit(caching.invalidate_public_pages)


def _public_values(variant: Variant) -> tuple:
    return tuple(getattr(variant, name) for name in PUBLIC_VARIANT_FIELDS)


@receiver(pre_save, sender=Variant, dispatch_uid="briefs.variant_public_before")
def remember_public_values(sender, instance: Variant, raw=False, **kwargs) -> None:
    """Note what the public pages showed of a variant before it is saved."""
    if raw or instance._state.adding or instance.pk is None:
        instance._public_before = None
        return
    update_fields = kwargs.get("update_fields")
    names = {name.removesuffix("_id") for name in PUBLIC_VARIANT_FIELDS}
    if update_fields is not None and not names.intersection(update_fields):
        instance._public_before = _public_values(instance)
        return
    before = (
        Variant.objects.filter(pk=instance.pk)
        .values_list(*PUBLIC_VARIANT_FIELDS)
        .first()
    )
    instance._public_before = before


@receiver(post_save, sender=Variant, dispatch_uid="briefs.variant_public_after")
def variant_saved(sender, instance: Variant, created=False, raw=False, **kwargs):
    """A variant went live, offline, or changed what its pages show."""
    if raw:
        return
    before = getattr(instance, "_public_before", None)
    if created:
        if instance.live_revision_id is not None:
            pages.invalidate_briefs({instance.brief_id})
            _invalidate_on_commit()
        return
    if before != _public_values(instance):
        # The brief's other variants link to this one: all of its pages change.
        brief_before = (
            before[PUBLIC_VARIANT_FIELDS.index("brief_id")] if before else None
        )
        pages.invalidate_briefs({instance.brief_id, brief_before})
        _invalidate_on_commit()


@receiver(post_delete, sender=Variant, dispatch_uid="briefs.variant_deleted")
def variant_deleted(sender, instance: Variant, **kwargs) -> None:
    """A deleted live variant leaves the public pages."""
    if instance.live_revision_id is not None:
        pages.invalidate_briefs({instance.brief_id})
        _invalidate_on_commit()


@receiver(post_save, sender=Brief, dispatch_uid="briefs.brief_saved")
@receiver(post_delete, sender=Brief, dispatch_uid="briefs.brief_deleted")
@receiver(post_save, sender=Topic, dispatch_uid="briefs.topic_saved")
@receiver(post_delete, sender=Topic, dispatch_uid="briefs.topic_deleted")
@receiver(post_save, sender=Audience, dispatch_uid="briefs.audience_saved")
@receiver(post_delete, sender=Audience, dispatch_uid="briefs.audience_deleted")
def shown_object_changed(
    sender, instance, raw=False, created=False, signal=None, **kwargs
) -> None:
    """Slugs, topic and audience names appear on public pages."""
    if raw or (created and sender is Brief):
        return
    if sender is Brief and signal is post_save:
        pages.invalidate_briefs({instance.pk})
    elif sender is Topic and signal is post_save and not created:
        pages.invalidate_briefs(instance.briefs.values_list("pk", flat=True))
    elif sender is Audience:
        pages.invalidate_all()
    _invalidate_on_commit()


@receiver(pre_delete, sender=Topic, dispatch_uid="briefs.topic_deleting")
def topic_deleting(sender, instance: Topic, **kwargs) -> None:
    """A deleted topic leaves the pages of its briefs (read before it goes)."""
    pages.invalidate_briefs(instance.briefs.values_list("pk", flat=True))


@receiver(m2m_changed, sender=Brief.topics.through, dispatch_uid="briefs.brief_topics")
def brief_topics_changed(
    sender, instance, action: str, reverse: bool, pk_set=None, **kwargs
) -> None:
    """The topics listed on a brief's pages changed."""
    if action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if not reverse:
        pages.invalidate_briefs({instance.pk})
    elif action == "pre_clear":
        pages.invalidate_briefs(instance.briefs.values_list("pk", flat=True))
    elif pk_set:
        pages.invalidate_briefs(pk_set)
    if action != "pre_clear":
        _invalidate_on_commit()


def _person_changed(user_id) -> None:
    """Refresh the pages that name this person (as author or reviewer)."""
    briefs = set(
        Variant.objects.published()
        .filter(Q(author_id=user_id) | Q(live_revision__approved_by_id=user_id))
        .values_list("brief_id", flat=True)
    )
    if briefs:
        pages.invalidate_briefs(briefs)
        _invalidate_on_commit()


@receiver(post_save, sender=get_user_model(), dispatch_uid="briefs.person_saved")
def person_saved(sender, instance, raw=False, created=False, **kwargs) -> None:
    """A name on the public pages may have changed (a login changes none)."""
    update_fields = kwargs.get("update_fields")
    if raw or created or (update_fields and set(update_fields) == {"last_login"}):
        return
    _person_changed(instance.pk)


@receiver(post_save, sender=Profile, dispatch_uid="briefs.profile_saved")
@receiver(post_delete, sender=Profile, dispatch_uid="briefs.profile_deleted")
def profile_changed(sender, instance: Profile, raw=False, **kwargs) -> None:
    """A title shown in the trust block changed."""
    if raw:
        return
    _person_changed(instance.user_id)
