from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "staff"

urlpatterns = [path("<year:year>/personale/", views.people, name="people")]
