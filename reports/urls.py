from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "reports"

urlpatterns = [
    path("<ente:ente>/<year:year>/risorse-economiche/", views.budget, name="budget"),
    path("<ente:ente>/<year:year>/personale/", views.people, name="people"),
    path("<ente:ente>/<year:year>/nota-metodologica/", views.methodology, name="methodology"),
    path("<ente:ente>/reports/<year:year>/", views.report, name="report"),
    path("<ente:ente>/reports/<year:year>/genera/", views.generate, name="generate"),
    path("<ente:ente>/reports/<year:year>/generazioni/<id:pk>/", views.job_status, name="job"),
    path("<ente:ente>/reports/<year:year>/generazioni/<id:pk>/riprova/", views.retry, name="retry"),
    path("<ente:ente>/reports/<year:year>/pdf/", views.download, name="download"),
    path(
        "<ente:ente>/reports/<year:year>/testi/<slug:key>/", views.narrative_edit, name="narrative"
    ),
    path(
        "<ente:ente>/reports/<year:year>/testi/<slug:key>/storico/",
        views.narrative_history,
        name="narrative_history",
    ),
]
