from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "indicators"

urlpatterns = [
    path("<ente:ente>/gestione/piano/modello.xlsx", views.plan_template, name="plan_template"),
    path("<ente:ente>/gestione/piano/importa/", views.plan_import, name="plan_import"),
    path("<ente:ente>/gestione/<year:year>/", views.index, name="index"),
    path(
        "<ente:ente>/gestione/<year:year>/cruscotti/<slug:slug>/",
        views.scorecard_entry,
        name="scorecard",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/cruscotti/<slug:slug>/excel/",
        views.workbook_download,
        name="workbook",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/cruscotti/<slug:slug>/importa/",
        views.workbook_upload,
        name="upload",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/importazioni/<str:token>/conferma/",
        views.workbook_confirm,
        name="confirm",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/indicatori/nuovo/",
        views.indicator_form,
        name="indicator_create",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/indicatori/<id:pk>/modifica/",
        views.indicator_form,
        name="indicator_edit",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/indicatori/<id:pk>/valore/",
        views.actual_edit,
        name="actual",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/obiettivi-operativi/nuovo/",
        views.operational_form,
        name="operational_create",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/obiettivi-operativi/<id:pk>/modifica/",
        views.operational_form,
        name="operational_edit",
    ),
]
