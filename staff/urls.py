from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [path("<int:year>/personale/", views.people, name="people")]
