from django.core.management.base import BaseCommand

from core.models import Cycle
from demo.accounts import demo_accounts
from demo.comune import comune_accounts, comune_load
from demo.loader import demo_load
from demo.second import second_body_accounts, second_body_load
from reports.services import pdf_generate


class Command(BaseCommand):
    help = (
        "Carica (o ricarica) i dati dimostrativi: la Relazione sulla Performance 2023. "
        "Ricaricare sostituisce gli anni 2023 e 2024 della demo e quanto vi è stato inserito."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Carica la demo solo in un database senza cicli (make run): "
            "il lavoro già inserito non viene mai sovrascritto.",
        )
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Non creare gli account dimostrativi (uno per ruolo).",
        )
        parser.add_argument(
            "--second-body",
            action="store_true",
            help="Carica anche un secondo ente sintetico (stessi codici e stesso anno, in "
            "monitoraggio): l'applicazione con due enti.",
        )
        parser.add_argument(
            "--comune",
            action="store_true",
            help="Carica anche un Comune sintetico (missioni del DUP, pesi, metodo di "
            "valutazione a punti, soglie in proporzione, un indicatore qualitativo), configurato "
            "e importato come un ente nuovo; caricato una volta sola.",
        )
        parser.add_argument(
            "--no-pdf",
            action="store_true",
            help="Non generare il PDF della Relazione dell'anno validato (più veloce).",
        )

    def handle(
        self,
        *args,
        year,
        if_empty=False,
        no_accounts=False,
        no_pdf=False,
        second_body=False,
        comune=False,
        **options,
    ):
        if if_empty and Cycle.objects.exists():
            years = ", ".join(
                str(y) for y in Cycle.objects.order_by("year").values_list("year", flat=True)
            )
            self.stdout.write(
                f"Il database contiene già dati (anni {years}): la demo non viene ricaricata e "
                "il lavoro inserito resta. Per ripartire dalla demo: make demo-reset."
            )
            return
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
        if second_body:
            second = second_body_load(year=year)
            self.stdout.write(
                f"Secondo ente sintetico: {second} ({second.indicators.count()} indicatori)."
            )
        if comune:
            town = comune_load()
            self.stdout.write(f"Comune sintetico: {town} ({town.indicators.count()} indicatori).")
        if no_accounts:
            return
        self.stdout.write("Account dimostrativi (solo per la demo, mai in produzione):")
        accounts = demo_accounts() + (second_body_accounts() if second_body else [])
        accounts += comune_accounts() if comune else []
        for username, password, role in accounts:
            self.stdout.write(f"  {username:<22} {password:<32} {role}")
