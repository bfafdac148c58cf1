"""The variant page's translation files: an XLIFF export to hand to a
translator, and the page that imports the translation back.

The rules (who may, what a file must hold) are the service's,
briefs.editorial.translation_files; these views only ask and tell.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..editorial import translation_files, workflow
from ..text.xliff import MAX_FILE_BYTES


class TranslationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier XLIFF traduit"),
        help_text=_("Le fichier exporté depuis cette page, traduit en anglais."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                gettext("Fichier trop gros (%(size)d octets ; maximum %(max)d).")
                % {"size": upload.size, "max": MAX_FILE_BYTES}
            )
        return upload


class TranslationFilesMixin:
    """The export and import views of the variant admin (VariantPagesMixin)."""

    def translation_export_view(self, request, object_id):
        """Download the French text as an XLIFF file to translate."""
        variant = self._variant_or_404(request, object_id)
        try:
            export = translation_files.export_xliff(variant=variant, user=request.user)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(
                reverse("admin:briefs_variant_change", args=[variant.pk])
            )
        response = HttpResponse(
            export.content, content_type=translation_files.CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def translation_import_view(self, request, object_id):
        """The upload page of a translated file; a refusal says why on the page."""
        variant = self._variant_or_404(request, object_id)
        change_url = reverse("admin:briefs_variant_change", args=[variant.pk])
        problem = None
        form = TranslationUploadForm()
        if request.method == "POST":
            form = TranslationUploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    imported = translation_files.import_xliff(
                        variant=variant,
                        user=request.user,
                        data=upload.read(MAX_FILE_BYTES + 1),
                    )
                except workflow.WorkflowError as exc:
                    problem = exc.message
                else:
                    for warning in imported.warnings:
                        messages.warning(request, warning)
                    messages.success(
                        request,
                        gettext("Traduction importée : l'anglais est enregistré.")
                        if imported.changed
                        else gettext(
                            "Traduction importée : l'anglais était déjà celui-ci, "
                            "rien n'a changé."
                        ),
                    )
                    return HttpResponseRedirect(change_url)
        may_import = workflow.can_edit(variant=variant, user=request.user)
        if not may_import and problem is None:
            try:
                workflow.check_can_edit(
                    variant=variant, user=request.user, expected_edit_count=None
                )
            except workflow.WorkflowError as exc:
                problem = exc.message
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": variant,
            "title": gettext("Importer une traduction : %(variant)s")
            % {"variant": variant},
            "form": form,
            "problem": problem,
            "may_import": may_import,
        }
        return TemplateResponse(
            request, "admin/briefs/variant/translation_import.html", context
        )
