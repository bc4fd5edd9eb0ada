from pathlib import Path

from django.core.management.base import BaseCommand

from core.selectors import add_body_argument, command_cycle
from reports.pdf import render_pdf


class Command(BaseCommand):
    help = (
        "Genera la Relazione sulla Performance di un anno in PDF/A-3 (con i dati aperti allegati)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", required=True, help="File PDF da scrivere")
        add_body_argument(parser)

    def handle(self, *args, year, output, body=None, **options):
        cycle = command_cycle(year=year, body=body)
        rendered = render_pdf(cycle)
        Path(output).write_bytes(rendered.content)
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {rendered.pages} pagine{' (BOZZA)' if rendered.draft else ''}, "
                f"SHA-256 {rendered.sha256}"
            )
        )
