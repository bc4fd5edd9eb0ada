"""Set the actual of one indicator from the command line, through the same service (and so the
same permission checks, version check and history) as the web pages."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.selectors import add_body_argument, command_cycle
from indicators import services
from indicators.models import Indicator


class Command(BaseCommand):
    help = "Imposta il valore ottenuto di un indicatore, con i permessi dell'utente indicato."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--indicator", type=int, required=True, help="id dell'indicatore")
        parser.add_argument("--value", required=True, help="es. 1.284, 85,60%%, 30/06/2023, SI")
        parser.add_argument("--explanation", default=None, help="motivazione dello scostamento")
        parser.add_argument("--user", required=True, help="nome utente che firma la modifica")
        add_body_argument(parser)

    def handle(self, *args, year, indicator, value, explanation, user, body=None, **options):
        cycle = command_cycle(year=year, body=body)
        try:
            person = get_user_model().objects.get(username=user)
            ind = Indicator.objects.select_related("cycle__body").get(pk=indicator, cycle=cycle)
        except (get_user_model().DoesNotExist, Indicator.DoesNotExist) as exc:
            raise CommandError(f"Utente o indicatore inesistente: {exc}") from exc
        try:
            saved = services.indicator_update_actual(
                user=person,
                indicator=ind,
                actual=value,
                explanation=ind.explanation if explanation is None else explanation,
                expected_version=ind.version,
            )
        except (PermissionDenied, ValidationError) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        self.stdout.write(
            f"{saved.name}: valore ottenuto «{saved.actual}» (versione {saved.version})."
        )
