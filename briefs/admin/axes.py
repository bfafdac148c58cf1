"""django-axes' login-attempt admin, with its clean-up action made to work."""

from __future__ import annotations

from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import admin


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """Axes' own admin; its action no longer fails outside a login request."""

    @admin.action(
        description=axes_admin.AccessAttemptAdmin.cleanup_expired_attempts.short_description
    )
    def cleanup_expired_attempts(self, request, queryset):
        # The clean-up reads the attempt time axes stamps on login requests
        # only (AttributeError, a 500, from the admin): stamp it as axes does.
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AccessAttemptAdmin)
