"""Who a person is in the performance cycle of each body: a role there, and for unit managers
their units of that body. A person may work for several bodies, with a role in each; a role
in one body gives nothing in another."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver


class Role(models.TextChoices):
    PLANNING = "planning", "Ufficio pianificazione e controllo"
    MANAGER = "manager", "Responsabile di unità organizzativa"
    OIV = "oiv", "Componente OIV"
    ADMIN = "admin", "Amministratore di sistema"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="persona",
    )
    body = models.ForeignKey(
        "core.Body", on_delete=models.CASCADE, related_name="memberships", verbose_name="ente"
    )
    role = models.CharField("ruolo", max_length=20, choices=Role)
    units = models.ManyToManyField(
        "objectives.OrgUnit",  # by name: the plan apps sit above accounts
        blank=True,
        related_name="managers",
        verbose_name="unità gestite",
        help_text="Solo per i responsabili di unità organizzativa, e solo unità di questo ente.",
    )

    class Meta:
        verbose_name = "ruolo in un ente"
        verbose_name_plural = "ruoli negli enti"
        constraints = [
            models.UniqueConstraint(fields=["user", "body"], name="membership_one_role_per_body")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.body})"


def check_units_of_body(body_id: int, units) -> None:
    """A manager's units are units of the body they are a manager of (the admin's form and
    the onboarding ask this before writing)."""
    foreign = [str(unit) for unit in units if unit.body_id != body_id]
    if foreign:
        raise ValidationError(f"Unità di un altro ente: {', '.join(foreign)}.")


@receiver(m2m_changed, sender=Membership.units.through)
def units_of_the_same_body(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Every write of a manager's units, from either side and by any path (forms, the admin,
    the ORM), refuses a unit of another body: a role in one body gives nothing in another."""
    if action != "pre_add" or not pk_set:
        return
    if reverse:  # unit.managers.add(membership, ...)
        bodies = set(model._base_manager.filter(pk__in=pk_set).values_list("body_id", flat=True))
        if bodies - {instance.body_id}:
            raise ValidationError(f"L'unità {instance} è di un altro ente.")
    else:
        check_units_of_body(instance.body_id, model._base_manager.filter(pk__in=pk_set))
