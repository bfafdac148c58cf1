"""Root URLs: public pages under a language prefix, the admin, health."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from briefs import views
from briefs.admin_views import markdownify_view, upload_view

urlpatterns = [
    path("", RedirectView.as_view(url="/fr/", permanent=False)),
    path("healthz", views.healthz, name="healthz"),
    path(
        "admin/markdownx/markdownify/", markdownify_view, name="markdownx_markdownify"
    ),
    path("admin/markdownx/upload/", upload_view, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("briefs.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    # In production uploads are served by object storage (see README).
    from django.urls import re_path

    from briefs.security import serve_media

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_media)
    ]
