"""Signals: freshness of the public pages only (publishing and mail never here).

Whatever changes what a public page shows calls briefs.public.freshness.invalidate
with the briefs concerned (their detail pages) and whether the listings
show it: a variant going live, offline or changing its live revision, a
brief's slug or topics, a topic's name, an audience, the people named on the
pages. Rows loaded raw (fixtures, a restore) skip the per-object work: the
whole site is made stale once the load commits.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from ..models import Audience, Brief, Profile, Topic, Variant
from .freshness import invalidate, invalidate_everything

# Variant fields a public page reads outside its live revision.
PUBLIC_VARIANT_FIELDS = (
    "live_revision_id",
    "live_languages",
    "live_translation_dated",
    "corrections",
    "first_published_at",
    "last_published_at",
    "last_reviewed_at",
    "review_due_at",
    "withdrawn_at",
    "off_label",
    "audience_id",
    "brief_id",
)


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
    instance._public_before = (
        Variant.objects.filter(pk=instance.pk)
        .values_list(*PUBLIC_VARIANT_FIELDS)
        .first()
    )


@receiver(post_save, sender=Variant, dispatch_uid="briefs.variant_public_after")
def variant_saved(sender, instance: Variant, created=False, raw=False, **kwargs):
    """A variant went live, offline, or changed what its pages show."""
    if raw:
        invalidate_everything()
        return
    before = getattr(instance, "_public_before", None)
    if created:
        if instance.live_revision_id is not None:
            invalidate(briefs={instance.brief_id}, listings=True)
        return
    if before != _public_values(instance):
        # The brief's other variants link to this one: all of its pages change.
        brief_before = (
            before[PUBLIC_VARIANT_FIELDS.index("brief_id")] if before else None
        )
        invalidate(briefs={instance.brief_id, brief_before}, listings=True)


@receiver(post_delete, sender=Variant, dispatch_uid="briefs.variant_deleted")
def variant_deleted(sender, instance: Variant, **kwargs) -> None:
    """A deleted live variant leaves the public pages."""
    if instance.live_revision_id is not None:
        invalidate(slugs={instance.brief.slug}, listings=True)


@receiver(pre_save, sender=Brief, dispatch_uid="briefs.brief_slug_before")
def remember_slug(sender, instance: Brief, raw=False, **kwargs) -> None:
    """Note a brief's slug before it is saved: its pages move if it changes."""
    instance._slug_before = None
    if not raw and instance.pk is not None:
        instance._slug_before = (
            Brief.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


@receiver(post_save, sender=Brief, dispatch_uid="briefs.brief_saved")
def brief_saved(sender, instance: Brief, raw=False, created=False, **kwargs) -> None:
    """A renamed brief: its old and new addresses, and the listings' links."""
    if raw:
        invalidate_everything()
        return
    before = getattr(instance, "_slug_before", None)
    if not created and before != instance.slug:
        invalidate(slugs={before, instance.slug}, listings=True)


@receiver(post_delete, sender=Brief, dispatch_uid="briefs.brief_deleted")
def brief_deleted(sender, instance: Brief, **kwargs) -> None:
    invalidate(slugs={instance.slug}, listings=True)


@receiver(post_save, sender=Topic, dispatch_uid="briefs.topic_saved")
def topic_saved(sender, instance: Topic, raw=False, created=False, **kwargs) -> None:
    """A topic's name is shown on its briefs' pages and on topic listings."""
    if raw:
        invalidate_everything()
    elif not created:
        invalidate(briefs=instance.briefs.values_list("pk", flat=True), listings=True)


@receiver(pre_delete, sender=Topic, dispatch_uid="briefs.topic_deleting")
def topic_deleting(sender, instance: Topic, **kwargs) -> None:
    """A deleted topic leaves the pages of its briefs (read before it goes)."""
    invalidate(briefs=instance.briefs.values_list("pk", flat=True), listings=True)


@receiver(post_save, sender=Audience, dispatch_uid="briefs.audience_saved")
@receiver(post_delete, sender=Audience, dispatch_uid="briefs.audience_deleted")
def audience_changed(sender, instance: Audience, **kwargs) -> None:
    """Audience names are on every public page."""
    invalidate_everything()


@receiver(m2m_changed, sender=Brief.topics.through, dispatch_uid="briefs.brief_topics")
def brief_topics_changed(
    sender, instance, action: str, reverse: bool, pk_set=None, **kwargs
) -> None:
    """The topics listed on a brief's pages changed."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        invalidate(briefs={instance.pk}, listings=True)
    elif action == "pre_clear":
        invalidate(briefs=instance.briefs.values_list("pk", flat=True), listings=True)
    elif pk_set:
        invalidate(briefs=pk_set, listings=True)


def _person_changed(user_id) -> None:
    """Refresh the pages that name this person (as author or reviewer)."""
    briefs = set(
        Variant.objects.published()
        .filter(Q(author_id=user_id) | Q(live_revision__approved_by_id=user_id))
        .values_list("brief_id", flat=True)
    )
    if briefs:
        # Feeds name authors too.
        invalidate(briefs=briefs, listings=True)


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
