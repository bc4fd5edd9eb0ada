from django.urls import path

from . import views

app_name = "objectives"

urlpatterns = [
    path("<int:year>/", views.strategic_map, name="map"),
]
