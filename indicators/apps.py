from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicatori"

    def ready(self):
        from core.models import rules_changed

        from .figures import _on_rules_changed

        # A year's rules changed: its stored % realization and bands follow them.
        rules_changed.connect(_on_rules_changed, dispatch_uid="indicators-figures-rules")
