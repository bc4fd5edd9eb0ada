from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Amministrazione trasparente"

    def ready(self):
        from . import signals  # noqa: F401
