"""Public URLs of the briefs, under /<lang>/.

Fixed words (search, preview) come before the ``<audience>`` patterns, and
an audience's fixed words (feed, atom, topic) before its ``<slug>`` pattern.
"""

from django.urls import path

from . import feedback, feeds, pdf, views

app_name = "briefs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("feedback/", feedback.feedback, name="feedback"),
    path("<slug:audience>/", views.AudienceListView.as_view(), name="audience"),
    path("<slug:audience>/feed/", feeds.AudienceFeed(), name="feed"),
    path("<slug:audience>/atom/", feeds.AudienceAtomFeed(), name="atom"),
    path(
        "<slug:audience>/topic/<slug:topic>/",
        views.AudienceListView.as_view(),
        name="topic",
    ),
    path(
        "<slug:audience>/<slug:slug>/", views.VariantDetailView.as_view(), name="detail"
    ),
    path("<slug:audience>/<slug:slug>/pdf/", pdf.variant_pdf, name="pdf"),
]
