from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.models import Cycle
from reports.pdf import render_pdf


class Command(BaseCommand):
    help = (
        "Genera la Relazione sulla Performance di un anno in PDF/A-3 (con i dati aperti allegati)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--output", required=True, help="File PDF da scrivere")
        parser.add_argument("--body", help="Codice dell'ente (se più di uno)")

    def handle(self, *args, year, output, body=None, **options):
        cycles = Cycle.objects.select_related("body").filter(year=year)
        if body:
            cycles = cycles.filter(body__slug=body)
        if cycles.count() != 1:
            raise CommandError(f"Anno {year} non trovato (o più enti: usare --body).")
        cycle = cycles.get()
        rendered = render_pdf(cycle)
        Path(output).write_bytes(rendered.content)
        self.stdout.write(
            self.style.SUCCESS(
                f"{output}: {rendered.pages} pagine{' (BOZZA)' if rendered.draft else ''}, "
                f"SHA-256 {rendered.sha256}"
            )
        )
