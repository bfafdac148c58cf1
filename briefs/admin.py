"""The editorial back office: declarative admin classes calling briefs.editorial.workflow."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
)

from . import (
    admin_axes,  # noqa: F401 (the login attempts' admin)
    admin_outbox,  # noqa: F401 (registers the outbox's read-only admin)
)
from .editorial import preview_links, workflow
from .editorial.review_due import due_for_review
from .editorial.revisions import baseline, quality_report
from .forms import ActionForm, VariantChangeForm, VariantForm
from .http import parse_int
from .models import (
    Audience,
    Brief,
    GlossaryTerm,
    Profile,
    ReviewEvent,
    Source,
    State,
    Topic,
    Variant,
)
from .models.content import LANGUAGE_CODES
from .sources import importing as source_import
from .sources.selectors import deletion_blockers
from .text import diff, readability
from .text.identifiers import source_links
from .text.references import format_reference
from .two_factor import admin as two_factor_admin  # noqa: F401 (registers its admins)
from .views import render_revision


class FrenchFirst:
    """Translated fields open on their French tab, the source language."""

    class Media:
        js = ("admin/js/french_first.js",)


class UserFormMixin:
    """Hands the request's user to forms so their checks can name it."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form


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


class SourceImportForm(forms.Form):
    """A BibTeX or RIS file to preview, then add to the source library."""

    file = forms.FileField(
        label=_("Fichier BibTeX (.bib) ou RIS (.ris)"),
        help_text=_(
            "Vous verrez d'abord ce que l'import changerait ; rien n'est enregistré "
            "avant votre confirmation. Les doublons sont reconnus par DOI, puis "
            "PMID, puis clé. Un fichier mal formé n'importe rien (2 Mo au plus)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > source_import.MAX_FILE_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux (2 Mo au plus)."))
        return upload


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "kind", "year", "doi", "pmid", "trial_id"]
    show_full_result_count = False
    list_filter = ["kind", "year"]
    search_fields = ["key", "title", "doi", "pmid", "trial_id"]
    readonly_fields = ["vancouver", "links"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["key", "kind", "authors", "title", "vancouver", "links"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "container_title",
                    "publisher",
                    "year",
                    "volume",
                    "issue",
                    "pages",
                    "published_on",
                ]
            },
        ),
        (
            _("Identifiants"),
            {"fields": ["doi", "pmid", "pmcid", "trial_id", "url", "accessed_on"]},
        ),
        (None, {"fields": ["language", "note"]}),
    ]

    @admin.display(description=_("référence (Vancouver)"))
    def vancouver(self, obj):
        return mark_safe(format_reference(obj)) if obj.pk else "-"  # noqa: S308 (escaped by format_reference)

    @admin.display(description=_("liens"))
    def links(self, obj):
        if not obj.pk:
            return "-"
        return format_html_join(
            " · ",
            '<a href="{}" rel="noopener" target="_blank">{}</a>',
            ((url, label) for label, url in source_links(obj)),
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="briefs_source_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload a BibTeX or RIS file, preview what it would change, confirm."""
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied
        form = SourceImportForm()
        preview = report = plan = error = notice = None
        if request.method == "POST" and "token" in request.POST:
            try:
                plan, report = source_import.confirm_preview(
                    token=request.POST["token"],
                    user=request.user,
                    accept=request.POST.getlist("accept"),
                )
            except source_import.PreviewOutdated as exc:
                preview, notice = exc.preview, str(exc)
            except source_import.SourceImportError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    _("Import de %(file)s : %(summary)s.")
                    % {"file": plan.filename, "summary": report.summary()},
                )
        elif request.method == "POST":
            form = SourceImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    preview = source_import.preview_file(
                        data=upload.read(), filename=upload.name, user=request.user
                    )
                except source_import.SourceImportError as exc:
                    error = str(exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importer des sources"),
            "form": form,
            "preview": preview,
            "plan": preview.plan if preview else plan,
            "report": report,
            "error": error,
            "notice": notice,
        }
        return TemplateResponse(request, "admin/briefs/source/import.html", context)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        if protected:
            # Name the revisions, not the internal citation rows.
            protected = deletion_blockers(objs)
        return deleted, counts, perms_needed, protected

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and deletion_blockers([obj]):
            messages.error(
                request,
                _(
                    "Cette source est citée par des révisions, qui sont conservées : "
                    "elle ne peut donc pas être supprimée. Corrigez-la plutôt ; les "
                    "révisions déjà faites gardent la référence telle qu'elle était."
                ),
            )
        return super().delete_view(request, object_id, extra_context)


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
        js = (
            "admin/js/french_first.js",
            *TabbedTranslationAdmin.Media.js,
            "admin/js/unsaved_changes.js",
        )
        css = TabbedTranslationAdmin.Media.css

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


