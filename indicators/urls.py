from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "indicators"

urlpatterns = [
    path("piano/modello.xlsx", views.plan_template, name="plan_template"),
    path("piano/importa/", views.plan_import, name="plan_import"),
    path("<year:year>/", views.index, name="index"),
    path("<year:year>/cruscotti/<slug:slug>/", views.scorecard_entry, name="scorecard"),
    path("<year:year>/cruscotti/<slug:slug>/excel/", views.workbook_download, name="workbook"),
    path("<year:year>/cruscotti/<slug:slug>/importa/", views.workbook_upload, name="upload"),
    path("<year:year>/importazioni/<str:token>/conferma/", views.workbook_confirm, name="confirm"),
    path("<year:year>/indicatori/nuovo/", views.indicator_form, name="indicator_create"),
    path("<year:year>/indicatori/<id:pk>/modifica/", views.indicator_form, name="indicator_edit"),
    path("<year:year>/indicatori/<id:pk>/valore/", views.actual_edit, name="actual"),
    path(
        "<year:year>/obiettivi-operativi/nuovo/",
        views.operational_form,
        name="operational_create",
    ),
    path(
        "<year:year>/obiettivi-operativi/<id:pk>/modifica/",
        views.operational_form,
        name="operational_edit",
    ),
]
