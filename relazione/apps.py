from django.apps import AppConfig


class RelazioneConfig(AppConfig):
    name = "relazione"
    verbose_name = "Ente e ciclo della performance"
