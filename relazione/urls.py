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
    path("reports/", include("reports.urls")),
    path("", include("workflow.urls")),
    path("", include("consistency.urls")),
    path("", include("finance.urls")),
    path("", include("staff.urls")),
    path("", include("objectives.urls")),
]
