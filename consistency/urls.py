from django.urls import path

from . import views

app_name = "consistency"

urlpatterns = [
    path("<int:year>/coerenza/", views.findings, name="findings"),
]
