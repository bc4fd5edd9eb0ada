from django.shortcuts import render

from accounts.selectors import cycle_get, cycle_years
from consistency.selectors import corrections_of_area

from .charts import budget_charts
from .selectors import budget_view


def budget(request, year):
    cycle = cycle_get(year=year, user=request.user)
    view = budget_view(cycle)
    return render(
        request,
        "finance/budget.html",
        {
            "cycle": cycle,
            "years": cycle_years(user=request.user),
            "view": view,
            "corrections": corrections_of_area(cycle=cycle, area="finance"),
            **budget_charts(view),
        },
    )
