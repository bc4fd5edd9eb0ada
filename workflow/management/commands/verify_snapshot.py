from django.core.management.base import BaseCommand, CommandError

from core.selectors import add_body_argument, command_cycle
from indicators.figures import figures_rebuild
from workflow import snapshot
from workflow.selectors import validation_of


class Command(BaseCommand):
    help = (
        "Verifica che i dati attuali di un anno coincidano con l'istantanea validata dall'OIV "
        "(esce con 0 se coincidono, con un errore e l'elenco delle differenze altrimenti)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        add_body_argument(parser)

    def handle(self, *args, year, body=None, **options):
        cycle = command_cycle(year=year, body=body)
        validation = validation_of(cycle)
        if validation is None:
            raise CommandError(f"L'anno {year} non ha una validazione in vigore.")
        stored = snapshot.build_from_text(validation)
        if snapshot.digest(validation.snapshot) != validation.snapshot_hash:
            raise CommandError(
                "L'istantanea registrata non corrisponde alla sua impronta: "
                "la validazione stessa è stata alterata."
            )
        # Rebuilt in the canonical form the snapshot was stored in, never a newer one.
        version = snapshot.version_of(stored)
        if version not in snapshot.VERSIONS:
            raise CommandError(f"Versione dell'istantanea sconosciuta: {version!r}.")
        text, sha = snapshot.take(cycle, version)
        if sha == validation.snapshot_hash:
            self._check_stored_figures(cycle)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Anno {year}: i dati coincidono con quelli validati dall'OIV il "
                    f"{validation.date:%d/%m/%Y} (SHA-256 {sha})."
                )
            )
            if version < snapshot.SNAPSHOT_VERSION:
                self.stdout.write(
                    f"Istantanea in formato {version}: non copre {snapshot.not_covered(version)}."
                )
            return
        lines = snapshot.differences(stored, snapshot.json.loads(text))
        report = "\n".join(f"  - {line}" for line in lines) or "  - (differenze di formato)"
        raise CommandError(
            f"Anno {year}: i dati NON coincidono con quelli validati il "
            f"{validation.date:%d/%m/%Y}.\nImpronta validata: {validation.snapshot_hash}\n"
            f"Impronta attuale:  {sha}\nDifferenze ({len(lines)}):\n{report}"
        )

    def _check_stored_figures(self, cycle):
        """The % realization and outcome stored with each indicator are what the pages and the
        PDF print: derived from the validated data, they must be what those data give."""
        differing = figures_rebuild(cycle, write=False).differing
        if differing:
            raise CommandError(
                f"Anno {cycle.year}: i dati coincidono con quelli validati, ma la % di "
                f"realizzazione o l'esito memorizzati di {len(differing)} indicatori non sono "
                "quelli che i dati validati danno (modifica fuori dall'applicazione): "
                f"indicatori {', '.join(map(str, differing[:20]))}."
            )
