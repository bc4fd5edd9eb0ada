from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("ping/", views.ping, name="ping"),
    path("<int:year>/", views.year_home, name="year"),
    path("<int:year>/mappa-strategica/", views.strategic_map, name="map"),
    path("<int:year>/obiettivi/<str:code>/", views.objective_detail, name="objective"),
    path("<int:year>/cruscotti/", views.scorecard_index, name="scorecards"),
    path("<int:year>/cruscotti/<slug:slug>/", views.scorecard_detail, name="scorecard"),
    path("<int:year>/indicatori/<int:pk>/", views.indicator_detail, name="indicator"),
    path("<int:year>/obiettivi-comuni/", views.common_objectives, name="common"),
    path("<int:year>/nota-metodologica/", views.methodology, name="methodology"),
    path("<int:year>/risorse-economiche/", views.budget, name="budget"),
    path("<int:year>/personale/", views.people, name="people"),
    path("<int:year>/dati-aperti/<slug:dataset>/", views.dataset_dictionary, name="dataset"),
    path("<int:year>/validazione-oiv/", views.validation_page, name="validation"),
    path("<int:year>/validazione-oiv.txt", views.validation_text, name="validation_text"),
    path("<int:year>/relazione-performance.pdf", views.report_pdf, name="pdf"),
    path("<int:year>/<slug:dataset>.<slug:fmt>", views.dataset_download, name="download"),
]
