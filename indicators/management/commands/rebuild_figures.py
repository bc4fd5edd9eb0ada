"""Recompute the stored % realization and band of the indicators (``Indicator.realization``,
``status``) from their values and the year's rules. A validated year is never written: its
differences are listed, and the command ends with an error so that they are looked at."""

from django.core.management.base import BaseCommand, CommandError

from core.models import Cycle
from indicators.figures import figures_rebuild


class Command(BaseCommand):
    help = "Ricalcola la % di realizzazione e l'esito memorizzati degli indicatori."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="solo quest'anno")
        parser.add_argument("--ente", help="solo l'ente con questo codice (slug)")
        parser.add_argument(
            "--dry-run", action="store_true", help="elenca le differenze senza scrivere"
        )

    def handle(self, *args, year=None, ente=None, dry_run=False, **options):
        cycles = Cycle.objects.select_related("body").order_by("body__slug", "year")
        if year is not None:
            cycles = cycles.filter(year=year)
        if ente:
            cycles = cycles.filter(body__slug=ente)
        if not cycles.exists():
            raise CommandError("Nessun anno corrisponde ai filtri.")
        locked_differences = []
        for cycle in cycles:
            result = figures_rebuild(cycle, write=not dry_run)
            if not result.differing:
                outcome = "tutte corrette"
            elif result.written:
                outcome = f"{len(result.differing)} ricalcolate"
            elif result.locked:
                outcome = (
                    f"{len(result.differing)} diverse, NON scritte: l'anno è validato "
                    f"(indicatori {', '.join(map(str, result.differing[:20]))})"
                )
                locked_differences.append(cycle)
            else:
                outcome = f"{len(result.differing)} diverse (prova: nulla scritto)"
            self.stdout.write(
                f"{cycle.body.slug} {cycle.year}: {result.indicators} indicatori, {outcome}."
            )
        if locked_differences:
            raise CommandError(
                "Valori memorizzati diversi da quelli calcolati in anni validati: "
                + ", ".join(str(c.year) for c in locked_differences)
                + ". Non sono stati modificati: verificarli (controllo di coerenza CALC-001)."
            )
