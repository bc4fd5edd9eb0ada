from django.contrib import admin
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
    path("account/", include("django.contrib.auth.urls")),
    path("trasparenza/", include("public.urls")),
    path("", include("resources.urls")),
    path("", include("indicators.urls")),
    path("", include("reports.urls")),  # /reports/<year>/... and the note
    path("", include("workflow.urls")),
    path("", include("consistency.urls")),
    path("", include("dashboards.urls")),
    # After every fixed address: a body's code never shadows one (lib.converters.BodySlug).
    path("<ente:ente>/", views.body_home, name="body_home"),
    path("<ente:ente>/logo/", views.body_logo, name="body_logo"),
    # The addresses of the releases before bodies had their own (bookmarks, published links).
    re_path(r"^(?P<rest>(?:gestione/|reports/)?[0-9]{4}/.*|gestione/piano/.*)$", views.short_url),
    re_path(r"^trasparenza/(?P<rest>[0-9]{4}/.*)$", views.short_public_url),
]
