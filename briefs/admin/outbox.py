"""The outbox in the back office: read-only, to see what was sent or failed."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import MailStatus, OutboxMail


class MailStatusFilter(admin.SimpleListFilter):
    """Pending, sent or failed mail."""

    title = _("état")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return MailStatus.choices

    def queryset(self, request, queryset):
        by_status = {
            MailStatus.PENDING: queryset.pending,
            MailStatus.SENT: queryset.sent,
            MailStatus.FAILED: queryset.failed,
        }
        chosen = by_status.get(self.value())
        return chosen() if chosen else queryset


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "subject",
        "kind",
        "status_label",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = [MailStatusFilter, "kind"]
    search_fields = ["recipient", "subject"]
    show_full_result_count = False
    fields = [
        "recipient",
        "subject",
        "body",
        "kind",
        "event",
        "created_at",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "failed_at",
        "last_error",
    ]

    @admin.display(description=_("état"))
    def status_label(self, obj: OutboxMail) -> str:
        return MailStatus(obj.status).label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
