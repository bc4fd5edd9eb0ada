import sys

from django.core.management.base import BaseCommand, CommandError

from core.models import Cycle
from dashboards.export import WRITERS, export_rows


class Command(BaseCommand):
    help = "Esporta gli indicatori di un anno (dati aperti) in CSV, JSON o XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=sorted(WRITERS), default="csv")
        parser.add_argument("--output", help="File di destinazione (predefinito: standard output)")
        parser.add_argument("--ente", dest="body", help="Codice dell'ente, se ce n'è più d'uno")

    def handle(self, *args, year, format, output, body=None, **options):
        cycles = Cycle.objects.select_related("body").filter(year=year)
        if body:
            cycles = cycles.filter(body__slug=body)
        cycles = list(cycles[:2])
        if not cycles:
            raise CommandError(f"Nessun ciclo della performance per l'anno {year}.")
        if len(cycles) > 1:
            raise CommandError(
                f"Più enti hanno un ciclo {year}: indicare quale con --ente "
                f"({', '.join(c.body.slug for c in cycles)}, ...)."
            )
        cycle = cycles[0]
        data = WRITERS[format](export_rows(cycle))
        if output:
            mode = "wb" if isinstance(data, bytes) else "w"
            kwargs = {} if mode == "wb" else {"encoding": "utf-8", "newline": ""}
            with open(output, mode, **kwargs) as handle:
                handle.write(data)
        elif isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            self.stdout.write(data, ending="")
