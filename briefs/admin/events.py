"""The audit trail in the back office: read, never written."""

from __future__ import annotations

from django.contrib import admin

from ..models import ReviewEvent


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
