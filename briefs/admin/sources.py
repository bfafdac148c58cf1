"""The source library in the back office: sources, and importing BibTeX or RIS."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import Source
from ..sources import importing as source_import
from ..sources.selectors import deletion_blockers
from ..text.identifiers import source_links
from ..text.references import format_reference
from .authors import AuthorsField


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


class SourceForm(forms.ModelForm):
    """A source, its authors edited as rows."""

    authors = AuthorsField(label=_("auteurs"), required=False)

    class Meta:
        model = Source
        fields = [
            "key",
            "kind",
            "authors",
            "title",
            "container_title",
            "publisher",
            "year",
            "volume",
            "issue",
            "pages",
            "published_on",
            "doi",
            "pmid",
            "pmcid",
            "trial_id",
            "url",
            "accessed_on",
            "language",
            "note",
        ]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ["key", "title", "kind", "year", "doi", "pmid", "trial_id"]
    show_full_result_count = False
    list_filter = ["kind", "year"]
    search_fields = ["key", "title", "doi", "pmid", "trial_id"]
    readonly_fields = ["vancouver", "links"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        css = {"all": ("admin/css/newsroom.css",)}

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
