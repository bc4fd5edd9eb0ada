from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import onboarding_views, views

app_name = "workflow"

urlpatterns = [
    path("gestione/", views.home, name="home"),
    path("gestione/ente/nuovo/", onboarding_views.body_setup_page, name="body_setup"),
    path("<year:year>/ciclo/", views.cycle_page, name="cycle"),
    path("<year:year>/ciclo/passaggio/", views.cycle_transition, name="transition"),
    path("<year:year>/ciclo/validazione/", views.cycle_validate, name="validate"),
    path("<year:year>/ciclo/giustifica-mancanza/", views.gap_justify, name="gap_justify"),
    path("<year:year>/ciclo/apri-anno-successivo/", views.cycle_open_next, name="open_next"),
    path("<year:year>/ciclo/conferma-risultati-attesi/", views.targets_confirm, name="confirm"),
    path("<year:year>/oiv/", views.workspace, name="workspace"),
    path("<year:year>/oiv/lista-di-verifica/", views.checklist, name="checklist"),
    path("<year:year>/oiv/osservazioni/nuova/", views.remark_new, name="remark_new"),
    path("<year:year>/oiv/osservazioni/<id:pk>/", views.remark_detail, name="remark"),
    path("<year:year>/oiv/osservazioni/<id:pk>/chiudi/", views.remark_close, name="remark_close"),
    path("<year:year>/indicatori/<id:pk>/rimodulazioni/", views.revisions, name="revisions"),
    path("<year:year>/da-fare/", views.todo, name="todo"),
]
