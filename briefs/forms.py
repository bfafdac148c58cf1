"""Admin forms: the version check that keeps two editors from clobbering."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import workflow
from .models import Variant
from .rendering import complexity_problem


class VariantForm(forms.ModelForm):
    """A variant's text, with the version the editor loaded."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Variant
        fields = [
            "brief",
            "audience",
            "title",
            "standfirst",
            "body",
            "off_label",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        for name in ("body_fr", "body_en"):
            problem = complexity_problem(cleaned.get(name) or "")
            if problem and name in self.fields:
                self.add_error(name, problem)
        user = getattr(self, "user", None)
        if self.instance.pk and self.has_changed():
            try:
                workflow.check_can_edit(
                    variant=Variant.objects.select_related("last_edited_by").get(
                        pk=self.instance.pk
                    ),
                    user=user,
                    expected_version=cleaned.get("loaded_version"),
                )
            except workflow.WorkflowError as exc:
                raise forms.ValidationError(exc.message, code="edit_refused") from exc
        return cleaned


class ActionForm(forms.Form):
    """A workflow action asked from the variant page."""

    action = forms.ChoiceField(choices=[(name, name) for name in workflow.ACTIONS])
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    publish_at = forms.DateTimeField(
        label=_("Publier le (laisser vide pour publier maintenant)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
