from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicatori"
