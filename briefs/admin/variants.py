"""Variants in the back office: the list, the editing page and its form."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from ..editorial import workflow
from ..editorial.review_due import due_for_review
from ..editorial.revisions import quality_report
from ..models import Brief, Variant
from ..text import readability
from .base import FrenchFirst, IndexedSearch, UserFormMixin
from .feedback import reports_panel
from .forms import VariantChangeForm
from .history import ReviewEventInline, RevisionInline
from .variant_pages import VariantPagesMixin


class ReviewDueFilter(admin.SimpleListFilter):
    """Published variants whose review date has passed or comes within a month."""

    title = _("date de relecture")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("due", _("à relire (date dépassée)")),
            ("soon", _("à relire dans les 30 jours")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.filter(pk__in=due_for_review().values("pk"))
        if self.value() == "soon":
            soon = due_for_review(within=dt.timedelta(days=30))
            return queryset.filter(pk__in=soon.values("pk"))
        return queryset


class AwaitingMyReviewFilter(admin.SimpleListFilter):
    """Variants in review that the current user may decide on."""

    title = _("relecture")
    parameter_name = "relecture"

    def lookups(self, request, model_admin):
        return [("moi", _("En attente de ma relecture"))]

    def queryset(self, request, queryset):
        if self.value() == "moi":
            return workflow.awaiting_review_by(request.user, queryset)
        return queryset


@admin.register(Variant)
class VariantAdmin(
    IndexedSearch, VariantPagesMixin, FrenchFirst, UserFormMixin, TabbedTranslationAdmin
):
    form = VariantChangeForm
    inlines = [RevisionInline, ReviewEventInline]
    list_display = [
        "title",
        "brief",
        "audience",
        "state",
        "is_live",
        "author",
        "reviewer",
        "updated_at",
        "readability_score",
        "review_due_at",
    ]
    list_filter = [
        AwaitingMyReviewFilter,
        ReviewDueFilter,
        "state",
        "audience",
        "author",
        "reviewer",
    ]
    list_select_related = [
        "brief",
        "audience",
        "author",
        "reviewer",
    ]
    show_full_result_count = False
    # Newest work first; the model's ordering (by brief, then audience) sorts
    # every row through a join before showing the first page.
    ordering = ["-updated_at", "-id"]
    search_fields = ["title_fr", "title_en", "brief__slug"]

    search_own_fields = ("title_fr", "title_en")

    def search_related_ids(self, word):
        slugs = Brief.objects.filter(slug__icontains=word)
        return [("brief_id", slugs.values_list("pk", flat=True))]

    readonly_fields = [
        "state",
        "edit_count",
        "live_revision",
        "latest_revision",
        "quality_panel",
        "reader_reports",
        "review_due_at",
        "last_reviewed_at",
    ]
    fields = [
        "brief",
        "audience",
        "title",
        "standfirst",
        "body",
        "quality_panel",
        "off_label",
        "last_reviewed_at",
        "review_due_at",
        "loaded_edit_count",
        "state",
        "live_revision",
        "latest_revision",
        "reader_reports",
    ]

    class Media:
        js = (
            *FrenchFirst.Media.js,
            "admin/js/readability.js",
            "admin/js/figures.js",
            "admin/js/comment_markers.js",
            "admin/js/unsaved_changes.js",
            "admin/js/workflow_controls.js",
            "admin/js/editor_layout.js",
        )

    def get_queryset(self, request):
        # The list's score column reads one JSON key, not the whole revision.
        queryset = (
            super()
            .get_queryset(request)
            .annotate(readability=F("latest_revision__metrics__readability__score"))
        )
        if request.resolver_match and request.resolver_match.url_name.endswith(
            "_changelist"
        ):
            # The list shows no text: leave the bodies in the database.
            queryset = queryset.defer(
                "body",
                "body_fr",
                "body_en",
                "standfirst",
                "standfirst_fr",
                "standfirst_en",
            )
        return queryset

    @admin.display(description=_("lisibilité"), ordering="readability")
    def readability_score(self, obj):
        score = getattr(obj, "readability", None)
        return "–" if score in (None, "", "null") else score

    @admin.display(description=_("lisibilité et vocabulaire"))
    def quality_panel(self, obj):
        audience = obj.audience if obj and obj.audience_id else None
        body = (obj.body_fr or "") if obj else ""
        report = quality_report(body, audience=audience)
        return render_to_string(
            "admin/briefs/variant/quality_panel.html",
            {
                "report": report,
                "audience": audience,
                "verdict": readability.verdict(
                    report["readability"]["score"], report["readability_target"]
                ),
                "url": reverse("admin_quality_report"),
            },
        )

    @admin.display(description=_("avis des lecteurs"))
    def reader_reports(self, obj):
        return reports_panel(obj)

    @admin.display(boolean=True, description=_("en ligne"))
    def is_live(self, obj):
        return obj.is_live

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["brief", "audience"]
            if not workflow.can_edit(variant=obj, user=request.user):
                fields += workflow.content_field_names()
        return fields

    def save_model(self, request, obj, form, change):
        workflow.save_content(
            variant=obj,
            user=request.user,
            expected_edit_count=form.cleaned_data.get("loaded_edit_count"),
        )
