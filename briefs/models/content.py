"""Briefs and their per-audience variants."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from markdownx.models import MarkdownxField

LANGUAGE_CODES = ("fr", "en")


# Words the public URLs use after /<lang>/<audience>/: no brief may take them.
RESERVED_SLUGS = frozenset({"feed", "atom", "topic", "search", "preview"})


def validate_not_reserved(value: str) -> None:
    """Refuse slugs that the public URLs already use."""
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _(
                "« %(slug)s » est réservé par les adresses du site ; choisissez un autre slug."
            ),
            params={"slug": value},
            code="reserved_slug",
        )


class State(models.TextChoices):
    """Editorial states of a variant's working copy."""

    DRAFT = "draft", _("brouillon")
    IN_REVIEW = "in_review", _("en relecture")
    CHANGES_REQUESTED = "changes_requested", _("modifications demandées")
    APPROVED = "approved", _("approuvé")
    PUBLISHED = "published", _("publié")
    UNPUBLISHED = "unpublished", _("dépublié")


class BriefQuerySet(models.QuerySet):
    """Bulk deletion refuses briefs that are online (unpublish them first)."""

    def delete(self):
        live = Variant.objects.published().filter(brief__in=self)
        if live.exists():
            raise ProtectedError(PUBLISHED_DELETE_MESSAGE, set(live))
        return super().delete()


PUBLISHED_DELETE_MESSAGE = _(
    "Une brève publiée ne se supprime pas : dépubliez d'abord ses versions."
)


