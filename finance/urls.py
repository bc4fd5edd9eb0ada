from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [path("<int:year>/risorse-economiche/", views.budget, name="budget")]
