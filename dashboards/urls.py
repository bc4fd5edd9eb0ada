from django.urls import path

import lib.converters  # noqa: F401 - registers <year:> and <id:>

from . import views

app_name = "dashboards"

urlpatterns = [
    path("<year:year>/", views.strategic_map, name="map"),
    path("<year:year>/obiettivi/<str:code>/", views.objective_detail, name="objective"),
    path("<year:year>/cruscotti/", views.scorecard_index, name="scorecards"),
    path("<year:year>/cruscotti/<slug:slug>/", views.scorecard_detail, name="scorecard"),
    path("<year:year>/indicatori/<id:pk>/", views.indicator_detail, name="indicator"),
    path("<year:year>/obiettivi-comuni/", views.common_objectives, name="common"),
]
