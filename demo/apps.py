from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data (the Relazione 2023 of the Camera di commercio di Bergamo, transcribed in
    fixtures/2023/) and the command that loads them; no models of its own. At the top of the
    layers: it writes through every app, and no app imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Dati dimostrativi"
