"""The back office's reference data: audiences, topics, glossary, profiles."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from ..models import Audience, GlossaryTerm, Profile, Topic
from .base import FrenchFirst


@admin.register(Audience)
class AudienceAdmin(FrenchFirst, TabbedTranslationAdmin):
    list_display = [
        "code",
        "name",
        "schema_type",
        "readability_target",
        "review_period_months",
    ]
    readonly_fields = ["code"]


@admin.register(Topic)
class TopicAdmin(FrenchFirst, TabbedTranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ("name_fr",)}


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(FrenchFirst, TabbedTranslationAdmin):
    list_display = ["term", "slug"]
    search_fields = ["term_fr", "term_en", "definition_fr"]
    prepopulated_fields = {"slug": ("term_fr",)}


@admin.register(Profile)
class ProfileAdmin(FrenchFirst, TabbedTranslationAdmin):
    list_display = ["user", "title"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "title_fr"]
    raw_id_fields = ["user"]
