"""Writes of the context tables of section 1.1 (value added, labour force, firms, ...), each
pasted as text from a spreadsheet (resources.context). Only the planning office, until the year
is validated; every write in one transaction, optimistic-locked on ``version``."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import CharField, Max
from django.utils import timezone
from django.utils.text import slugify

from accounts import permissions as perms
from core.models import Cycle
from lib.authorship import change_author
from lib.versioning import version_bump
from resources.models import ContextTable

from . import context, selectors
from .selectors import RESERVED_CONTEXT_KEYS


def _max_length(name: str) -> int:
    field = ContextTable._meta.get_field(name)
    assert isinstance(field, CharField) and field.max_length is not None  # key, title, source
    return field.max_length


KEY_MAX = _max_length("key")
TITLE_MAX = _max_length("title")
SOURCE_MAX = _max_length("source")


class StaleContextTable(ValidationError):
    """Someone saved the table after the page was loaded: nothing was written. ``current`` is
    the table as now saved, for the page to show beside the refused text."""

    def __init__(self, current: ContextTable, *, deleting: bool = False):
        self.current = current
        what = "non è stata eliminata" if deleting else "non sono state salvate"
        then = (
            "Per eliminarla comunque, confermare di nuovo."
            if deleting
            else "Il modulo contiene ancora il testo inserito e sotto è riportata la tabella "
            "ora registrata: per sostituirla, salvare di nuovo."
        )
        changes = "la tabella" if deleting else "le modifiche"
        super().__init__(
            f"La tabella «{current.title}» è stata modificata "
            f"{change_author(current.updated_by, current.updated_at)} dopo l'apertura della "
            f"pagina: {changes} {what}. {then}",
            code="stale",
        )


GONE = "La tabella è stata eliminata da un'altra persona dopo l'apertura della pagina."


def _ensure_can_edit(user: User, cycle: Cycle) -> None:
    perms.ensure(
        perms.is_planner(user, cycle),
        "Solo l'ufficio pianificazione e controllo modifica le tabelle di contesto.",
    )
    perms.ensure(
        perms.can_edit_resources(user, cycle),
        f"L'anno {cycle.year} è validato o pubblicato: le sue tabelle di contesto non si "
        "possono più modificare.",
    )


def _ensure_editable_table(cycle: Cycle, table: ContextTable) -> None:
    if table.cycle_id != cycle.pk or table.key in RESERVED_CONTEXT_KEYS:
        raise ValidationError("La tabella non è tra le tabelle di contesto di questo anno.")


def _author(user: User) -> User | None:
    return user if getattr(user, "pk", None) else None


def _clean(*, title: str, source: str, text: str) -> tuple[str, str, context.ParsedTable]:
    """Title, source and the parsed table; every error at once, by field."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    source = (source or "").strip()
    if not title:
        errors["title"] = ["Il titolo è obbligatorio."]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"Il titolo supera i {TITLE_MAX} caratteri."]
    if len(source) > SOURCE_MAX:
        errors["source"] = [f"La fonte supera i {SOURCE_MAX} caratteri."]
    parsed = None
    try:
        parsed = context.parse_table(text)
    except context.ParseError as exc:
        errors["text"] = exc.errors
    if errors or parsed is None:
        raise ValidationError(errors)
    return title, source, parsed


def _clean_key(cycle: Cycle, key: str, title: str) -> str:
    # Without a key the title gives one: the office need not invent codes.
    key = (key or "").strip() or slugify(title).replace("-", "_")[:KEY_MAX].strip("_-")
    if not key:
        raise ValidationError({"key": ["Indicare un codice (lettere, cifre, - e _)."]})
    try:
        validate_slug(key)
    except ValidationError:
        raise ValidationError(
            {"key": [f"Codice «{key}» non valido: solo lettere, cifre, - e _, senza spazi."]}
        ) from None
    if len(key) > KEY_MAX:
        raise ValidationError({"key": [f"Il codice supera i {KEY_MAX} caratteri."]})
    if key in RESERVED_CONTEXT_KEYS:
        raise ValidationError(
            {"key": [f"Il codice «{key}» è riservato alle fasi del processo (capitolo 4)."]}
        )
    return key


def _taken(cycle: Cycle, key: str) -> ValidationError:
    return ValidationError(
        {"key": [f"Il codice «{key}» è già usato da un'altra tabella del {cycle.year}."]}
    )


