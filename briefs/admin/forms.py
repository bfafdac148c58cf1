"""Admin forms: the edit count that keeps two editors from overwriting each other."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..editorial import assignment, workflow
from ..editorial.editing import MAX_STANDFIRST_CHARS, MAX_TITLE_CHARS
from ..editorial.translations import TranslationStatement
from ..http import parse_int
from ..models import ChangeKind, TextPart, Variant
from ..models.content import LANGUAGE_CODES
from ..sources.selectors import unknown_citation_keys
from ..text.references import unknown_keys_message


class CountField(forms.IntegerField):
    """A whole number from a form, read like every number from a request
    (briefs.http.parse_int: ASCII digits only, within the database's range)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_int(str(value).strip())
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


# What a datetime-local input sends: the wall time, without a zone.
WALL_TIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


def zone_label() -> str:
    """The newsroom's time zone as people name it: "heure de Paris"."""
    if settings.TIME_ZONE == "Europe/Paris":
        return str(_("heure de Paris"))
    return str(_("heure de %(zone)s")) % {"zone": settings.TIME_ZONE}


class NewsroomDateTimeField(forms.Field):
    """A date and time picked in a datetime-local input, read as the wall
    time of the newsroom's zone (never the server's or the browser's)."""

    widget = forms.DateTimeInput(
        format=WALL_TIME_FORMATS[0], attrs={"type": "datetime-local"}
    )
    default_error_messages = {
        "invalid": _(
            "Date et heure illisibles : choisissez-les dans le calendrier "
            "(%(zone)s), par exemple 2026-12-03T14:30."
        ),
        "nonexistent": _(
            "Cette heure n'existe pas (%(zone)s) : les horloges avancent d'une "
            "heure cette nuit-là. Choisissez une autre heure."
        ),
    }

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return value.astimezone(timezone.get_default_timezone()).replace(
                tzinfo=None
            )
        return value

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        zone = timezone.get_default_timezone()
        params = {"zone": zone_label()}
        for fmt in WALL_TIME_FORMATS:
            try:
                wall = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            moment = wall.replace(tzinfo=zone)
            # A time skipped when the clocks go forward comes back different.
            back = moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
            if back != wall:
                raise forms.ValidationError(
                    self.error_messages["nonexistent"],
                    code="nonexistent",
                    params=params,
                )
            return moment
        raise forms.ValidationError(
            self.error_messages["invalid"], code="invalid", params=params
        )


def editor_attrs(name: str) -> dict[str, str]:
    """What the page's scripts read on a text field: the live character
    count of titles and standfirsts (with their limit), the preview's name."""
    base, _sep, lang = name.rpartition("_")
    if lang not in LANGUAGE_CODES:
        base = name
    limit = {"title": MAX_TITLE_CHARS, "standfirst": MAX_STANDFIRST_CHARS}.get(base)
    if limit:
        return {
            "data-char-limit": str(limit),
            "data-char-count": str(_("%(count)s / %(max)s caractères")),
            "data-char-over": str(_("%(over)s de trop")),
        }
    if base == "body":
        return {"data-preview-label": str(_("Aperçu, comme sur le site"))}
    return {}


class VariantForm(forms.ModelForm):
    """A variant's text, with the edit count the editor loaded."""

    loaded_edit_count = CountField(widget=forms.HiddenInput, required=False)
    # Inline rows left untouched are not saved, so they need no check.
    check_unchanged = False

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
            self.fields["loaded_edit_count"].initial = self.instance.edit_count
        for name, field in self.fields.items():
            field.widget.attrs.update(editor_attrs(name))

    def clean(self):
        cleaned = super().clean()
        texts = {name: cleaned.get(name) for name in self.fields if name in cleaned}
        for name, problem in workflow.content_problems(texts).items():
            self.add_error(name, problem)
        for name, value in list(cleaned.items()):
            # body, body_fr, body_en…: each language's text cites real sources.
            if name == "body" or name.startswith("body_"):
                unknown = unknown_citation_keys(value or "")
                if unknown:
                    self.add_error(name, unknown_keys_message(unknown))
        user = getattr(self, "user", None)
        if self.instance.pk and (self.has_changed() or self.check_unchanged):
            try:
                workflow.check_can_edit(
                    variant=Variant.objects.select_related("last_edited_by").get(
                        pk=self.instance.pk
                    ),
                    user=user,
                    expected_edit_count=cleaned.get("loaded_edit_count"),
                )
            except workflow.WorkflowError as exc:
                raise forms.ValidationError(exc.message, code="edit_refused") from exc
        return cleaned


class VariantChangeForm(VariantForm):
    """The variant page's form: any save of it goes through the checks."""

    check_unchanged = True


class TextListField(forms.Field):
    """Several short values of one name (the figure differences acknowledged)."""

    widget = forms.MultipleHiddenInput
    max_items = 500
    max_length = 64

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        items = [str(item) for item in value]
        if len(items) > self.max_items or any(
            len(item) > self.max_length or "\x00" in item for item in items
        ):
            raise forms.ValidationError(_("Valeurs invalides."), code="invalid")
        return items


class PersonChoiceField(forms.ModelChoiceField):
    """People by their names, as colleagues know them."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class ActionForm(forms.Form):
    """A workflow action asked from the variant page.

    On the page it is part of the variant's own form (prefix ``workflow``),
    so that the buttons carry what the editor typed; ``revision`` is the
    revision the person saw, ``confirm`` their confirmation of consequences.
    """

    action = forms.ChoiceField(choices=[(name, name) for name in workflow.ACTIONS])
    comment = forms.CharField(
        label=_("Commentaire (obligatoire pour demander des modifications)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    publish_at = NewsroomDateTimeField(required=False)
    change_kind = forms.ChoiceField(
        label=_("Ce texte a déjà été publié : cette modification est"),
        required=False,
        choices=[
            (ChangeKind.SUBSTANCE, _("une correction de fond (affichée aux lecteurs)")),
            (ChangeKind.MINOR, _("une correction mineure (coquille, mise en forme)")),
        ],
        widget=forms.RadioSelect,
    )
    change_note = forms.CharField(
        label=_("Ce qui a changé, pour les lecteurs (correction de fond)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
    )
    reviewer = PersonChoiceField(
        label=_("Relecteur"),
        required=False,
        queryset=assignment.reviewers_to_name(),
        empty_label=_("tout relecteur"),
        help_text=_("La personne prévenue, seule à décider ; vide : tout relecteur."),
    )
    due = forms.DateField(
        label=_("Relecture attendue pour le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    acknowledged = TextListField(required=False)
    translation = forms.ChoiceField(
        label=_("Et la traduction anglaise ?"),
        required=False,
        choices=TranslationStatement.choices,
        widget=forms.RadioSelect,
    )
    revision = CountField(
        required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # A comment on a paragraph, or on a comment (an answer, a resolution).
    part = forms.ChoiceField(
        required=False, choices=TextPart.choices, widget=forms.HiddenInput
    )
    language = forms.ChoiceField(
        required=False,
        choices=[(code, code) for code in LANGUAGE_CODES],
        widget=forms.HiddenInput,
    )
    paragraph = CountField(
        required=False, min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput
    )
    comment_id = CountField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def options(self) -> dict:
        """What the action is given besides its name, comment and revision."""
        data = self.cleaned_data
        return {
            "at": data["publish_at"],
            "confirm": data["confirm"],
            "change_kind": data["change_kind"],
            "change_note": data["change_note"],
            "reviewer": data["reviewer"],
            "due": data["due"],
            "translation": data["translation"],
            "acknowledged": data["acknowledged"],
            "part": data["part"],
            "language": data["language"],
            "paragraph": data["paragraph"],
            "comment_id": data["comment_id"],
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].label = _(
            "Programmer la publication le (%(zone)s ; vide : maintenant)"
        ) % {"zone": zone_label()}

    def clean_publish_at(self):
        at = self.cleaned_data["publish_at"]
        if at is not None and at < timezone.now() - dt.timedelta(minutes=1):
            raise forms.ValidationError(
                _(
                    "Cette date est passée : laissez le champ vide pour publier "
                    "maintenant, ou choisissez une date à venir (%(zone)s)."
                ),
                code="past",
                params={"zone": zone_label()},
            )
        return at

    def error_messages_for_people(self) -> list[str]:
        """Each problem of the form, named by its field, for a message."""
        problems = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            for error in errors:
                if name == "action":
                    problems.append(str(_("Action inconnue.")))
                elif field is not None and field.label:
                    problems.append(f"{field.label} : {error}")
                else:
                    problems.append(str(error))
        return problems
