"""The charts of the economic resources page, shared by the internal and the public page."""

from lib.charts import grouped_bars

from .selectors import BudgetView


def budget_charts(view: BudgetView) -> dict[str, str]:
    income = [line for _, lines in view.groups[:2] for line in lines]
    return {
        "interventions_chart": grouped_bars(
            "Interventi economici: previsione e costi (€)",
            [i.label.capitalize() for i in view.interventions],
            [
                ("Previsione", [i.forecast for i in view.interventions], "forecast"),
                ("Costi", [i.actual for i in view.interventions], "actual"),
            ],
            horizontal=True,
        ),
        "budget_chart": grouped_bars(
            "Proventi e oneri correnti: preventivo aggiornato e consuntivo (€)",
            [line.label for line in income],
            [
                ("Preventivo aggiornato", [line.total_forecast for line in income], "forecast"),
                ("Consuntivo", [line.total_actual for line in income], "actual"),
            ],
            horizontal=True,
        ),
    }
