from django.apps import AppConfig


class ConsistencyConfig(AppConfig):
    name = "consistency"
    verbose_name = "Controlli di coerenza"
