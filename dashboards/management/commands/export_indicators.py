import sys

from django.core.management.base import BaseCommand

from core.selectors import add_body_argument, command_cycle
from dashboards.export import WRITERS, export_rows


class Command(BaseCommand):
    help = "Esporta gli indicatori di un anno (dati aperti) in CSV, JSON o XLSX."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=sorted(WRITERS), default="csv")
        parser.add_argument("--output", help="File di destinazione (predefinito: standard output)")
        add_body_argument(parser)

    def handle(self, *args, year, format, output, body=None, **options):
        cycle = command_cycle(year=year, body=body)
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
