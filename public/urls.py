from django.urls import path

import lib.converters  # noqa: F401 - registers <year:>, <id:>, <objcode:>

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("ping/", views.ping, name="ping"),
    path("confronti/", views.benchmark, name="benchmark"),
    path("confronti/confronti.<slug:fmt>", views.benchmark_download, name="benchmark_download"),
    path("<ente:ente>/", views.body_home, name="body"),
    path("<ente:ente>/confronti/", views.body_benchmark, name="body_benchmark"),
    path("<ente:ente>/<year:year>/", views.year_home, name="year"),
    path("<ente:ente>/<year:year>/mappa-strategica/", views.strategic_map, name="map"),
    path(
        "<ente:ente>/<year:year>/obiettivi/<objcode:code>/",
        views.objective_detail,
        name="objective",
    ),
    path(
        "<ente:ente>/<year:year>/obiettivi-operativi/<id:pk>/",
        views.operational_detail,
        name="operational",
    ),
    path("<ente:ente>/<year:year>/cruscotti/", views.scorecard_index, name="scorecards"),
    path(
        "<ente:ente>/<year:year>/cruscotti/<slug:slug>/", views.scorecard_detail, name="scorecard"
    ),
    path("<ente:ente>/<year:year>/indicatori/<id:pk>/", views.indicator_detail, name="indicator"),
    path("<ente:ente>/<year:year>/obiettivi-comuni/", views.common_objectives, name="common"),
    path("<ente:ente>/<year:year>/nota-metodologica/", views.methodology, name="methodology"),
    path("<ente:ente>/<year:year>/risorse-economiche/", views.budget, name="budget"),
    path("<ente:ente>/<year:year>/personale/", views.people, name="people"),
    path(
        "<ente:ente>/<year:year>/dati-aperti/<slug:dataset>/",
        views.dataset_dictionary,
        name="dataset",
    ),
    path("<ente:ente>/<year:year>/validazione-oiv/", views.validation_page, name="validation"),
    path(
        "<ente:ente>/<year:year>/validazione-oiv.txt", views.validation_text, name="validation_text"
    ),
    path("<ente:ente>/<year:year>/relazione-performance.pdf", views.report_pdf, name="pdf"),
    path(
        "<ente:ente>/<year:year>/<slug:dataset>.<slug:fmt>", views.dataset_download, name="download"
    ),
]
