from django.apps import AppConfig


class ObjectivesConfig(AppConfig):
    name = "objectives"
    verbose_name = "Piano della performance"

    def ready(self):
        from django.db.models.signals import post_save

        from core import locking
        from core.models import Body, Cycle

        from .models import OperationalObjective

        post_save.connect(_label_new_cycle, sender=Cycle, dispatch_uid="objectives-cycle-units")
        post_save.connect(_kinds_of_new_body, sender=Body, dispatch_uid="objectives-unit-kinds")
        # The units assigned to an objective are part of its year: locked with it.
        locking.guard_many_to_many(OperationalObjective._meta.get_field("units"))


def _label_new_cycle(sender, instance, created=False, raw=False, **kwargs):
    """A new year shows its body's units with their names and codes of today."""
    if created and not raw:
        from .models import sync_unit_labels

        sync_unit_labels(cycle_ids=[instance.pk])


def _kinds_of_new_body(sender, instance, created=False, raw=False, **kwargs):
    """A new body starts with the unit kinds of its kind (a Camera's, a Comune's…)."""
    if created and not raw:
        from .unit_kinds import create_default_kinds

        create_default_kinds(instance)
