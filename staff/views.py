from django.shortcuts import render

from accounts.selectors import cycle_get, cycle_years
from consistency.selectors import corrections_of_area

from .charts import people_charts
from .selectors import people_view


def people(request, year):
    cycle = cycle_get(year=year, user=request.user)
    view = people_view(cycle)
    return render(
        request,
        "staff/people.html",
        {
            "cycle": cycle,
            "years": cycle_years(user=request.user),
            "view": view,
            "corrections": corrections_of_area(cycle=cycle, area="staff"),
            **people_charts(cycle.year, view),
        },
    )
