from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "finance"

urlpatterns = [path("<year:year>/risorse-economiche/", views.budget, name="budget")]
