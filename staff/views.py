from django.shortcuts import render

from relazione.charts import grouped_bars, stacked_bars
from relazione.selectors import cycle_get, cycle_years

from .selectors import people_view


def people(request, year):
    cycle = cycle_get(year=year, user=request.user)
    view = people_view(cycle)
    names = [row.category.name for row in view.current]
    gender_chart = stacked_bars(
        f"Personale in servizio al 31/12/{cycle.year} per area e genere",
        names,
        [
            ("Donne", [row.women for row in view.current], "women"),
            ("Uomini", [row.men for row in view.current], "men"),
        ],
    )
    establishment_chart = grouped_bars(
        "Dotazione organica e personale in servizio",
        names,
        [
            (
                "Dotazione organica",
                [row.category.establishment or 0 for row in view.current],
                "forecast",
            ),
            ("In servizio", [row.total for row in view.current], "actual"),
        ],
    )
    return render(
        request,
        "staff/people.html",
        {
            "cycle": cycle,
            "years": cycle_years(user=request.user),
            "view": view,
            "gender_chart": gender_chart,
            "establishment_chart": establishment_chart,
        },
    )
