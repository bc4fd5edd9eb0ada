from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "consistency"

urlpatterns = [
    path("<ente:ente>/<year:year>/coerenza/", views.findings, name="findings"),
]
