"""Root URLs: public pages under a language prefix, the admin, health."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from briefs.admin.endpoints import (
    figure_checks_view,
    markdownify_view,
    quality_report_view,
    upload_view,
)
from briefs.public import sitemaps, views
from briefs.public.sitemaps import SITEMAPS

urlpatterns = [
    path(
        "",
        RedirectView.as_view(
            url="/fr/", permanent=False, http_method_names=["get", "head", "options"]
        ),
    ),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        require_safe(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path(
        "admin/markdownx/markdownify/", markdownify_view, name="markdownx_markdownify"
    ),
    path("admin/markdownx/upload/", upload_view, name="markdownx_upload"),
    path("admin/quality-report/", quality_report_view, name="admin_quality_report"),
    path("admin/figure-checks/", figure_checks_view, name="admin_figure_checks"),
    path("admin/two-factor/", include("briefs.two_factor.urls")),
    path("admin/", admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("briefs.public.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    # In production uploads are served by object storage (see README).
    from django.urls import re_path

    from briefs.ops.security import serve_media

    urlpatterns += [
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", serve_media)
    ]
