from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    path("account/", include("django.contrib.auth.urls")),
    path("trasparenza/", include("public.urls")),
    path("gestione/", include("resources.urls")),
    path("gestione/", include("indicators.urls")),
    path("", include("reports.urls")),  # /reports/<year>/... and the note
    path("", include("workflow.urls")),
    path("", include("consistency.urls")),
    path("", include("dashboards.urls")),
]
