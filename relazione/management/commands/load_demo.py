from django.core.management.base import BaseCommand

from relazione.demo import demo_accounts, demo_load
from reports.services import pdf_generate


class Command(BaseCommand):
    help = "Carica (o ricarica) i dati dimostrativi: la Relazione sulla Performance 2023."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Non creare gli account dimostrativi (uno per ruolo).",
        )
        parser.add_argument(
            "--no-pdf",
            action="store_true",
            help="Non generare il PDF della Relazione dell'anno validato (più veloce).",
        )

    def handle(self, *args, year, no_accounts=False, no_pdf=False, **options):
        cycle = demo_load(year=year)
        if not no_pdf:
            # A published year is offered with its validated PDF, generated once and stored.
            record = pdf_generate(cycle)
            self.stdout.write(f"PDF della Relazione {year}: {record.pages} pagine.")
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
