from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
    path("piano/modello.xlsx", views.plan_template, name="plan_template"),
    path("piano/importa/", views.plan_import, name="plan_import"),
    path("<int:year>/", views.index, name="index"),
    path("<int:year>/cruscotti/<slug:slug>/", views.scorecard_entry, name="scorecard"),
    path("<int:year>/cruscotti/<slug:slug>/excel/", views.workbook_download, name="workbook"),
    path("<int:year>/cruscotti/<slug:slug>/importa/", views.workbook_upload, name="upload"),
    path("<int:year>/importazioni/<str:token>/conferma/", views.workbook_confirm, name="confirm"),
    path("<int:year>/indicatori/nuovo/", views.indicator_form, name="indicator_create"),
    path("<int:year>/indicatori/<int:pk>/modifica/", views.indicator_form, name="indicator_edit"),
    path("<int:year>/indicatori/<int:pk>/valore/", views.actual_edit, name="actual"),
    path(
        "<int:year>/obiettivi-operativi/nuovo/",
        views.operational_form,
        name="operational_create",
    ),
    path(
        "<int:year>/obiettivi-operativi/<int:pk>/modifica/",
        views.operational_form,
        name="operational_edit",
    ),
]
