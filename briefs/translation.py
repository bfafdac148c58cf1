"""Fields translated through django-modeltranslation (French first, English)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Audience, GlossaryTerm, Profile, Topic, Variant


@register(Audience)
class AudienceTranslationOptions(TranslationOptions):
    fields = ("name", "description", "disclaimer")


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Variant)
class VariantTranslationOptions(TranslationOptions):
    fields = ("title", "standfirst", "body")
    # The English text is optional; French is required.
    required_languages = ("fr",)


@register(GlossaryTerm)
class GlossaryTermTranslationOptions(TranslationOptions):
    fields = ("term", "definition", "variants_of_term")


@register(Profile)
class ProfileTranslationOptions(TranslationOptions):
    fields = ("title",)
