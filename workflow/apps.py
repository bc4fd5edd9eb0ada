from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Ciclo della performance: flusso e validazione"

    def ready(self):
        from . import integrity, locking, notifications  # noqa: F401  (signal receivers)

        locking.connect_guards()
        integrity.connect()  # one year per row; a cycle is created in planning
