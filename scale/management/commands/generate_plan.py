import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from scale.generator import plan_generate


class Command(BaseCommand):
    help = (
        "Genera un piano sintetico (ente, anni, obiettivi, unità, indicatori, cruscotti, "
        "personale e bilancio) della dimensione richiesta, identico a parità di seme: per le "
        "prove di scala e di carico, mai in produzione."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, required=True, help="Unità organizzative.")
        parser.add_argument("--indicators", type=int, required=True, help="Indicatori per anno.")
        parser.add_argument("--years", type=int, default=1, help="Anni (cicli) da generare.")
        parser.add_argument("--seed", type=int, default=1, help="Seme del generatore.")
        parser.add_argument(
            "--ente", "--body", dest="body", default=None, help="Codice (slug) dell'ente."
        )
        parser.add_argument(
            "--first-year", type=int, default=2030, help="Primo anno (default 2030)."
        )
        parser.add_argument(
            "--all-published",
            action="store_true",
            help="Pubblica anche l'ultimo anno (di norma resta aperto all'inserimento dei dati).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            plan = plan_generate(
                units=options["units"],
                indicators=options["indicators"],
                years=options["years"],
                seed=options["seed"],
                body_slug=options["body"],
                first_year=options["first_year"],
                open_last=not options["all_published"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        c = plan.counts
        years = ", ".join(str(cycle.year) for cycle in plan.cycles)
        self.stdout.write(
            self.style.SUCCESS(
                f"Piano sintetico generato per «{plan.body.slug}» (anni {years}): "
                f"{c['units']} unità, {c['indicators']} indicatori, {c['rows']} righe di "
                f"cruscotto in {time.perf_counter() - started:.1f} s."
            )
        )
