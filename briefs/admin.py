"""The editorial back office: declarative admin classes calling briefs.workflow."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
)

from . import workflow
from .forms import VariantForm
from .models import Audience, Brief, GlossaryTerm, ReviewEvent, Source, Topic, Variant


class UserFormMixin:
    """Hands the request's user to forms so their checks can name it."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form


@admin.register(Audience)
class AudienceAdmin(TabbedTranslationAdmin):
    list_display = [
        "code",
        "name",
        "schema_type",
        "readability_target",
        "review_period_months",
    ]
    readonly_fields = ["code"]


@admin.register(Topic)
class TopicAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name_fr",)}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TabbedTranslationAdmin):
    list_display = ["term", "slug"]
    search_fields = ["term_fr", "term_en", "definition_fr"]
    prepopulated_fields = {"slug": ("term_fr",)}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "kind", "year", "doi", "pmid", "trial_id"]
    show_full_result_count = False
    list_filter = ["kind", "year"]
    search_fields = ["key", "title", "doi", "pmid", "trial_id"]


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
        "loaded_version",
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
class BriefAdmin(admin.ModelAdmin):
    list_display = ["slug", "owner", "created_at", "updated_at"]
    list_select_related = ["owner"]
    # No second COUNT(*) over every brief when a search or filter is active.
    show_full_result_count = False
    search_fields = ["slug", "variants__title_fr"]
    prepopulated_fields = {}
    filter_horizontal = ["topics"]
    inlines = [VariantInline]

    class Media:
        # The inline's language tabs (TabbedTranslationAdmin's assets).
        js = TabbedTranslationAdmin.Media.js
        css = TabbedTranslationAdmin.Media.css

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
                    f.cleaned_data.get("loaded_version")
                    for f in formset.forms
                    if f.instance is variant
                ),
                None,
            )
            workflow.save_content(
                variant=variant, user=request.user, expected_version=loaded
            )
        formset.save_m2m()


@admin.register(Variant)
class VariantAdmin(UserFormMixin, TabbedTranslationAdmin):
    form = VariantForm
    list_display = [
        "title",
        "brief",
        "audience",
        "state",
        "author",
        "reviewer",
        "updated_at",
    ]
    list_filter = ["state", "audience", "author", "reviewer"]
    list_select_related = ["brief", "audience", "author", "reviewer"]
    show_full_result_count = False
    # Newest work first; the model's ordering (by brief, then audience) sorts
    # every row through a join before showing the first page.
    ordering = ["-updated_at", "-id"]
    search_fields = ["title_fr", "title_en", "brief__slug"]
    readonly_fields = ["state", "version", "live_revision", "latest_revision"]
    fields = [
        "brief",
        "audience",
        "title",
        "standfirst",
        "body",
        "off_label",
        "loaded_version",
        "state",
        "live_revision",
        "latest_revision",
    ]

    def get_queryset(self, request):
        # The list shows no text: leave the bodies in the database.
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith(
            "_changelist"
        ):
            queryset = queryset.defer(
                "body",
                "body_fr",
                "body_en",
                "standfirst",
                "standfirst_fr",
                "standfirst_en",
            )
        return queryset

    def save_model(self, request, obj, form, change):
        workflow.save_content(
            variant=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("loaded_version"),
        )


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "variant",
        "action",
        "from_state",
        "to_state",
        "actor",
    ]
    list_filter = ["action", "to_state"]
    list_select_related = ["variant__brief", "variant__audience", "actor"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
