"""Signals: cache invalidation only (publishing and mail never happen here).

Public pages are cached (briefs.caching); whatever changes what they show
starts a new cache generation once the transaction commits: a variant going
live, offline or changing its live revision, and edits of briefs, topics and
audiences (names, slugs, topics shown on the pages).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import caching
from .models import Audience, Brief, Topic, Variant

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
            _invalidate_on_commit()
        return
    if before != _public_values(instance):
        _invalidate_on_commit()


@receiver(post_delete, sender=Variant, dispatch_uid="briefs.variant_deleted")
def variant_deleted(sender, instance: Variant, **kwargs) -> None:
    """A deleted live variant leaves the public pages."""
    if instance.live_revision_id is not None:
        _invalidate_on_commit()


@receiver(post_save, sender=Brief, dispatch_uid="briefs.brief_saved")
@receiver(post_delete, sender=Brief, dispatch_uid="briefs.brief_deleted")
@receiver(post_save, sender=Topic, dispatch_uid="briefs.topic_saved")
@receiver(post_delete, sender=Topic, dispatch_uid="briefs.topic_deleted")
@receiver(post_save, sender=Audience, dispatch_uid="briefs.audience_saved")
@receiver(post_delete, sender=Audience, dispatch_uid="briefs.audience_deleted")
def shown_object_changed(sender, raw=False, created=False, **kwargs) -> None:
    """Slugs, topic and audience names appear on public pages."""
    if raw or (created and sender is Brief):
        return
    _invalidate_on_commit()


@receiver(m2m_changed, sender=Brief.topics.through, dispatch_uid="briefs.brief_topics")
def brief_topics_changed(sender, action: str, **kwargs) -> None:
    """The topics listed on a brief's pages changed."""
    if action in ("post_add", "post_remove", "post_clear"):
        _invalidate_on_commit()
