from django.urls import path

from . import views

app_name = "objectives"

urlpatterns = [
    path("<int:year>/", views.strategic_map, name="map"),
    path("<int:year>/obiettivi/<str:code>/", views.objective_detail, name="objective"),
    path("<int:year>/cruscotti/", views.scorecard_index, name="scorecards"),
    path("<int:year>/cruscotti/<slug:slug>/", views.scorecard_detail, name="scorecard"),
    path("<int:year>/indicatori/<int:pk>/", views.indicator_detail, name="indicator"),
    path("<int:year>/obiettivi-comuni/", views.common_objectives, name="common"),
    path("<int:year>/nota-metodologica/", views.methodology, name="methodology"),
]
