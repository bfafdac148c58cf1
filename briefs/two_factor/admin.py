"""Second factors in the admin: read by superusers only, reset from the users list."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import devices


class SuperusersReadOnly:
    """Devices are listed to superusers alone, and nobody edits or adds one.

    Adding a device with a chosen secret to someone else's account would
    hand over their second factor; resetting goes through the users list.
    """

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TOTPDeviceReadOnlyAdmin(SuperusersReadOnly, TOTPDeviceAdmin):
    """django-otp's authenticator admin, read-only."""


class StaticDeviceReadOnlyAdmin(SuperusersReadOnly, StaticDeviceAdmin):
    """django-otp's recovery codes admin, read-only and without the codes."""


for model, model_admin in (
    (TOTPDevice, TOTPDeviceReadOnlyAdmin),
    (StaticDevice, StaticDeviceReadOnlyAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


User = get_user_model()


class StaffUserAdmin(UserAdmin):
    """Django's user admin with an action that resets a second factor."""

    actions = ["reset_second_factor"]

    def has_reset_second_factor_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    @admin.action(
        description=_("Réinitialiser la double authentification"),
        permissions=["reset_second_factor"],
    )
    def reset_second_factor(self, request, queryset):
        """Delete the selected users' devices: each sets up a new one at sign-in."""
        for user in queryset:
            devices.reset_second_factor(user=user, by=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Double authentification réinitialisée pour %(count)d compte : "
                "il en configurera une nouvelle à sa prochaine connexion.",
                "Double authentification réinitialisée pour %(count)d comptes : "
                "ils en configureront une nouvelle à leur prochaine connexion.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
