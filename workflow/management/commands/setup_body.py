"""``manage.py setup_body FILE``: a new body from a YAML or JSON file (format in
docs/nuovo-ente.md), through the same service as the page *Configura l'ente*
(:func:`workflow.onboarding.body_setup`). All or nothing; a body whose code exists is refused,
so running the same file twice creates nothing the second time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflow.onboarding import body_setup

SECTIONS = {"ente", "regole", "livelli", "primo_anno", "unita", "persone"}
BODY_KEYS = {
    "denominazione": "name",
    "denominazione_breve": "short_name",
    "codice": "slug",
    "codice_fiscale": "tax_code",
    "tipo": "kind",
}
RULE_KEYS = {
    "soglia_raggiunto": "band_achieved_from",
    "soglia_parziale": "band_partial_from",
    "scadenza_mancata": "missed_deadline_pct",
}

# The names of the levels of the plan (core.models.LEVEL_LABELS): «Missione», «Obiettivo di DUP».
LEVEL_KEYS = {
    "primo": "perspective_label",
    "primo_plurale": "perspective_label_plural",
    "secondo": "strategic_label",
    "secondo_plurale": "strategic_label_plural",
    "terzo": "operational_label",
    "terzo_plurale": "operational_label_plural",
}


def _load(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{path}: il file non si legge ({exc.strerror}).") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise CommandError(f"{path}: non è un file JSON/YAML valido: {exc}") from exc
    if not isinstance(data, dict):
        raise CommandError(f"{path}: atteso un elenco di sezioni ({', '.join(sorted(SECTIONS))}).")
    return data


def _section(data: dict, name: str, keys: dict[str, str], errors: list[str]) -> dict:
    values = data.get(name) or {}
    if not isinstance(values, dict):
        errors.append(f"Sezione «{name}»: attese le voci {', '.join(keys)}.")
        return {}
    unknown = sorted(set(values) - set(keys))
    if unknown:
        errors.append(f"Sezione «{name}»: voci non previste {', '.join(map(str, unknown))}.")
    nested = sorted(str(key) for key, value in values.items() if isinstance(value, list | dict))
    if nested:
        errors.append(f"Sezione «{name}»: {', '.join(nested)} vanno scritte come un solo valore.")
    # A YAML scalar may be a number (codice: 123, soglia: 90.5): the service reads text, as
    # the page sends it, with the Italian decimal comma.
    return {
        keys[key]: _text(value)
        for key, value in values.items()
        if key in keys and not isinstance(value, list | dict)
    }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def setup_arguments(data: dict) -> dict:
    """The service's arguments from the file's sections; errors of the file's shape raised
    together (the service then lists the errors of the content)."""
    errors = []
    unknown = sorted(set(data) - SECTIONS)
    if unknown:
        errors.append(f"Sezioni non previste: {', '.join(map(str, unknown))}.")
    arguments = {**_section(data, "ente", BODY_KEYS, errors)}
    rules = data.get("regole")
    if isinstance(rules, dict) and "metodo" in rules:
        # The scoring method is its JSON (core.scoring_method), a mapping: the service checks it.
        rules = dict(rules)
        arguments["scoring_method"] = rules.pop("metodo")
    arguments.update(_section({"regole": rules}, "regole", RULE_KEYS, errors))
    levels = _section(data, "livelli", LEVEL_KEYS, errors)
    if levels:
        arguments["levels"] = levels
    for key in ("name", "tax_code"):
        arguments[key] = str(arguments.get(key, ""))
    for section in ("unita", "persone"):
        if not isinstance(data.get(section) or [], list | str):
            errors.append(f"Sezione «{section}»: attesa una lista (o una tabella incollata).")
    if errors:
        raise CommandError("\n".join(errors))
    return {
        **arguments,
        "first_year": data.get("primo_anno"),
        "units": data.get("unita") or [],
        "people": data.get("persone") or [],
    }


class Command(BaseCommand):
    help = (
        "Configura un nuovo ente (unità, persone con invito, regole, primo anno) da un file "
        "YAML o JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="file .yaml/.yml o .json (docs/nuovo-ente.md)")
        parser.add_argument(
            "--site-url",
            default=settings.RELAZIONE.get("SITE_URL", ""),
            help="indirizzo del sito per i collegamenti degli inviti, es. https://relazione.ente.it",
        )

    def handle(self, *args: object, **options: Any) -> None:
        arguments = setup_arguments(_load(options["file"]))
        try:
            result = body_setup(**arguments, site_url=options["site_url"])
        except ValidationError as exc:
            raise CommandError(
                "Nessun dato è stato scritto. Errori:\n" + "\n".join(f"- {m}" for m in exc.messages)
            ) from exc
        body = result.body
        self.stdout.write(
            f"Ente «{body.name}» (codice {body.slug}) configurato: {len(result.units)} unità, "
            f"{len(result.users)} persone, anno {result.cycle.year} in pianificazione."
        )
        self.stdout.write(
            "Inviti messi in coda (li invia il worker, manage.py db_worker); i collegamenti per "
            "scegliere la password:"
        )
        for email, link in result.invitations:
            self.stdout.write(f"  {email}: {link}")
