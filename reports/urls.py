from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "reports"

urlpatterns = [
    path("<year:year>/risorse-economiche/", views.budget, name="budget"),
    path("<year:year>/personale/", views.people, name="people"),
    path("<year:year>/nota-metodologica/", views.methodology, name="methodology"),
    path("reports/<year:year>/", views.report, name="report"),
    path("reports/<year:year>/genera/", views.generate, name="generate"),
    path("reports/<year:year>/generazioni/<id:pk>/", views.job_status, name="job"),
    path("reports/<year:year>/generazioni/<id:pk>/riprova/", views.retry, name="retry"),
    path("reports/<year:year>/pdf/", views.download, name="download"),
    path("reports/<year:year>/testi/<slug:key>/", views.narrative_edit, name="narrative"),
    path(
        "reports/<year:year>/testi/<slug:key>/storico/",
        views.narrative_history,
        name="narrative_history",
    ),
]
