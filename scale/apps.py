from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Synthetic plans for the scale, load and fault tests (no models of its own)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "scale"
    verbose_name = "Piani sintetici per le prove di carico"
