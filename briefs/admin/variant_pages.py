"""The variant page's own pages: workflow actions, diff, preview, sharing.

The workflow buttons belong to the variant's form (prefix ``workflow``): a
person who may edit the text saves it first, in the same request and
transaction, then the action runs; a person who may not edit it (a
reviewer) only acts. Every rule is checked by briefs.editorial.workflow.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..editorial import (
    assignment,
    figure_checks,
    preview_links,
    translation_files,
    translations,
    workflow,
)
from ..editorial.revisions import baseline
from ..http import parse_int
from ..models import EventAction, State, Variant
from ..models.content import LANGUAGE_CODES
from ..public.revision_page import render_revision
from ..text import diff, figures
from . import comments
from .forms import ActionForm, zone_label
from .translation_files import TranslationFilesMixin

ACTION_PREFIX = "workflow"
ACTION_FIELD = f"{ACTION_PREFIX}-action"
# What each action's button needs beside it, for the page to show only that
# (the workflow checks the same on the server). An action not named here,
# added later, takes an optional comment.
NO_COMMENT = frozenset({"publish"})
SCHEDULED = frozenset({"publish"})


def action_controls(actions, *, variant: Variant) -> list[dict]:
    """The page's buttons, each with the controls its action needs."""
    controls = []
    for action in actions:
        if action.comment_needed(variant=variant):
            comment = "required"
        elif action.name in NO_COMMENT:
            comment = "none"
        else:
            comment = "optional"
        controls.append(
            {
                "action": action,
                "name": action.name,
                "label": action.label,
                "comment": comment,
                # A text readers have seen says what kind of change it is.
                "change_kind": action.name == "submit"
                and variant.first_published_at is not None,
                "schedule": action.name in SCHEDULED,
            }
        )
    return controls


def done_message(name: str, event) -> str:
    """What a person is told once an action is done."""
    label = workflow.ACTIONS[name].label
    if event.action == EventAction.SCHEDULE and event.variant.scheduled_at:
        # "Publier : fait." would read as online now.
        return _(
            "%(action)s : publication programmée le %(date)s (%(zone)s) ; "
            "le texte n'est pas encore en ligne."
        ) % {
            "action": label,
            "date": date_format(
                timezone.localtime(
                    event.variant.scheduled_at, timezone.get_default_timezone()
                ),
                "DATETIME_FORMAT",
            ),
            "zone": zone_label(),
        }
    if event.from_state == event.to_state:
        return _("%(action)s : fait.") % {"action": label}
    return _("%(action)s : fait (%(from)s → %(to)s).") % {
        "action": label,
        "from": event.get_from_state_display(),
        "to": event.get_to_state_display(),
    }


# The actions the review page posts: a comment and what is done with one.
COMMENTING = ("comment", "reply_comment", "resolve_comment")


def _typed_key(data) -> str:
    """Which form of the review page a posted comment came from."""
    if data.get("comment_id"):
        return f"c{data.get('comment_id')}"
    return f"{data.get('part')}-{data.get('language')}-{data.get('paragraph')}"


def _comment_return(request, variant: Variant, number: int) -> str:
    """Back to the page the comment was written on, at its paragraph."""
    if request.POST.get("back") == "change":
        return reverse("admin:briefs_variant_change", args=[variant.pk]) + "#comments"
    url = reverse("admin:briefs_variant_review", args=[variant.pk, number])
    key = _typed_key(request.POST)
    return f"{url}#p-{key}" if not key.startswith("c") else f"{url}#{key}"


def _figures_context(variant: Variant, waiting, *, editable: bool) -> dict:
    """The figure checks: of the revision waiting for a decision, else of the
    text being written (again as it is typed, when it can be); and the
    differences to acknowledge before approving."""
    if waiting is not None:
        report = figure_checks.of_revision(waiting)
        to_acknowledge = (
            figure_checks.differences(waiting)
            if variant.state == State.IN_REVIEW
            else []
        )
    else:
        report, to_acknowledge = figure_checks.check(variant), []
    for difference in to_acknowledge:
        difference["label"] = figure_checks.describe(difference)
    return {
        "figure_sections": figure_checks.sections(report),
        "figure_problems": figures.report_problems(report),
        "figures_to_acknowledge": to_acknowledge,
        "figures_live_url": reverse("admin_figure_checks")
        if waiting is None and editable
        else "",
    }


def _comments_context(variant: Variant) -> dict:
    """The open comments, and where each sits in the preview of the text."""
    threads = comments.open_threads_while_editing(variant)
    return {
        "review_threads": threads,
        # Read by comment_markers.js: a mark beside each commented paragraph.
        "comment_markers": [
            {
                "id": f"c{thread.pk}",
                "field": f"id_body_{thread.language}",
                "index": thread.now - 1,
                "label": _("Commentaire de relecture sur ce paragraphe : %(body)s")
                % {"body": Truncator(thread.body).chars(120)},
            }
            for thread in threads
            if thread.part == "body" and thread.now is not None
        ],
    }


