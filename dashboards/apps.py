from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The plan's pages (strategic map, cruscotti, indicators) and their exports: reads only,
    above the plan apps whose figures they show, below the document that prints them."""

    name = "dashboards"
    verbose_name = "Mappa strategica e cruscotti"
