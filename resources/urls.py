from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import context_views, views

app_name = "resources"

urlpatterns = [
    path("<ente:ente>/gestione/<year:year>/risorse/", views.index, name="index"),
    path(
        "<ente:ente>/gestione/<year:year>/risorse/modello.xlsx",
        views.workbook_download,
        name="workbook",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/risorse/conferma/<str:token>/",
        views.confirm,
        name="confirm",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/risorse/contesto/",
        context_views.context_list,
        name="context_list",
    ),
    # Actions live one level deeper than the tables, so no table key can shadow them.
    path(
        "<ente:ente>/gestione/<year:year>/risorse/contesto/azioni/copia-struttura/",
        context_views.context_copy,
        name="context_copy",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/risorse/contesto/<slug:key>/",
        context_views.context_edit,
        name="context_edit",
    ),
    path(
        "<ente:ente>/gestione/<year:year>/risorse/contesto/<slug:key>/elimina/",
        context_views.context_delete,
        name="context_delete",
    ),
]