def _translation_context(variant: Variant) -> dict:
    """Whether the English lags the French, and which French paragraphs moved."""
    latest = variant.latest_revision
    context = {
        # Asked on submitting once a revision with English exists.
        "asks_translation": latest is not None and translations.has_english(latest),
    }
    basis = latest.translated_from if latest is not None else None
    if basis is not None:
        context["english_basis"] = basis
        context["french_changes"] = translations.changed_paragraphs(
            since=basis, now=variant
        )
    return context


class VariantPagesMixin(TranslationFilesMixin):
    """The variant admin's extra URLs and its workflow-aware change page."""

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
            ("revisions/<dbint:number>/review/", self.review_view, "review"),
            ("translation/export/", self.translation_export_view, "translation_export"),
            ("translation/import/", self.translation_import_view, "translation_import"),
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
        due = variant.assignment_due
        actions = workflow.allowed_actions(variant=variant, user=request.user)
        controls = action_controls(actions, variant=variant)
        return {
            "workflow_actions": actions,
            "workflow_controls": controls,
            "offers_comment": any(c["comment"] != "none" for c in controls),
            "offers_change_kind": any(c["change_kind"] for c in controls),
            "offers_schedule": any(c["schedule"] for c in controls),
            "action_form": ActionForm(
                prefix=ACTION_PREFIX,
                initial={
                    "revision": waiting.number if waiting else None,
                    # A text sent back goes back to its reviewer unless said otherwise.
                    "reviewer": variant.assigned_to_id,
                    "due": due if due and not assignment.is_overdue(variant) else None,
                },
            ),
            "waiting_revision": waiting,
            "assignment_overdue": assignment.is_overdue(variant),
            **_comments_context(variant),
            **_translation_context(variant),
            **_figures_context(
                variant,
                waiting,
                editable=workflow.can_edit(variant=variant, user=request.user),
            ),
            "translation_files": translation_files.may_export(user=request.user),
            "zone_label": zone_label(),
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
            for problem in form.error_messages_for_people():
                messages.error(request, problem)
            return HttpResponseRedirect(change_url)
        data = form.cleaned_data
        try:
            outcome = workflow.perform(
                data["action"],
                variant=Variant.objects.get(pk=variant.pk),
                user=request.user,
                comment=data["comment"],
                revision=data["revision"],
                **form.options(),
            )
        except workflow.ConfirmationNeeded as exc:
            return self._confirm_action(request, variant, form, exc.message)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(change_url)
        for warning in outcome.warnings:
            messages.warning(request, warning)
        messages.success(request, done_message(data["action"], outcome.event))
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

    def review_view(self, request, object_id, number):
        """One revision paragraph by paragraph, with the reviewers' comments:
        a reviewer comments on a paragraph; anyone on the text answers or
        resolves. A refused comment is shown again with what was typed."""
        variant = self._variant_or_404(request, object_id)
        revision = self._revision_or_404(variant, number)
        typed: dict[str, str] = {}
        if request.method == "POST":
            form = ActionForm(request.POST)
            problem = None
            if not form.is_valid() or form.cleaned_data["action"] not in COMMENTING:
                problem = (
                    " ".join(form.error_messages_for_people())
                    if form.errors
                    else _("Action inconnue.")
                )
            else:
                data = form.cleaned_data
                try:
                    outcome = workflow.perform(
                        data["action"],
                        variant=Variant.objects.get(pk=variant.pk),
                        user=request.user,
                        comment=data["comment"],
                        revision=number if data["action"] == "comment" else None,
                        **form.options(),
                    )
                except workflow.WorkflowError as exc:
                    problem = exc.message
            if problem is None:
                messages.success(request, done_message(data["action"], outcome.event))
                return HttpResponseRedirect(_comment_return(request, variant, number))
            messages.error(request, problem)
            typed[_typed_key(request.POST)] = request.POST.get("comment", "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": variant,
            "revision": revision,
            "title": _("Relecture de la révision %(n)s : %(variant)s")
            % {"n": revision.number, "variant": variant},
            "sections": comments.review_sections(
                variant=variant, revision=revision, typed=typed
            ),
            # Shown even where its form is no longer offered: never lost.
            "unsaved": next(iter(typed.values()), ""),
            "may_comment": revision.pk == variant.latest_revision_id
            and workflow.ACTIONS["comment"].may_comment(
                variant=variant, user=request.user
            ),
        }
        return TemplateResponse(request, "admin/briefs/variant/review.html", context)

    def share_view(self, request, object_id, number):
        """Make a signed link to one revision for an outside expert."""
        variant = self._variant_or_404(request, object_id)
        revision = self._revision_or_404(variant, number)
        change_url = reverse("admin:briefs_variant_change", args=[variant.pk])
        if request.method != "POST":
            # A page of its own: the button that makes the link posts from it.
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": variant,
                "revision": revision,
                "days": settings.NEWSROOM_PREVIEW_MAX_AGE // 86400,
                "title": _("Lien pour un expert : révision %(n)s")
                % {"n": revision.number},
            }
            return TemplateResponse(request, "admin/briefs/variant/share.html", context)
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
