from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("<int:year>/ciclo/", views.cycle_page, name="cycle"),
    path("<int:year>/ciclo/passaggio/", views.cycle_transition, name="transition"),
    path("<int:year>/ciclo/validazione/", views.cycle_validate, name="validate"),
    path("<int:year>/ciclo/apri-anno-successivo/", views.cycle_open_next, name="open_next"),
    path("<int:year>/ciclo/conferma-risultati-attesi/", views.targets_confirm, name="confirm"),
    path("<int:year>/oiv/", views.workspace, name="workspace"),
    path("<int:year>/oiv/lista-di-verifica/", views.checklist, name="checklist"),
    path("<int:year>/oiv/osservazioni/nuova/", views.remark_new, name="remark_new"),
    path("<int:year>/oiv/osservazioni/<int:pk>/", views.remark_detail, name="remark"),
    path("<int:year>/oiv/osservazioni/<int:pk>/chiudi/", views.remark_close, name="remark_close"),
    path("<int:year>/indicatori/<int:pk>/rimodulazioni/", views.revisions, name="revisions"),
    path("<int:year>/da-completare/", views.todo, name="todo"),
]
