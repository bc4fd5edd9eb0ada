import json

from django.core.management.base import BaseCommand, CommandError

from consistency import rules
from consistency.services import consistency_run
from core.models import Cycle


class Command(BaseCommand):
    help = (
        "Esegue i controlli di coerenza di un anno e stampa i rilievi (testo o JSON). "
        "È un rapporto: termina con codice 0 anche quando trova errori."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="anno del ciclo")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--body", help="codice dell'ente, se più enti hanno lo stesso anno")

    def handle(self, *args, year, format, body=None, **options):
        cycles = Cycle.objects.select_related("body").filter(year=year)
        if body:
            cycles = cycles.filter(body__slug=body)
        cycles = list(cycles[:2])
        if not cycles:
            raise CommandError(f"Nessun ciclo della performance per l'anno {year}.")
        if len(cycles) > 1:
            raise CommandError(f"Più enti hanno un ciclo {year}: indicare l'ente con --body.")
        cycle = cycles[0]
        findings = consistency_run(cycle=cycle)
        if format == "json":
            payload = [f.as_dict() for f in findings]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Controlli di coerenza: {cycle}")
        for finding in findings:
            label = rules.SEVERITY_LABELS[finding.severity].upper()
            self.stdout.write(f"\n[{label}] {finding.rule} {finding.message}")
            self.stdout.write(f"  Correzione: {finding.fix}")
            self.stdout.write(f"  Chiave: {finding.key}")
        counts = {s: sum(1 for f in findings if f.severity is s) for s in rules.Severity}
        words = {
            rules.Severity.ERROR: ("errore", "errori"),
            rules.Severity.WARNING: ("avviso", "avvisi"),
            rules.Severity.INFO: ("informazione", "informazioni"),
        }
        parts = ", ".join(f"{n} {words[s][n != 1]}" for s, n in counts.items())
        self.stdout.write(f"\nTotale: {len(findings)} rilievi ({parts}).")
