"""Public URLs of the briefs, under /<lang>/."""

from django.urls import path

from . import views

app_name = "briefs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("<slug:audience>/", views.AudienceListView.as_view(), name="audience"),
    path(
        "<slug:audience>/<slug:slug>/", views.VariantDetailView.as_view(), name="detail"
    ),
]
