"""Readers' feedback in the back office: the reports, and opening a correction."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..editorial import reader_feedback, workflow
from ..models import FeedbackKind, ReaderFeedback


class HandledFilter(admin.SimpleListFilter):
    """Reports still waiting for someone, or already taken in hand."""

    title = gettext_lazy("suite donnée")
    parameter_name = "suite"

    def lookups(self, request, model_admin):
        return [
            ("a-traiter", gettext_lazy("à traiter")),
            ("traite", gettext_lazy("pris en charge")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "a-traiter":
            return queryset.open_reports()
        if self.value() == "traite":
            return queryset.filter(handled_at__isnull=False)
        return queryset


@admin.register(ReaderFeedback)
class ReaderFeedbackAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "variant_link",
        "language",
        "excerpt",
        "handled_at",
    ]
    list_filter = [HandledFilter, "kind", "language", "variant__audience"]
    list_select_related = ["variant__brief", "variant__audience", "handled_by"]
    search_fields = ["message"]
    show_full_result_count = False
    date_hierarchy = "created_at"
    fields = [
        "variant_link",
        "language",
        "kind",
        "message",
        "created_at",
        "handled_at",
        "handled_by",
    ]
    readonly_fields = fields
    change_form_template = "admin/briefs/readerfeedback/change_form.html"

    def has_add_permission(self, request):
        return False  # readers write these, from the public pages

    def has_change_permission(self, request, obj=None):
        return False  # what a reader said is kept as said

    @admin.display(description=gettext_lazy("page"), ordering="variant")
    def variant_link(self, obj):
        url = reverse("admin:briefs_variant_change", args=[obj.variant_id])
        return format_html('<a href="{}">{}</a>', url, obj.variant)

    @admin.display(description=gettext_lazy("message"))
    def excerpt(self, obj):
        return Truncator(obj.message).chars(120) or "–"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/open-correction/",
                self.admin_site.admin_view(self.open_correction_view),
                name="briefs_readerfeedback_open_correction",
            )
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "may_open_correction": bool(
                report is not None
                and report.kind == FeedbackKind.ERROR
                and not report.is_handled
                and request.user.has_perm(reader_feedback.OpenCorrection.permission)
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def open_correction_view(self, request, object_id):
        """Mark the report handled (audited) and go to the variant's editing page."""
        report = self.get_object(request, unquote(object_id))
        if report is None:
            raise Http404
        back = reverse("admin:briefs_readerfeedback_change", args=[report.pk])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        try:
            reader_feedback.open_correction(report=report, user=request.user)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(back)
        messages.success(
            request,
            _(
                "Signalement pris en charge, noté dans l'historique de la version : "
                "corrigez le texte ci-dessous."
            ),
        )
        return HttpResponseRedirect(
            reverse("admin:briefs_variant_change", args=[report.variant_id])
        )


def reports_panel(variant) -> str:
    """The variant page's panel: readers' answers and the reports to handle."""
    from django.template.loader import render_to_string

    if variant is None or variant.pk is None:
        return "–"
    return render_to_string(
        "admin/briefs/variant/reader_reports.html",
        {
            "counts": reader_feedback.counts(variant),
            "reports": list(
                ReaderFeedback.objects.open_reports().filter(variant=variant)[:10]
            ),
            "list_url": reverse("admin:briefs_readerfeedback_changelist")
            + f"?variant__id__exact={variant.pk}&kind__exact=error",
        },
    )
