"""Who a person is in the performance cycle of each body: a role there, and for unit managers
their units of that body. A person may work for several bodies, with a role in each; a role
in one body gives nothing in another."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


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
