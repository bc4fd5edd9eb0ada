from django.shortcuts import render

from accounts.selectors import year_cycle
from consistency.selectors import corrections_of_area

from .charts import people_charts
from .selectors import people_view


def people(request, year):
    cycle = year_cycle(request, year)
    view = people_view(cycle)
    return render(
        request,
        "staff/people.html",
        {
            "view": view,
            "corrections": corrections_of_area(cycle=cycle, area="staff"),
            **people_charts(cycle.year, view),
        },
    )
