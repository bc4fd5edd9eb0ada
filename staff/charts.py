"""The charts of the people page, shared by the internal and the public page."""

from lib.charts import grouped_bars, stacked_bars

from .selectors import PeopleView


def people_charts(year: int, view: PeopleView) -> dict[str, str]:
    names = [row.category.name for row in view.current]
    return {
        "gender_chart": stacked_bars(
            f"Personale in servizio al 31/12/{year} per area e genere",
            names,
            [
                ("Donne", [row.women for row in view.current], "women"),
                ("Uomini", [row.men for row in view.current], "men"),
            ],
        ),
        "establishment_chart": grouped_bars(
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
        ),
    }
