"""A new body set up in one step: the body and its rules, its organization chart, its people
(each invited by e-mail to set a password), the OIV's default checklist and the first year's
cycle in planning. One service, :func:`body_setup`, for the page *Configura l'ente*
(:mod:`workflow.onboarding_views`) and the command ``setup_body``.

It sits in workflow because it writes the core (Body, Cycle), the plan apps (OrgUnit), the
people (accounts) and the OIV's checklist (workflow). Every input is checked before anything
is written and every error is listed at once, in Italian, with where it is; then everything is
written in one transaction. The invitations (:mod:`workflow.invitations`) go out through the
task queue after the commit, as every e-mail of the app."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from accounts import permissions as perms
from accounts.models import Membership, Role
from core.levels import DEFAULT_LEVEL_LABELS
from core.models import Body, BodyKind, Cycle, level_labels
from core.scoring_method import ScoringMethodError, parse_scoring_method
from lib import italian
from lib.converters import RESERVED_BODY_SLUGS, body_slug_allowed
from lib.images import logo_errors
from lib.xlsx import Sheet, Upload
from objectives.models import OrgUnit
from objectives.unit_kinds import default_kinds

from .checklist import checklist_default_create
from .invitations import invitation_link, invitation_message, invitations_queue

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_TAX_CODE = re.compile(r"^(?:\d{11}|[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z])$")

# What a pasted or imported role may say, besides the code and the label of accounts.Role.
ROLE_WORDS = {
    "pianificazione": Role.PLANNING,
    "ufficio pianificazione": Role.PLANNING,
    "responsabile": Role.MANAGER,
    "dirigente": Role.MANAGER,
    "amministratore": Role.ADMIN,
}
# The columns of the units and of the people, each by the names a file may give it (the first
# is the one the messages print).
UNIT_KEYS = (
    ("codice", "code"),
    ("denominazione", "name"),
    ("tipo", "kind"),
    ("unità superiore", "superiore", "parent"),
)
PEOPLE_KEYS = (
    ("e-mail", "email"),
    ("nome", "name"),
    ("ruolo", "role"),
    ("unità", "unita", "units"),
)
UNIT_COLUMNS = tuple(names[0] for names in UNIT_KEYS)
PEOPLE_COLUMNS = tuple(names[0] for names in PEOPLE_KEYS)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str  # a UnitKind code of the body (objectives.unit_kinds)
    parent: str = ""  # the code of another unit of the list, or empty for a top unit


@dataclass(frozen=True)
class PersonSpec:
    email: str
    name: str
    role: str  # an accounts.Role value
    units: tuple[str, ...] = ()  # unit codes, for the managers


# A table as it may come: pasted text (tab or «;»), a workbook's sheet, or a list of specs,
# mappings (a YAML/JSON file) or rows.
Table = str | Sheet | Sequence[object]


@dataclass
class SetupResult:
    body: Body
    cycle: Cycle
    units: list[OrgUnit]
    users: list[User] = field(default_factory=list)
    invitations: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, link)


# --- Reading what was pasted, typed or imported -----------------------------------------------


def split_table(text: str) -> list[tuple[int, list[str]]]:
    """The non-empty lines of a pasted table with their numbers, cells split on tabs (a paste
    from a spreadsheet) or else on semicolons."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = line.split("\t") if "\t" in line else line.split(";")
        rows.append((number, [cell.strip() for cell in cells]))
    return rows


def _choice(
    value: str, choices: Iterable[tuple[object, object]], words: Mapping[str, str] | None = None
) -> str | None:
    """The code of a choice named by its code, its label or one of ``words``, in any case."""
    wanted = " ".join(value.lower().split())
    for code, label in choices:
        if wanted in (str(code).lower(), str(label).lower()):
            return str(code)
    found = (words or {}).get(wanted)
    return str(found) if found is not None else None


