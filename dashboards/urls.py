from django.urls import path

import lib.converters  # noqa: F401 - registers <year:>, <id:>, <objcode:>

from . import views

app_name = "dashboards"

urlpatterns = [
    path("<ente:ente>/<year:year>/", views.strategic_map, name="map"),
    path(
        "<ente:ente>/<year:year>/obiettivi/<objcode:code>/",
        views.objective_detail,
        name="objective",
    ),
    path(
        "<ente:ente>/<year:year>/obiettivi-operativi/<id:pk>/",
        views.operational_detail,
        name="operational",
    ),
    path("<ente:ente>/<year:year>/cruscotti/", views.scorecard_index, name="scorecards"),
    path(
        "<ente:ente>/<year:year>/cruscotti/<slug:slug>/", views.scorecard_detail, name="scorecard"
    ),
    path("<ente:ente>/<year:year>/indicatori/<id:pk>/", views.indicator_detail, name="indicator"),
    path("<ente:ente>/<year:year>/obiettivi-comuni/", views.common_objectives, name="common"),
]
