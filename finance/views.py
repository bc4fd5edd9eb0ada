from django.shortcuts import render

from accounts.selectors import year_cycle
from consistency.selectors import corrections_of_area

from .charts import budget_charts
from .selectors import budget_view


def budget(request, year):
    cycle = year_cycle(request, year)
    view = budget_view(cycle)
    return render(
        request,
        "finance/budget.html",
        {
            "view": view,
            "corrections": corrections_of_area(cycle=cycle, area="finance"),
            **budget_charts(view),
        },
    )