def _cells(row: object, keys: Sequence[tuple[str, ...]]) -> list[str]:
    """A row's cells in column order: a mapping by any of each column's names (a YAML/JSON
    file), or a sequence (a workbook sheet); a list in a cell (the units of a person) joined
    with commas."""
    values: list[object]
    if isinstance(row, Mapping):
        given = {str(k).strip().lower(): v for k, v in row.items()}
        values = [next((given[n] for n in names if n in given), "") for names in keys]
    elif isinstance(row, Iterable) and not isinstance(row, str):
        values = list(row)
    else:
        values = [row]
    cells = []
    for value in values:
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        cells.append("" if value is None else str(value).strip())
    return cells


def _rows(source: Table, keys: Sequence[tuple[str, ...]]) -> list[tuple[int, list[str]]]:
    """Rows numbered as the person sees them: the lines of a pasted text (a first line naming
    the columns skipped), or the items of a list (a file, a workbook sheet)."""
    if isinstance(source, Sheet):  # a workbook's sheet: its own row numbers, header apart
        rows = [(number, [str(c).strip() for c in cells]) for number, cells in source.rows]
    elif isinstance(source, str):
        rows = split_table(source)
        if rows and rows[0][1] and rows[0][1][0].lower() in keys[0]:
            rows = rows[1:]
    else:
        rows = [(number, _cells(row, keys)) for number, row in enumerate(source, start=1)]
    return [(number, _trimmed(cells)) for number, cells in rows]


