from django.shortcuts import render

from relazione.charts import grouped_bars
from relazione.selectors import cycle_get, cycle_years

from .selectors import budget_view


def budget(request, year):
    cycle = cycle_get(year=year, user=request.user)
    view = budget_view(cycle)
    interventions_chart = grouped_bars(
        "Interventi economici: previsione e costi (€)",
        [i.label.capitalize() for i in view.interventions],
        [
            ("Previsione", [i.forecast for i in view.interventions], "forecast"),
            ("Costi", [i.actual for i in view.interventions], "actual"),
        ],
        horizontal=True,
    )
    income = [line for _, lines in view.groups[:2] for line in lines]
    budget_chart = grouped_bars(
        "Proventi e oneri correnti: preventivo aggiornato e consuntivo (€)",
        [line.label for line in income],
        [
            ("Preventivo aggiornato", [line.total_forecast for line in income], "forecast"),
            ("Consuntivo", [line.total_actual for line in income], "actual"),
        ],
        horizontal=True,
    )
    return render(
        request,
        "finance/budget.html",
        {
            "cycle": cycle,
            "years": cycle_years(user=request.user),
            "view": view,
            "interventions_chart": interventions_chart,
            "budget_chart": budget_chart,
        },
    )
