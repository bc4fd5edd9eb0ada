from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Ciclo della performance: flusso e validazione"

    def ready(self):
        from . import notifications  # noqa: F401  (signal receivers)