def _trimmed(cells: list[str]) -> list[str]:
    """Without the empty cells at the end (a trailing «;», the blank columns of a sheet)."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _unit_specs(
    source: Table, errors: list[str], kinds: tuple[tuple[str, str], ...]
) -> list[UnitSpec]:
    """The units pasted or listed, each of a kind of the new body (``kinds``: the default set
    of its kind of body, objectives.unit_kinds, by code or name)."""
    specs = []
    named = ", ".join(f"{label.lower()} ({code})" for code, label in kinds)
    if isinstance(source, list | tuple) and all(isinstance(u, UnitSpec) for u in source):
        listed = [u for u in source if isinstance(u, UnitSpec)]
        rows = [(n, [u.code, u.name, u.kind, u.parent]) for n, u in enumerate(listed, start=1)]
    else:
        rows = list(_rows(source, UNIT_KEYS))
    for number, cells in rows:
        where = f"Unità, riga {number}"
        if len(cells) > 4:
            errors.append(
                f"{where}: {len(cells)} colonne, al massimo 4 ({', '.join(UNIT_COLUMNS)})."
            )
            continue
        code, name, kind_text, parent = (cells + [""] * 4)[:4]
        kind = _choice(kind_text, kinds)
        if kind is None:
            errors.append(f"{where}: tipo «{kind_text}» non previsto: usare uno tra {named}.")
            kind = ""
        specs.append(UnitSpec(code=code, name=name, kind=kind, parent=parent))
    return specs


def _person_specs(source: Table, errors: list[str]) -> list[PersonSpec]:
    specs = []
    roles = ", ".join(f"{label.lower()} ({code})" for code, label in Role.choices)
    if isinstance(source, list | tuple) and all(isinstance(p, PersonSpec) for p in source):
        return list(source)
    for number, cells in _rows(source, PEOPLE_KEYS):
        where = f"Persone, riga {number}"
        if len(cells) > 4:
            errors.append(
                f"{where}: {len(cells)} colonne, al massimo 4 ({', '.join(PEOPLE_COLUMNS)}); "
                "più unità si separano con la virgola."
            )
            continue
        email, name, role_text, units = (cells + [""] * 4)[:4]
        role = _choice(role_text, Role.choices, ROLE_WORDS)
        if role is None:
            errors.append(f"{where}: ruolo «{role_text}» non previsto: usare uno tra {roles}.")
            role = ""
        codes = tuple(code.strip() for code in units.split(",") if code.strip())
        specs.append(PersonSpec(email=email.lower(), name=name, role=role, units=codes))
    return specs


def units_sheet(file: Upload) -> Sheet:
    """The organization chart from a workbook: the sheet «Unità» (or the only sheet), columns
    as :data:`UNIT_COLUMNS`. Raises ``lib.xlsx.XlsxError`` (an Italian message) on a file that
    cannot be read."""
    from indicators.workbook import read_sheets
    from lib.xlsx import XlsxError

    _, sheets = read_sheets(file)
    sheet = sheets.get("Unità") or (next(iter(sheets.values())) if len(sheets) == 1 else None)
    if sheet is None:
        raise XlsxError(f"Il file non ha un foglio «Unità» (fogli: {', '.join(sheets)}).")
    header = [str(cell).strip().lower() for cell in sheet.header[:4]]
    if header[:1] and header[0] not in UNIT_KEYS[0]:
        raise XlsxError(
            f"Foglio «Unità»: la prima riga deve nominare le colonne {', '.join(UNIT_COLUMNS)}."
        )
    return sheet


# --- Checks (no write) ------------------------------------------------------------------------


def _tax_code_errors(tax_code: str) -> list[str]:
    if not tax_code:
        return ["Codice fiscale: obbligatorio."]
    if not _TAX_CODE.match(tax_code):
        return [
            f"Codice fiscale «{tax_code}»: attesi 11 cifre (il codice fiscale di un ente) o 16 "
            "caratteri (quello di una persona)."
        ]
    if len(tax_code) == 11 and not _check_digit_ok(tax_code):
        return [f"Codice fiscale «{tax_code}»: la cifra di controllo non torna, verificarlo."]
    return []


def _check_digit_ok(code: str) -> bool:
    """The check digit of an 11-digit codice fiscale (as of a partita IVA)."""
    total = 0
    for index, char in enumerate(code[:10]):
        digit = int(char)
        if index % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return (10 - total % 10) % 10 == int(code[10])


def percent_value(label: str, value: object, errors: list[str]) -> Decimal | None:
    try:
        number = value if isinstance(value, Decimal) else italian.parse_number(str(value))
    except (InvalidOperation, ValueError):
        errors.append(f"{label}: «{value}» non è un numero.")
        return None
    exponent = number.as_tuple().exponent
    if not Decimal(0) <= number <= Decimal(100) or not isinstance(exponent, int) or exponent < -2:
        errors.append(f"{label}: {value} non è una percentuale tra 0 e 100 con al più 2 decimali.")
        return None
    return number


def _body_errors(name: str, slug: str, short_name: str) -> list[str]:
    errors = []
    if not name:
        errors.append("Denominazione dell'ente: obbligatoria.")
    elif len(name) > 200:
        errors.append(f"Denominazione dell'ente: {len(name)} caratteri, al massimo 200.")
    elif Body.objects.filter(name__iexact=name).exists():
        errors.append(f"Denominazione dell'ente: «{name}» è già configurato.")
    if len(short_name) > 80:
        errors.append(f"Denominazione breve: {len(short_name)} caratteri, al massimo 80.")
    if _CONTROL.search(name) or _CONTROL.search(short_name):
        errors.append("Denominazione dell'ente: su una sola riga, senza caratteri di controllo.")
    if not body_slug_allowed(slug):
        errors.append(
            f"Codice dell'ente «{slug}»: minuscole, cifre e trattini (non solo cifre), al "
            "massimo 50 caratteri, non una parola riservata dell'applicazione "
            f"({', '.join(sorted(RESERVED_BODY_SLUGS))}); compare negli indirizzi delle pagine."
        )
    elif Body.objects.filter(slug=slug).exists():
        errors.append(
            f"Codice dell'ente «{slug}»: esiste già un ente con questo codice; nulla è stato "
            "creato (la configurazione di un ente non si ripete)."
        )
    return errors


def _body_kind(kind: str, errors: list[str]) -> str:
    """A BodyKind code from its code or label; an unknown one is an error."""
    code = _choice(str(kind), BodyKind.choices)
    if code is None:
        kinds = ", ".join(f"{label.lower()} ({code})" for code, label in BodyKind.choices)
        errors.append(f"Tipo di ente «{kind}» non previsto: usare uno tra {kinds}.")
        return ""
    return code


# Bounds on the work of one setup (the hierarchy's checks are linear, the writes are not free).
MAX_UNITS = 2000
MAX_PEOPLE = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _unit_errors(units: Sequence[UnitSpec]) -> list[str]:
    errors = []
    if not units:
        errors.append("Unità organizzative: indicarne almeno una.")
    if len(units) > MAX_UNITS:
        return [f"Unità organizzative: {len(units)}, al massimo {MAX_UNITS} in una configurazione."]
    codes = {u.code for u in units}
    seen: dict[str, int] = {}
    for number, unit in enumerate(units, start=1):
        where = f"Unità, riga {number}"
        if not unit.code or not _SLUG.match(unit.code) or len(unit.code) > 80:
            errors.append(
                f"{where}: codice «{unit.code}» non valido: solo lettere, cifre e trattini, al "
                "massimo 80 caratteri (es. promozione)."
            )
        elif unit.code in seen:
            errors.append(f"{where}: codice «{unit.code}» già usato alla riga {seen[unit.code]}.")
        else:
            seen[unit.code] = number
        if not unit.name:
            errors.append(f"{where}: denominazione obbligatoria.")
        elif len(unit.name) > 200:
            errors.append(f"{where}: denominazione di {len(unit.name)} caratteri, al massimo 200.")
        if unit.parent and unit.parent not in codes:
            errors.append(f"{where}: unità superiore «{unit.parent}» non è tra le unità elencate.")
        elif unit.parent and unit.parent == unit.code:
            errors.append(f"{where}: un'unità non può essere superiore a sé stessa.")
    errors.extend(_cycle_errors(units))
    return errors


def _cycle_errors(units: Sequence[UnitSpec]) -> list[str]:
    """A hierarchy that loops (A under B, B under A) has no top: named once per loop."""
    parent = {u.code: u.parent for u in units if u.parent and u.parent != u.code}
    reported: set[str] = set()
    errors = []
    done: set[str] = set()  # every unit is walked once: linear in the number of units
    for start in parent:
        path: dict[str, int] = {}
        code = start
        while code in parent and code not in path and code not in done:
            path[code] = len(path)
            code = parent[code]
        if code in path and not reported & path.keys():
            loop = list(path)[path[code] :]
            reported.update(loop)
            errors.append(f"Unità: la gerarchia forma un giro ({' → '.join([*loop, code])}).")
        done.update(path)
    return errors


def _person_errors(people: Sequence[PersonSpec], unit_codes: set[str]) -> list[str]:
    if len(people) > MAX_PEOPLE:
        return [f"Persone: {len(people)}, al massimo {MAX_PEOPLE} in una configurazione."]
    errors = []
    user_model = get_user_model()
    emails = [p.email for p in people if p.email]  # lower case (_person_specs)
    # A person already registered (their username is the e-mail) joins the new body with a
    # role there (an OIV member often serves several bodies); an address that belongs to
    # another account is ambiguous and refused.
    registered = set(
        user_model.objects.annotate(name=Lower("username"))
        .filter(name__in=emails)
        .values_list("name", flat=True)
    )
    taken = (
        set(
            user_model.objects.annotate(address=Lower("email"))
            .filter(address__in=emails)
            .values_list("address", flat=True)
        )
        - registered
    )
    seen: dict[str, int] = {}
    for number, person in enumerate(people, start=1):
        where = f"Persone, riga {number}"
        try:
            validate_email(person.email)
        except ValidationError:
            errors.append(f"{where}: indirizzo e-mail «{person.email}» non valido.")
        else:
            if len(person.email) > 150:  # it is the username too
                errors.append(f"{where}: e-mail di {len(person.email)} caratteri, al massimo 150.")
            if person.email in seen:
                errors.append(
                    f"{where}: e-mail «{person.email}» già usata alla riga {seen[person.email]}."
                )
            elif person.email in taken:
                errors.append(
                    f"{where}: l'e-mail «{person.email}» è di un altro utente registrato con "
                    "un nome utente diverso: indicare il suo nome utente come e-mail."
                )
            seen.setdefault(person.email, number)
        if not person.name:
            errors.append(f"{where}: nome obbligatorio.")
        elif len(person.name) > 150:
            errors.append(f"{where}: nome di {len(person.name)} caratteri, al massimo 150.")
        errors.extend(_person_unit_errors(where, person, unit_codes))
    if not any(p.role == Role.PLANNING for p in people):
        errors.append(
            "Persone: indicare almeno una persona dell'ufficio pianificazione e controllo "
            "(ruolo «pianificazione»): è chi importa il piano e porta avanti il ciclo."
        )
    return errors


def _person_unit_errors(where: str, person: PersonSpec, unit_codes: set[str]) -> list[str]:
    unknown = [code for code in person.units if code not in unit_codes]
    if unknown:
        return [f"{where}: unità {', '.join(unknown)} non tra le unità elencate."]
    if person.role == Role.MANAGER and not person.units:
        return [f"{where}: un responsabile di unità deve avere almeno un'unità (colonna «unità»)."]
    if person.role and person.role != Role.MANAGER and person.units:
        return [f"{where}: le unità si indicano solo per i responsabili di unità."]
    return []


def _method_errors(method: object) -> list[str]:
    try:
        parse_scoring_method(method)
    except ScoringMethodError as exc:
        return [f"Metodo di valutazione: {exc}"]
    return []


def _year_errors(first_year: object) -> list[str]:
    if not isinstance(first_year, int) or not 2000 <= first_year <= 2100:
        return [f"Primo anno: «{first_year}» non è un anno tra 2000 e 2100."]
    return []


# --- Writing ----------------------------------------------------------------------------------


def _units_create(body: Body, units: Sequence[UnitSpec]) -> dict[str, OrgUnit]:
    """Parents before children (the order of the list is kept for the display)."""
    created: dict[str, OrgUnit] = {}
    order = {unit.code: index for index, unit in enumerate(units)}  # a small integer field
    pending = list(units)
    while pending:
        ready = [u for u in pending if not u.parent or u.parent in created]
        for unit in ready:
            created[unit.code] = OrgUnit.objects.create(
                body=body,
                parent=created.get(unit.parent),
                kind=unit.kind,
                name=unit.name,
                slug=unit.code,
                order=order[unit.code],
            )
        pending = [u for u in pending if u.code not in created]
    return created


def _person_create(person: PersonSpec, body: Body, units: dict[str, OrgUnit]) -> User | None:
    """The person's role in the new body: a new account (returned, to be invited), or a role
    added to a registered person's account (None: they already have a password). A body's
    administrator is staff of the admin, never a superuser of the installation."""
    user_model = get_user_model()
    existing = user_model.objects.filter(username__iexact=person.email).first()
    if existing is None:
        first, _, last = person.name.partition(" ")
        user = user_model.objects.create_user(
            username=person.email,
            email=person.email,
            first_name=first[:150],
            last_name=last[:150],
            is_staff=person.role in (Role.PLANNING, Role.ADMIN),
        )  # no password: an unusable one until the person sets theirs from the invitation
    else:
        user = existing
        if person.role in (Role.PLANNING, Role.ADMIN) and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    membership = Membership.objects.create(user=user, body=body, role=person.role)
    membership.units.set([units[code] for code in person.units])
    return user if existing is None else None


def body_setup(
    *,
    name: str,
    tax_code: str,
    units: Table,
    people: Table,
    first_year: int,
    short_name: str = "",
    slug: str = "",
    kind: str = BodyKind.OTHER,
    logo: File | None = None,
    band_achieved_from: Decimal | int | str = Decimal(90),
    band_partial_from: Decimal | int | str = Decimal(60),
    missed_deadline_pct: Decimal | int | str = Decimal(0),
    scoring_method: object = None,
    user: User | None = None,
    site_url: str = "",
    levels: Mapping[str, str] | None = None,
) -> SetupResult:
    """Create a body with everything it needs to start its first year, all or nothing.

    ``units``: a pasted table (tab or ``;``: code, name, kind, parent code) or a list of
    :class:`UnitSpec`, mappings or rows (a workbook sheet, a YAML/JSON file); ``people`` the
    same with e-mail, name, role, unit codes (comma-separated). ``kind``: a
    :class:`core.models.BodyKind`, by code or label; ``logo``: a PNG or JPEG file, or none;
    ``scoring_method``: the body's SMVP as the JSON of :mod:`core.scoring_method`, or none;
    ``levels``: the names of the levels of its plan (``perspective_label``... of
    :data:`core.models.LEVEL_LABELS`), the defaults where missing.
    ``user``: who asks (the page:
    an administrator); ``None`` from the command line. Raises ``ValidationError`` with every
    error of the input; on success each person has been sent (after the commit, through the
    task queue) an invitation with a link to set the password."""
    if user is not None:
        perms.ensure(
            perms.can_setup_body(user), "Solo l'amministratore di sistema configura un ente."
        )
    name, short_name, tax_code = name.strip(), short_name.strip(), tax_code.strip().upper()
    slug = (slug or slugify(short_name or name)[:50]).strip()
    errors: list[str] = []
    kind_errors: list[str] = []  # listed after the body's, as before the units had kinds
    body_kind = _body_kind(kind, kind_errors)
    unit_specs = _unit_specs(units, errors, default_kinds(body_kind))
    person_specs = _person_specs(people, errors)
    errors += _body_errors(name, slug, short_name) + _tax_code_errors(tax_code) + kind_errors
    logo_suffix = ""
    if logo is not None:
        logo_problems, logo_suffix = logo_errors(logo, logo.size or 0)
        errors += logo_problems
    achieved = percent_value("Soglia «raggiunto»", band_achieved_from, errors)
    partial = percent_value("Soglia «parzialmente raggiunto»", band_partial_from, errors)
    missed = percent_value("Realizzazione di una scadenza mancata", missed_deadline_pct, errors)
    if achieved is not None and partial is not None and partial > achieved:
        errors.append(
            f"Soglie: «parzialmente raggiunto» ({partial}%) supera «raggiunto» ({achieved}%)."
        )
    errors += _method_errors(scoring_method)
    errors += _unit_errors(unit_specs)
    errors += _person_errors(person_specs, {u.code for u in unit_specs})
    errors += _year_errors(first_year)
    unknown = sorted(set(levels or {}) - set(DEFAULT_LEVEL_LABELS))
    if unknown:
        errors.append(f"Nomi dei livelli non previsti: {', '.join(unknown)}.")
    labels = level_labels(errors, **{k: v for k, v in (levels or {}).items() if k not in unknown})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        body = Body.objects.create(
            name=name,
            short_name=short_name,
            slug=slug,
            kind=body_kind,
            tax_code=tax_code,
            band_achieved_from=achieved,
            band_partial_from=partial,
            missed_deadline_pct=missed,
            scoring_method=scoring_method or {},
            **labels,
        )
        if logo is not None:
            body.logo.save(f"logo{logo_suffix}", logo, save=True)
        created = _units_create(body, unit_specs)
        checklist_default_create(body)
        cycle = Cycle.objects.create(body=body, year=first_year, state=Cycle.State.PLANNING)
        result = SetupResult(body=body, cycle=cycle, units=list(created.values()))
        messages = []
        for person in person_specs:
            new = _person_create(person, body, created)
            if new is None:
                continue
            link = invitation_link(new, site_url)
            result.users.append(new)
            result.invitations.append((new.email, link))
            messages.append(invitation_message(new, person.role, body, link))
        invitations_queue(messages)
    return result
