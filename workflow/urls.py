from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import onboarding_views, rules_views, views

app_name = "workflow"

urlpatterns = [
    path("gestione/", views.home, name="home"),
    path("gestione/ente/nuovo/", onboarding_views.body_setup_page, name="body_setup"),
    path("<ente:ente>/gestione/regole/", rules_views.body_rules, name="rules"),
    path("<ente:ente>/<year:year>/ciclo/", views.cycle_page, name="cycle"),
    path("<ente:ente>/<year:year>/ciclo/passaggio/", views.cycle_transition, name="transition"),
    path("<ente:ente>/<year:year>/ciclo/validazione/", views.cycle_validate, name="validate"),
    path(
        "<ente:ente>/<year:year>/ciclo/giustifica-mancanza/", views.gap_justify, name="gap_justify"
    ),
    path(
        "<ente:ente>/<year:year>/ciclo/apri-anno-successivo/",
        views.cycle_open_next,
        name="open_next",
    ),
    path(
        "<ente:ente>/<year:year>/ciclo/conferma-risultati-attesi/",
        views.targets_confirm,
        name="confirm",
    ),
    path("<ente:ente>/<year:year>/oiv/", views.workspace, name="workspace"),
    path("<ente:ente>/<year:year>/oiv/lista-di-verifica/", views.checklist, name="checklist"),
    path("<ente:ente>/<year:year>/oiv/osservazioni/nuova/", views.remark_new, name="remark_new"),
    path("<ente:ente>/<year:year>/oiv/osservazioni/<id:pk>/", views.remark_detail, name="remark"),
    path(
        "<ente:ente>/<year:year>/oiv/osservazioni/<id:pk>/chiudi/",
        views.remark_close,
        name="remark_close",
    ),
    path(
        "<ente:ente>/<year:year>/indicatori/<id:pk>/rimodulazioni/",
        views.revisions,
        name="revisions",
    ),
    path("<ente:ente>/<year:year>/da-fare/", views.todo, name="todo"),
]