class Brief(models.Model):
    """One piece of medical news, written once per audience."""

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        validators=[validate_not_reserved],
        help_text=_("Partie de l'adresse publique, commune aux deux versions."),
    )
    topics = models.ManyToManyField(
        "briefs.Topic", related_name="briefs", blank=True, verbose_name=_("thèmes")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_briefs",
        verbose_name=_("responsable"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = BriefQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("brève")
        verbose_name_plural = _("brèves")

    def __str__(self) -> str:
        return self.slug

    def save(self, *args, **kwargs) -> None:
        # Whatever the door (the admin, an import, a shell): a slug that
        # changes leaves a redirect from the old one, in the same transaction.
        from .redirects import SlugRedirect

        with transaction.atomic():
            before = None
            if not self._state.adding and self.pk is not None:
                before = (
                    Brief.objects.filter(pk=self.pk)
                    .values_list("slug", flat=True)
                    .first()
                )
            super().save(*args, **kwargs)
            if before != self.slug:
                SlugRedirect.slug_changed(brief=self, old_slug=before)

    def delete(self, *args, **kwargs):
        live = list(self.variants.published())
        if live:
            raise ProtectedError(PUBLISHED_DELETE_MESSAGE, set(live))
        return super().delete(*args, **kwargs)


class VariantQuerySet(models.QuerySet):
    """Reads of variants; public pages start from :meth:`published`."""

    def published(self) -> "VariantQuerySet":
        """Variants with a live revision, i.e. visible on the public site."""
        return self.filter(live_revision__isnull=False)

    def for_public_list(self) -> "VariantQuerySet":
        """Published variants with what a listing shows, newest first."""
        return (
            self.published()
            .select_related("brief", "audience", "live_revision")
            .order_by("-first_published_at", "-pk")
        )

    def for_public_detail(self) -> "VariantQuerySet":
        """Published variants with what a detail page shows."""
        # Unordered (one variant per audience, the view picks by audience):
        # compiling an ORDER BY against these joins costs more than the query.
        return (
            self.published()
            .select_related(
                "brief",
                "audience",
                "author__profile",
                "live_revision",
                "live_revision__approved_by__profile",
            )
            .order_by()
        )

    def awaiting_review(self) -> "VariantQuerySet":
        """Variants submitted and not yet decided on."""
        return self.filter(state=State.IN_REVIEW)


class Variant(ConcurrentTransitionMixin, models.Model):
    """One brief written for one audience, with its own review workflow."""

    brief = models.ForeignKey(
        Brief,
        on_delete=models.CASCADE,
        related_name="variants",
        verbose_name=_("brève"),
    )
    audience = models.ForeignKey(
        "briefs.Audience",
        on_delete=models.PROTECT,
        related_name="variants",
        verbose_name=_("public"),
    )
    title = models.CharField(_("titre"), max_length=300)
    standfirst = models.TextField(_("chapô"), blank=True)
    body = MarkdownxField(_("texte (Markdown)"), blank=True)
    state = FSMField(
        _("état"),
        default=State.DRAFT,
        choices=State.choices,
        protected=True,
        editable=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authored_variants",
        verbose_name=_("auteur"),
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dernière modification par"),
        editable=False,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_variants",
        verbose_name=_("relecteur"),
        editable=False,
    )
    latest_revision = models.ForeignKey(
        "briefs.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dernière révision soumise"),
        editable=False,
    )
    # Named by the editor on submitting (or by a chief editor since): the
    # reviewer asked to read this text, and by when.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_variants",
        verbose_name=_("relecteur désigné"),
        editable=False,
    )
    assignment_due = models.DateField(
        _("relecture attendue pour le"), null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(
        _("soumise le"), null=True, blank=True, editable=False
    )
    live_revision = models.ForeignKey(
        "briefs.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("révision en ligne"),
        editable=False,
    )
    # The languages the live revision is complete in ("fr en"), written when
    # it goes live: listings and the sitemap read it without the revision.
    live_languages = models.CharField(
        _("langues en ligne"), max_length=20, blank=True, editable=False
    )
    # Written when a revision goes live whose English translates an older
    # French text: the date of that French text. The English page then says
    # so, and is not presented as the French page's equivalent.
    live_translation_dated = models.DateTimeField(
        _("anglais en ligne traduit du français du"),
        null=True,
        blank=True,
        editable=False,
    )
    # The corrections of substance readers were told of, newest first:
    # [{"date": ISO datetime, "note_fr": "…"}], written when such a revision
    # goes live (briefs.editorial.publishing), read by the page as it is.
    corrections = models.JSONField(
        _("corrections publiées"), default=list, blank=True, editable=False
    )
    off_label = models.BooleanField(
        _("mentionne un usage hors AMM"),
        default=False,
        help_text=_("Affiche un avertissement sur la page publique."),
    )
    # How many times the text was saved: each save names the count it loaded,
    # so that two editors never silently overwrite each other.
    edit_count = models.PositiveIntegerField(
        _("nombre d'enregistrements"), default=1, editable=False
    )
    scheduled_at = models.DateTimeField(
        _("publication programmée le"), null=True, blank=True, editable=False
    )
    first_published_at = models.DateTimeField(
        _("publiée le"), null=True, blank=True, editable=False
    )
    last_published_at = models.DateTimeField(
        _("dernière publication le"), null=True, blank=True, editable=False
    )
    last_reviewed_at = models.DateTimeField(
        _("dernière relecture le"), null=True, blank=True, editable=False
    )
    review_due_at = models.DateTimeField(
        _("à relire avant le"), null=True, blank=True, editable=False
    )
    withdrawn_at = models.DateTimeField(
        _("retirée le"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = VariantQuerySet.as_manager()

    class Meta:
        ordering = ["brief", "audience__position"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "audience"], name="variant_one_per_brief_audience"
            ),
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="variant_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(live_revision__isnull=True)
                | Q(first_published_at__isnull=False),
                name="variant_live_has_publication_date",
            ),
        ]
        indexes = [
            # The public listings' order, newest first with the pk as tie-break.
            models.Index(
                fields=["audience", "-first_published_at", "-id"],
                name="variant_public_audience",
                condition=Q(live_revision__isnull=False),
            ),
            models.Index(
                fields=["-first_published_at", "-id"],
                name="variant_public_latest",
                condition=Q(live_revision__isnull=False),
            ),
            # A listing in one language, page 1 or page 1,000 (the page's
            # ids come from the index alone) and its count.
            *(
                models.Index(
                    fields=["audience", "-first_published_at", "-id"],
                    name=f"variant_live_{lang}_audience",
                    condition=Q(
                        live_revision__isnull=False, live_languages__contains=lang
                    ),
                )
                for lang in LANGUAGE_CODES
            ),
            # The sitemap's pages (in pk order) and its modification date.
            models.Index(
                fields=["id"],
                name="variant_published_pk",
                condition=Q(live_revision__isnull=False),
            ),
            models.Index(
                fields=["-last_published_at"],
                name="variant_last_published",
                condition=Q(live_revision__isnull=False),
            ),
            # Published pages due for review, the most overdue first: the
            # desk, the reminders and the admin's filter read them at any size.
            models.Index(
                fields=["review_due_at"],
                name="variant_review_due",
                condition=Q(live_revision__isnull=False),
            ),
            # Live pages whose English lags the French (the desk, review_due).
            models.Index(
                fields=["last_published_at"],
                name="variant_translation_outdated",
                condition=Q(
                    live_revision__isnull=False, live_translation_dated__isnull=False
                ),
            ),
            # The admin's changelist filtered by state, most recent first.
            models.Index(
                fields=["state", "-updated_at", "-id"], name="variant_state_recent"
            ),
            # The desk's lists: texts waiting for a reviewer, oldest first.
            models.Index(
                fields=["state", "submitted_at"], name="variant_state_submitted"
            ),
            # The admin's changelist order (most recently edited first).
            models.Index(
                fields=["-updated_at", "-id"], name="variant_recently_updated"
            ),
            # The editorial calendar's three dates, read a month at a time
            # (briefs.editorial.calendar.entries); the review-due reminders
            # read the second.
            models.Index(
                fields=["scheduled_at"],
                name="variant_calendar_scheduled",
                condition=Q(state=State.APPROVED, scheduled_at__isnull=False),
            ),
            models.Index(
                fields=["review_due_at"],
                name="variant_calendar_review_due",
                condition=Q(live_revision__isnull=False, review_due_at__isnull=False),
            ),
            models.Index(
                fields=["assignment_due"],
                name="variant_calendar_assignment",
                condition=Q(state=State.IN_REVIEW, assignment_due__isnull=False),
            ),
        ]
        permissions = [
            ("submit_variant", _("Peut soumettre une version à relecture")),
            ("review_variant", _("Peut relire et approuver une version")),
            ("publish_variant", _("Peut publier et dépublier une version")),
        ]

    def __str__(self) -> str:
        return f"{self.brief.slug} [{self.audience_id and self.audience.code}]"

    def get_absolute_url(self) -> str:
        return reverse(
            "briefs:detail",
            kwargs={"audience": self.audience.code, "slug": self.brief.slug},
        )

    def refresh_from_db(self, *args, **kwargs) -> None:
        # django-fsm lifts the state field's protection for the whole class
        # while it refreshes, which races between threads of one server;
        # dropping the cached state lets Django set it without that toggle.
        self.__dict__.pop("state", None)
        models.Model.refresh_from_db(self, *args, **kwargs)
        self._update_initial_state()

    @property
    def is_live(self) -> bool:
        """Whether a revision of this variant is online."""
        return self.live_revision_id is not None

    def is_live_in(self, lang: str) -> bool:
        """Whether the live revision can be read in ``lang``."""
        return lang in self.live_languages.split()

    @property
    def has_unpublished_changes(self) -> bool:
        """Whether the working copy differs from what is online."""
        return self.state != State.PUBLISHED and self.is_live

    # Transitions: only briefs.editorial.workflow calls these, after its checks.
    @transition(
        field=state,
        source=[State.DRAFT, State.CHANGES_REQUESTED],
        target=State.IN_REVIEW,
    )
    def submit(self) -> None:
        """Send the working copy to review."""

    @transition(field=state, source=State.IN_REVIEW, target=State.CHANGES_REQUESTED)
    def request_changes(self) -> None:
        """Send the working copy back to its author."""

    @transition(field=state, source=State.IN_REVIEW, target=State.APPROVED)
    def approve(self) -> None:
        """Accept the revision under review."""

    @transition(field=state, source=State.APPROVED, target=State.PUBLISHED)
    def publish(self) -> None:
        """Put the approved revision online."""

    @transition(
        field=state,
        source=[
            State.PUBLISHED,
            State.DRAFT,
            State.CHANGES_REQUESTED,
            State.IN_REVIEW,
            State.APPROVED,
        ],
        target=RETURN_VALUE(*State.values),
        conditions=[lambda variant: variant.is_live],
    )
    def unpublish(self) -> str:
        """Take the live revision offline; pending work keeps its state."""
        return State.UNPUBLISHED if self.state == State.PUBLISHED else self.state

    @transition(
        field=state, source=[State.PUBLISHED, State.UNPUBLISHED], target=State.DRAFT
    )
    def start_new_draft(self) -> None:
        """Edit after publication: the live revision stays online meanwhile."""

    def translated_values(self, field: str) -> dict[str, str]:
        """Return ``{language: value}`` of a translated field."""
        return {
            lang: getattr(self, f"{field}_{lang}", "") or "" for lang in LANGUAGE_CODES
        }
