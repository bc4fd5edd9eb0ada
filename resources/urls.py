from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("<int:year>/risorse/", views.index, name="index"),
    path("<int:year>/risorse/modello.xlsx", views.workbook_download, name="workbook"),
    path("<int:year>/risorse/conferma/<str:token>/", views.confirm, name="confirm"),
]
