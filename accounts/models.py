"""Who a user is in the performance cycle: a role, and for unit managers their units."""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    PLANNING = "planning", "Ufficio pianificazione e controllo"
    MANAGER = "manager", "Responsabile di unità organizzativa"
    OIV = "oiv", "Componente OIV"
    ADMIN = "admin", "Amministratore di sistema"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField("ruolo", max_length=20, choices=Role)
    units = models.ManyToManyField(
        "objectives.OrgUnit",  # by name: the plan apps sit above accounts
        blank=True,
        related_name="managers",
        verbose_name="unità gestite",
        help_text="Solo per i responsabili di unità organizzativa.",
    )

    class Meta:
        verbose_name = "profilo"
        verbose_name_plural = "profili"

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
