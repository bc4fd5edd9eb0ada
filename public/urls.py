from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("ping/", views.ping, name="ping"),
    path("<year:year>/", views.year_home, name="year"),
    path("<year:year>/mappa-strategica/", views.strategic_map, name="map"),
    path("<year:year>/obiettivi/<str:code>/", views.objective_detail, name="objective"),
    path("<year:year>/cruscotti/", views.scorecard_index, name="scorecards"),
    path("<year:year>/cruscotti/<slug:slug>/", views.scorecard_detail, name="scorecard"),
    path("<year:year>/indicatori/<id:pk>/", views.indicator_detail, name="indicator"),
    path("<year:year>/obiettivi-comuni/", views.common_objectives, name="common"),
    path("<year:year>/nota-metodologica/", views.methodology, name="methodology"),
    path("<year:year>/risorse-economiche/", views.budget, name="budget"),
    path("<year:year>/personale/", views.people, name="people"),
    path("<year:year>/dati-aperti/<slug:dataset>/", views.dataset_dictionary, name="dataset"),
    path("<year:year>/validazione-oiv/", views.validation_page, name="validation"),
    path("<year:year>/validazione-oiv.txt", views.validation_text, name="validation_text"),
    path("<year:year>/relazione-performance.pdf", views.report_pdf, name="pdf"),
    path("<year:year>/<slug:dataset>.<slug:fmt>", views.dataset_download, name="download"),
]
