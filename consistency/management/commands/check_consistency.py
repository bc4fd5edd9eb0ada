import json

from django.core.management.base import BaseCommand

from consistency import rules
from consistency.services import consistency_run
from core.selectors import add_body_argument, command_cycle


class Command(BaseCommand):
    help = (
        "Esegue i controlli di coerenza di un anno e stampa i rilievi (testo o JSON). "
        "È un rapporto: termina con codice 0 anche quando trova errori."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="anno del ciclo")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        add_body_argument(parser)

    def handle(self, *args, year, format, body=None, **options):
        cycle = command_cycle(year=year, body=body)
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
