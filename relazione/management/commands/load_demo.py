from django.core.management.base import BaseCommand

from relazione.demo import demo_load


class Command(BaseCommand):
    help = "Carica (o ricarica) i dati dimostrativi: la Relazione sulla Performance 2023."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2023)

    def handle(self, *args, year, **options):
        cycle = demo_load(year=year)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dati dimostrativi caricati: {cycle} "
                f"({cycle.indicators.count()} indicatori, {cycle.scorecards.count()} cruscotti)."
            )
        )
