from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Ente e cicli della performance"

    def ready(self):
        # Every app's models are loaded when any ready() runs: the lock and the one-year-per-row
        # rule are derived from them here, at the bottom, for every app above.
        from . import integrity, locking

        locking.connect_guards()
        integrity.connect()  # one year per row; a cycle is created in planning
