"""URLs of the second-factor pages, under the admin's prefix."""

from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("", views.manage_view, name="manage"),
    path("verify/", views.verify_view, name="verify"),
    path("setup/", views.setup_view, name="setup"),
    path("recovery-codes/", views.renew_codes_view, name="recovery_codes"),
]
