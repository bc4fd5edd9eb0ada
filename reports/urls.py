from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:year>/", views.report, name="report"),
    path("<int:year>/genera/", views.generate, name="generate"),
    path("<int:year>/generazioni/<int:pk>/", views.job_status, name="job"),
    path("<int:year>/generazioni/<int:pk>/riprova/", views.retry, name="retry"),
    path("<int:year>/pdf/", views.download, name="download"),
    path("<int:year>/testi/<slug:key>/", views.narrative_edit, name="narrative"),
    path(
        "<int:year>/testi/<slug:key>/storico/",
        views.narrative_history,
        name="narrative_history",
    ),
]
