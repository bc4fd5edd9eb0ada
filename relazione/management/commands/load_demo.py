from django.core.management.base import BaseCommand

from relazione.demo import demo_accounts, demo_load


class Command(BaseCommand):
    help = "Carica (o ricarica) i dati dimostrativi: la Relazione sulla Performance 2023."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Non creare gli account dimostrativi (uno per ruolo).",
        )

    def handle(self, *args, year, no_accounts=False, **options):
        cycle = demo_load(year=year)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dati dimostrativi caricati: {cycle} "
                f"({cycle.indicators.count()} indicatori, {cycle.scorecards.count()} cruscotti)."
            )
        )
        if no_accounts:
            return
        self.stdout.write("Account dimostrativi (solo per la demo, mai in produzione):")
        for username, password, role in demo_accounts():
            self.stdout.write(f"  {username:<15} {password:<28} {role}")
