from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Ciclo della performance: flusso e validazione"

    def ready(self):
        from core import locking

        from . import notifications  # noqa: F401  (signal receivers)
        from .models import void_validations_unlocked

        locking.unlocked_outside_workflow.connect(
            void_validations_unlocked, dispatch_uid="workflow-void-validations"
        )