# The variant page's workflow buttons belong to its form, under this prefix.
ACTION_PREFIX = "workflow"
ACTION_FIELD = f"{ACTION_PREFIX}-action"


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
class VariantAdmin(FrenchFirst, UserFormMixin, TabbedTranslationAdmin):
    form = VariantChangeForm
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
    readonly_fields = [
        "state",
        "edit_count",
        "live_revision",
        "latest_revision",
        "quality_panel",
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
    ]

    class Media:
        js = (
            *FrenchFirst.Media.js,
            "admin/js/readability.js",
            "admin/js/unsaved_changes.js",
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

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        routes = [
            ("transition/", self.transition_view, "transition"),
            ("diff/", self.diff_view, "diff"),
            (
                "revisions/<dbint:number>/preview/",
                self.revision_preview_view,
                "preview",
            ),
            ("revisions/<dbint:number>/share/", self.share_view, "share"),
        ]
        return [
            path(
                f"<path:object_id>/{route}",
                self.admin_site.admin_view(view),
                name=f"{prefix}_{name}",
            )
            for route, view, name in routes
        ] + super().get_urls()

    def _variant_or_404(self, request, object_id) -> Variant:
        variant = self.get_object(request, unquote(object_id))
        if variant is None:
            raise Http404
        if not self.has_view_permission(request, variant):
            raise PermissionDenied
        return variant

    def _revision_or_404(self, variant: Variant, number: int):
        revision = (
            variant.revisions.select_related("approved_by")
            .filter(number=number)
            .first()
        )
        if revision is None:
            raise Http404
        return revision

    def change_view(self, request, object_id, form_url="", extra_context=None):
        variant = self.get_object(request, unquote(object_id))
        if (
            variant is not None
            and request.method == "POST"
            and ACTION_FIELD in request.POST
            and not workflow.can_edit(variant=variant, user=request.user)
        ):
            # Nothing on the page is editable for this person: only the action.
            if not self.has_view_permission(request, variant):
                raise PermissionDenied
            return self._run_action(
                request, variant, ActionForm(request.POST, prefix=ACTION_PREFIX)
            )
        extra_context = extra_context or {}
        if variant is not None:
            extra_context.update(self._workflow_context(request, variant))
        try:
            return super().change_view(request, object_id, form_url, extra_context)
        except workflow.EditConflict:
            # Someone saved between this form's checks and its save; shown
            # again, the form names them and keeps what was typed.
            return super().change_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        # The text typed on the page is saved (save_model, in this same
        # transaction) before the action its button asked for.
        if ACTION_FIELD in request.POST:
            return self._run_action(
                request,
                obj,
                ActionForm(request.POST, prefix=ACTION_PREFIX),
                saved=True,
            )
        return super().response_change(request, obj)

    def _workflow_context(self, request, variant: Variant) -> dict:
        waiting = (
            variant.latest_revision
            if variant.state in (State.IN_REVIEW, State.APPROVED)
            else None
        )
        return {
            "workflow_actions": workflow.allowed_actions(
                variant=variant, user=request.user
            ),
            "action_form": ActionForm(
                prefix=ACTION_PREFIX,
                initial={"revision": waiting.number if waiting else None},
            ),
            "review_events": variant.events.select_related("actor", "revision")[:50],
            "revisions": variant.revisions.select_related("created_by", "approved_by"),
            "waiting_revision": waiting,
        }

    def transition_view(self, request, object_id):
        """Run one workflow action; the rules are checked by briefs.editorial.workflow."""
        variant = self._variant_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:briefs_variant_change", args=[variant.pk])
            )
        return self._run_action(request, variant, ActionForm(request.POST))

    def _run_action(self, request, variant: Variant, form, *, saved: bool = False):
        """Perform the action ``form`` asks for and say how it went."""
        change_url = reverse("admin:briefs_variant_change", args=[variant.pk])
        if saved:
            messages.info(request, _("Votre texte est enregistré."))
        if not form.is_valid():
            messages.error(request, _("Action inconnue ou date invalide."))
            return HttpResponseRedirect(change_url)
        data = form.cleaned_data
        try:
            outcome = workflow.perform(
                data["action"],
                variant=Variant.objects.get(pk=variant.pk),
                user=request.user,
                comment=data["comment"],
                revision=data["revision"],
                at=data["publish_at"],
                confirm=data["confirm"],
            )
        except workflow.ConfirmationNeeded as exc:
            return self._confirm_action(request, variant, form, exc.message)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(change_url)
        for warning in outcome.warnings:
            messages.warning(request, warning)
        messages.success(
            request,
            _("%(action)s : fait (%(from)s → %(to)s).")
            % {
                "action": workflow.ACTIONS[data["action"]].label,
                "from": outcome.event.get_from_state_display(),
                "to": outcome.event.get_to_state_display(),
            },
        )
        return HttpResponseRedirect(change_url)

    def _confirm_action(self, request, variant: Variant, form, consequences: str):
        """Ask the person to confirm an action after saying what it does."""
        data = form.cleaned_data
        confirm_form = ActionForm(
            initial={
                "action": data["action"],
                "comment": data["comment"],
                "revision": data["revision"],
                "confirm": True,
            }
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": variant,
            "title": _("Confirmer : %(action)s")
            % {"action": workflow.ACTIONS[data["action"]].label},
            "action": workflow.ACTIONS[data["action"]],
            "consequences": consequences,
            "confirm_form": confirm_form,
        }
        return TemplateResponse(
            request, "admin/briefs/variant/confirm_action.html", context
        )

    def diff_view(self, request, object_id):
        """The revision under review (or a chosen one) beside the live or previous one."""
        variant = self._variant_or_404(request, object_id)
        asked = request.GET.get("revision")
        if asked is not None:
            number = parse_int(asked)
            if number is None:
                raise Http404
            revision = self._revision_or_404(variant, number)
        else:
            revision = variant.latest_revision
        if revision is None:
            messages.info(request, _("Aucune révision soumise pour l'instant."))
            return HttpResponseRedirect(
                reverse("admin:briefs_variant_change", args=[variant.pk])
            )
        old = baseline(revision)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": variant,
            "title": _("Différences : %(variant)s") % {"variant": variant},
            "revision": revision,
            "baseline": old,
            "diffs": diff.compare(old, revision, languages=LANGUAGE_CODES),
        }
        return TemplateResponse(request, "admin/briefs/variant/diff.html", context)

    def revision_preview_view(self, request, object_id, number):
        """The exact public rendering of one revision, for staff who may see it."""
        variant = self._variant_or_404(request, object_id)
        revision = self._revision_or_404(variant, number)
        lang = request.GET.get("lang", "fr")
        if lang not in ("fr", "en") or not revision.has_language(lang):
            raise Http404
        with translation.override(lang):
            return render_revision(
                request,
                revision,
                lang,
                banner=_("Prévisualisation de la révision %(n)s (%(state)s).")
                % {"n": revision.number, "state": variant.get_state_display()},
            )

    def share_view(self, request, object_id, number):
        """Make a signed link to one revision for an outside expert."""
        variant = self._variant_or_404(request, object_id)
        revision = self._revision_or_404(variant, number)
        change_url = reverse("admin:briefs_variant_change", args=[variant.pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        try:
            link = preview_links.make_link(revision=revision, user=request.user)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(change_url)
        days = settings.NEWSROOM_PREVIEW_MAX_AGE // 86400
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Lien valable %(days)s jours, pour cette révision seulement :")
                % {"days": days},
                link,
                request.build_absolute_uri(link),
            ),
        )
        return HttpResponseRedirect(change_url)

    def history_view(self, request, object_id, extra_context=None):
        variant = self.get_object(request, unquote(object_id))
        extra_context = extra_context or {}
        if variant is not None:
            extra_context["review_events"] = variant.events.select_related(
                "actor", "revision"
            )
        return super().history_view(request, object_id, extra_context)


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
