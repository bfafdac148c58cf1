"""Briefs in the back office, with their two variants inline."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from ..editorial import workflow
from ..models import Brief, ReviewEvent, Variant
from .base import IndexedSearch
from .forms import VariantForm


class VariantInline(TranslationStackedInline):
    model = Variant
    form = VariantForm
    extra = 0
    max_num = 2
    fields = [
        "audience",
        "title",
        "standfirst",
        "body",
        "off_label",
        "loaded_edit_count",
        "state_display",
    ]
    readonly_fields = ["state_display"]
    show_change_link = True

    @admin.display(description=_("état"))
    def state_display(self, obj):
        return obj.get_state_display() if obj.pk else "-"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset


@admin.register(Brief)
class BriefAdmin(IndexedSearch, admin.ModelAdmin):
    list_display = ["slug", "owner", "created_at", "updated_at"]
    list_select_related = ["owner"]
    # No second COUNT(*) over every brief when a search or filter is active.
    show_full_result_count = False
    search_fields = ["slug", "variants__title_fr"]

    search_own_fields = ("slug",)

    def search_related_ids(self, word):
        titles = Variant.objects.filter(title_fr__icontains=word)
        return [("pk", titles.values_list("brief_id", flat=True))]

    prepopulated_fields = {}
    filter_horizontal = ["topics"]
    readonly_fields = ["old_addresses"]
    inlines = [VariantInline]

    class Media:
        # The inline's language tabs (TabbedTranslationAdmin's assets).
        js = (
            "admin/js/french_first.js",
            *TabbedTranslationAdmin.Media.js,
            "admin/js/unsaved_changes.js",
        )
        css = TabbedTranslationAdmin.Media.css

    @admin.display(description=_("anciennes adresses"))
    def old_addresses(self, obj):
        """The slugs this brief had: their addresses redirect to the current one."""
        if obj is None or obj.pk is None:
            return "-"
        slugs = obj.old_slugs.values_list("old_slug", flat=True)
        return ", ".join(slugs) or "-"

    def get_deleted_objects(self, objs, request):
        # A published brief is refused like a protected one (Brief.delete agrees).
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        # Records of saves go with a draft never submitted (models.review);
        # nobody may delete review events as such.
        perms.discard(ReviewEvent._meta.verbose_name)
        live = list(Variant.objects.published().filter(brief__in=objs))
        if live:
            # Say why first: missing permissions would hide this reason.
            perms = set()
            protected = [
                _("%(variant)s : publiée, à dépublier d'abord") % {"variant": v}
                for v in live
            ] + list(protected)
        return deleted, counts, perms, protected

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Variant:
            return super().save_formset(request, form, formset, change)
        variants = formset.save(commit=False)
        for variant in variants:
            loaded = next(
                (
                    f.cleaned_data.get("loaded_edit_count")
                    for f in formset.forms
                    if f.instance is variant
                ),
                None,
            )
            workflow.save_content(
                variant=variant, user=request.user, expected_edit_count=loaded
            )
        formset.save_m2m()
