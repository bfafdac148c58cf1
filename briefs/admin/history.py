"""A variant's revisions and review history, shown on its page as read-only inlines."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import ReviewEvent, Revision


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on the parent's page, never added, changed or deleted there."""

    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RevisionInline(ReadOnlyInline):
    model = Revision
    fk_name = "variant"
    verbose_name = _("révision")
    verbose_name_plural = _("révisions")
    fields = ["label", "submitted", "approved", "pages"]
    readonly_fields = fields
    classes = ["revisions"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("variant", "created_by", "approved_by")
            .defer(
                "body_fr",
                "body_en",
                "body_html_fr",
                "body_html_en",
                "references_html_fr",
                "references_html_en",
                "sources",
                "metrics",
            )
            .order_by("-number")
        )

    @admin.display(description=_("révision"))
    def label(self, revision: Revision) -> str:
        if revision.pk == revision.variant.live_revision_id:
            return format_html(
                "r{} · <strong>{}</strong>", revision.number, _("en ligne")
            )
        return f"r{revision.number}"

    @admin.display(description=_("soumise"))
    def submitted(self, revision: Revision) -> str:
        return _by(revision.created_at, revision.created_by)

    @admin.display(description=_("approuvée"))
    def approved(self, revision: Revision) -> str:
        if revision.approved_at is None:
            return "—"
        return _by(revision.approved_at, revision.approved_by)

    @admin.display(description=_("voir"))
    def pages(self, revision: Revision) -> str:
        args = [revision.variant_id, revision.number]
        return format_html(
            '<a href="{}">{}</a> · <a href="{}?revision={}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:briefs_variant_preview", args=args),
            _("aperçu"),
            reverse("admin:briefs_variant_diff", args=[revision.variant_id]),
            revision.number,
            _("différences"),
            reverse("admin:briefs_variant_share", args=args),
            _("lien pour un expert"),
        )


class ReviewEventInline(ReadOnlyInline):
    model = ReviewEvent
    fk_name = "variant"
    verbose_name = _("événement")
    verbose_name_plural = _("historique de relecture")
    fields = ["created_at", "actor", "action_label", "states", "revision_label", "note"]
    readonly_fields = fields
    classes = ["review-events"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "revision")

    @admin.display(description=_("action"))
    def action_label(self, event: ReviewEvent) -> str:
        return event.get_action_display()

    @admin.display(description=_("de → à"))
    def states(self, event: ReviewEvent) -> str:
        if event.from_state == event.to_state:
            return event.get_to_state_display()
        return f"{event.get_from_state_display()} → {event.get_to_state_display()}"

    @admin.display(description=_("révision"))
    def revision_label(self, event: ReviewEvent) -> str:
        return f"r{event.revision.number}" if event.revision_id else "—"

    @admin.display(description=_("commentaire"))
    def note(self, event: ReviewEvent) -> str:
        parts = []
        if event.changed_fields:
            parts.append(
                format_html(
                    '<span class="changed-fields">{} {}</span>',
                    _("Modifié :"),
                    event.changed_labels,
                )
            )
        if event.comment:
            parts.append(format_html("{}", event.comment))
        return format_html("<br>".join(["{}"] * len(parts)), *parts) if parts else "—"


def _by(moment, user) -> str:
    """ "<date> — <name>": when something was done, and by whom."""
    when = date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    who = (user.get_full_name() or user.get_username()) if user else "—"
    return f"{when} — {who}"
