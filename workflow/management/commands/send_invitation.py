"""``manage.py send_invitation EMAIL``: the invitation of :mod:`workflow.invitations` sent again
(its link expired, or was lost): a new link to set the password, by e-mail through the task
queue, and printed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.invitations import invitation_send


class Command(BaseCommand):
    help = "Invia di nuovo a una persona l'invito con il collegamento per scegliere la password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="l'e-mail della persona")
        parser.add_argument(
            "--site-url",
            default=settings.RELAZIONE.get("SITE_URL", ""),
            help="indirizzo del sito per il collegamento, es. https://relazione.ente.it",
        )

    def handle(self, *args: object, **options: Any) -> None:
        try:
            link = invitation_send(email=options["email"], site_url=options["site_url"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Invito messo in coda per {options['email']}: {link}")
