from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "reports"

urlpatterns = [
    path("<year:year>/", views.report, name="report"),
    path("<year:year>/genera/", views.generate, name="generate"),
    path("<year:year>/generazioni/<id:pk>/", views.job_status, name="job"),
    path("<year:year>/generazioni/<id:pk>/riprova/", views.retry, name="retry"),
    path("<year:year>/pdf/", views.download, name="download"),
    path("<year:year>/testi/<slug:key>/", views.narrative_edit, name="narrative"),
    path(
        "<year:year>/testi/<slug:key>/storico/",
        views.narrative_history,
        name="narrative_history",
    ),
]