def context_table_create(
    *, user: User, cycle: Cycle, key: str, title: str, source: str, text: str
) -> ContextTable:
    """A new table at the end of the year's list, from pasted text. An empty ``key`` is derived
    from the title. Bad input raises ValidationError by field; nothing is written."""
    _ensure_can_edit(user, cycle)
    title, source, parsed = _clean(title=title, source=source, text=text)
    key = _clean_key(cycle, key, title)
    if ContextTable.objects.filter(cycle=cycle, key=key).exists():
        raise _taken(cycle, key)
    last = (
        ContextTable.objects.filter(cycle=cycle)
        .exclude(key__in=RESERVED_CONTEXT_KEYS)
        .aggregate(m=Max("order"))["m"]
    )
    table = ContextTable(
        cycle=cycle,
        key=key,
        title=title,
        source=source,
        columns=parsed.columns,
        rows=parsed.rows,
        order=0 if last is None else last + 1,
        updated_by=_author(user),
    )
    try:
        with transaction.atomic():
            table.save()
    except IntegrityError:  # created by someone else since the check above
        raise _taken(cycle, key) from None
    return table


def context_table_update(
    *,
    user: User,
    cycle: Cycle,
    table: ContextTable,
    title: str,
    source: str,
    text: str,
    expected_version: int,
) -> ContextTable:
    """Replace a table's title, source and cells with the pasted text, only over
    ``expected_version`` (the version the page was loaded with): if someone saved meanwhile,
    :class:`StaleContextTable` carrying theirs, and nothing is written."""
    _ensure_can_edit(user, cycle)
    _ensure_editable_table(cycle, table)
    title, source, parsed = _clean(title=title, source=source, text=text)
    now = timezone.now()
    author = _author(user)

    def stale() -> ValidationError:
        current = selectors.context_table_get(cycle, table.key)
        if current is None or current.pk != table.pk:
            return ValidationError(GONE + " Le modifiche non sono state salvate.", code="gone")
        return StaleContextTable(current)

    with transaction.atomic():
        # The new cells travel in the same conditional UPDATE as the version check.
        version_bump(
            table,
            int(expected_version),
            stale=stale,
            title=title,
            source=source,
            columns=parsed.columns,
            rows=parsed.rows,
            updated_by=author,
            updated_at=now,
        )
    table.title, table.source = title, source
    table.columns, table.rows = parsed.columns, parsed.rows
    table.updated_by, table.updated_at = author, now
    return table


def context_table_delete(
    *, user: User, cycle: Cycle, table: ContextTable, expected_version: int
) -> None:
    """Delete a table, only if nobody changed it since ``expected_version`` was read."""
    _ensure_can_edit(user, cycle)
    _ensure_editable_table(cycle, table)
    with transaction.atomic():
        current = (
            ContextTable.objects.select_for_update(of=("self",))  # not the nullable author
            .select_related("updated_by")
            .filter(pk=table.pk, cycle=cycle)
            .first()
        )
        if current is None:
            raise ValidationError(GONE, code="gone")
        if current.version != int(expected_version):
            raise StaleContextTable(current, deleting=True)
        current.delete()


def context_tables_copy_structure(*, user: User, cycle: Cycle) -> list[ContextTable]:
    """For a year without context tables: the tables of the body's latest earlier year that
    has some (keys, titles, sources, headers and row labels), every value cell empty, so the
    office types only the figures."""
    _ensure_can_edit(user, cycle)
    already = ValidationError(
        f"Il {cycle.year} ha già le sue tabelle di contesto: la struttura si copia solo in un "
        "anno che non ne ha ancora."
    )
    source = selectors.context_source_cycle(cycle)
    if source is None:
        raise ValidationError(
            f"Nessun anno precedente al {cycle.year} ha tabelle di contesto da copiare."
        )
    author = _author(user)
    copies = [
        ContextTable(
            cycle=cycle,
            key=t.key,
            title=t.title,
            source=t.source,
            columns=list(t.columns),
            rows=context.empty_values(t.rows),
            order=t.order,
            updated_by=author,
        )
        for t in selectors.context_tables(source)
    ]
    try:
        with transaction.atomic():
            if selectors.context_tables(cycle):
                raise already
            ContextTable.objects.bulk_create(copies)
    except IntegrityError:  # copied by someone else at the same moment
        raise already from None
    return copies
