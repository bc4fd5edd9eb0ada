"""The structure of the Relazione per kind of body: which parts the document, the menus and the
year's pages have, how they are numbered and worded. One definition, pure (no Django), for the
PDF (``reports``), the pages and menus (``public``, ``relazione.navigation``), the list of texts
to write and the submission's gaps (``workflow``).

A part is named by its narrative's key (``narratives.models.NarrativeKey``). A part is left out
of a year's document when

- the kind of body does not have it (the *obiettivi comuni di sistema* are the Camere di
  commercio's, set by Unioncamere);
- the planning office left it out for the year (``Cycle.omitted_sections``, copied from the
  body's ``omitted_sections`` and frozen with the year like its other rules);
- it has no data (no cruscotti of its section, no budget lines, no staff) and no text: a part
  is never printed with zeros, and a text the planning office wrote is never dropped silently.
  While the year is open for data entry (planning, monitoring) the resources' parts stay,
  marked "dati non ancora inseriti": their figures are still to come (the cycle page lists
  them among what the submission needs), whereas a section of cruscotti the plan lacks is
  left out at once.

The parts left out are listed with their reason in the *Nota metodologica*, for the OIV."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import machine

CHAMBER, MUNICIPALITY, REGION, OTHER = "camera", "comune", "regione", "altro"

# The parts of the document in print order: (key, chapter, default title). The premessa, the
# methodology note and the annexes are outside the numbering and always printed.
PREMESSA = "premessa"
CONTEXT = "contesto_economico"
INSTITUTIONAL = "contesto_istituzionale"
ADMINISTRATION = "amministrazione"
STAFF = "risorse_umane"
BUDGET = "risorse_economiche"
MAP = "mappa_strategica"
STRATEGIC = "obiettivi_strategici"  # no narrative of its own: each objective has its text
COMMON = "obiettivi_comuni"
UNITS = "obiettivi_operativi"
GENDER = "bilancio_di_genere"
INDIVIDUAL = "obiettivi_individuali"
PROCESS = "processo"

CHAPTERS = {
    1: "Analisi del contesto e delle risorse",
    2: "Rendicontazione della performance organizzativa",
}
PARTS: tuple[tuple[str, int, str], ...] = (
    (CONTEXT, 1, "Il quadro economico"),
    (INSTITUTIONAL, 1, "Il contesto normativo e istituzionale"),
    (ADMINISTRATION, 1, "L'amministrazione"),
    (STAFF, 1, "Le risorse umane"),
    (BUDGET, 1, "Le risorse economiche"),
    (MAP, 2, "Mappa strategica"),
    (STRATEGIC, 2, "Rendicontazione degli obiettivi strategici"),
    (COMMON, 2, "Obiettivi comuni di sistema"),
    (UNITS, 2, "Obiettivi operativi"),
    (GENDER, 2, "Bilancio di genere"),
    (INDIVIDUAL, 3, "Rendicontazione degli obiettivi individuali"),
    (PROCESS, 4, "Il processo di misurazione e valutazione"),
)
TITLES = {key: title for key, _chapter, title in PARTS}
# The titles that name a level of the plan: (the default words in the title, the level's
# plural in ``Cycle.levels`` and its default, the neutral form the body's own name takes, free
# of the article's gender: "Rendicontazione: Obiettivi di DUP").
LEVEL_TITLES = {
    STRATEGIC: ("degli obiettivi strategici", "strategics", "Obiettivi strategici", ": {}"),
    UNITS: ("Obiettivi operativi", "operationals", "Obiettivi operativi", "{}"),
}
# What "has data" means for the parts that are left out without it: the key of the data flag.
DATA_OF = {
    STAFF: "staff",
    BUDGET: "budget",
    COMMON: "common",
    UNITS: "units",
    GENDER: "staff",
    INDIVIDUAL: "individuals",
}
NO_DATA = {
    "staff": "nessun dato sul personale per l'anno",
    "budget": "nessuna voce di bilancio per l'anno",
    "common": "nessun obiettivo comune per l'anno",
    "units": "nessun cruscotto di unità organizzativa per l'anno",
    "individuals": "nessun cruscotto individuale per l'anno",
}
# Data entered during the year: awaited, not missing, while the year is open for entry.
AWAITED_DATA = frozenset({"staff", "budget"})
ENTRY_STATES = frozenset({machine.PLANNING, machine.MONITORING})
# The parts the planning office may leave out of a year (Cycle.omitted_sections).
OPTIONAL = (CONTEXT, COMMON, GENDER, INDIVIDUAL)


@dataclass(frozen=True)
class Wording:
    """How the document names the body where it speaks of it generically."""

    kind_label: str  # "Camera di commercio"
    of_body: str  # "della Camera di commercio", "del Comune", "dell'ente"
    # Labels of the conto economico's groups A-E (finance.models.BudgetLine.Group)
    budget_groups: Mapping[str, str]
    budget_totals: Mapping[str, str]  # labels of finance.domain.conto_economico_totals
    titles: Mapping[str, str] = field(default_factory=dict)  # titles that differ by kind

    def org_chart_title(self, year: int) -> str:
        return f"Organigramma {self.of_body} al 31/12/{year}"


# D.P.R. 254/2005 (the Camere di commercio's conto economico): today's labels.
CHAMBER_BUDGET_GROUPS = {
    "A": "A) Proventi correnti",
    "B": "B) Oneri correnti",
    "C": "C) Gestione finanziaria",
    "D": "D) Gestione straordinaria",
    "E": "E) Rettifiche di valore attività finanziaria",
}
CHAMBER_BUDGET_TOTALS = {
    "proventi_correnti": "TOTALE PROVENTI CORRENTI (A)",
    "oneri_correnti": "TOTALE ONERI CORRENTI (B)",
    "risultato_gestione_corrente": "Risultato Gestione Corrente (A)-(B)",
    "risultato_esercizio": "RISULTATO ECONOMICO D'ESERCIZIO",
}
# Any other body: the same five groups in the words of an accrual conto economico.
GENERIC_BUDGET_GROUPS = {
    "A": "A) Componenti positivi della gestione",
    "B": "B) Componenti negativi della gestione",
    "C": "C) Proventi e oneri finanziari",
    "D": "D) Proventi e oneri straordinari",
    "E": "E) Rettifiche di valore di attività finanziarie",
}
GENERIC_BUDGET_TOTALS = {
    "proventi_correnti": "TOTALE COMPONENTI POSITIVI DELLA GESTIONE (A)",
    "oneri_correnti": "TOTALE COMPONENTI NEGATIVI DELLA GESTIONE (B)",
    "risultato_gestione_corrente": "Differenza tra componenti positivi e negativi (A)-(B)",
    "risultato_esercizio": "RISULTATO DELL'ESERCIZIO",
}
WORDINGS = {
    CHAMBER: Wording(
        "Camera di commercio",
        "della Camera di commercio",
        CHAMBER_BUDGET_GROUPS,
        CHAMBER_BUDGET_TOTALS,
    ),
    MUNICIPALITY: Wording(
        "Comune",
        "del Comune",
        GENERIC_BUDGET_GROUPS,
        GENERIC_BUDGET_TOTALS,
        titles={
            STRATEGIC: "Rendicontazione degli obiettivi strategici (DUP, sezione strategica)",
            UNITS: "Obiettivi operativi (DUP, sezione operativa)",
        },
    ),
    REGION: Wording("Regione", "dell'ente", GENERIC_BUDGET_GROUPS, GENERIC_BUDGET_TOTALS),
    OTHER: Wording(
        "Amministrazione pubblica", "dell'ente", GENERIC_BUDGET_GROUPS, GENERIC_BUDGET_TOTALS
    ),
}
# The parts a kind of body has (the others are left out whatever the data).
KIND_PARTS = {
    CHAMBER: frozenset(TITLES),
    MUNICIPALITY: frozenset(TITLES) - {COMMON},
    REGION: frozenset(TITLES) - {COMMON},
    OTHER: frozenset(TITLES) - {COMMON},
}
NOT_OF_KIND = "sezione propria delle Camere di commercio (obiettivi comuni Unioncamere)"
LEFT_OUT_BY_OFFICE = "esclusa dall'ufficio di pianificazione per questo anno"


@dataclass(frozen=True)
class Part:
    key: str
    number: str  # "2.4", or "3" for a part that is a chapter
    title: str

    @property
    def heading(self) -> str:
        separator = " " if "." in self.number else ". "  # "2.4 Obiettivi", "3. Obiettivi"
        return f"{self.number}{separator}{self.title}"


@dataclass(frozen=True)
class Omission:
    key: str
    title: str
    reason: str


@dataclass(frozen=True)
class Structure:
    kind: str
    wording: Wording
    parts: tuple[Part, ...]
    chapters: tuple[tuple[int, str, str], ...]  # (original chapter, printed number, title)
    omitted: tuple[Omission, ...]

    @property
    def shows(self) -> dict[str, bool]:
        """For templates: ``structure.shows.obiettivi_comuni``."""
        present = {p.key for p in self.parts}
        return {key: key in present for key in TITLES}

    @property
    def numbers(self) -> dict[str, str]:
        return {p.key: p.number for p in self.parts}

    @property
    def headings(self) -> dict[str, str]:
        return {p.key: p.heading for p in self.parts}

    @property
    def chapter_numbers(self) -> dict[int, str]:
        return {chapter: number for chapter, number, _title in self.chapters}

    @property
    def chapter_headings(self) -> dict[str, str]:
        """For templates, by the chapter's original number as a string: ``"1"``."""
        return {str(chapter): f"{number}. {title}" for chapter, number, title in self.chapters}

    def has(self, key: str) -> bool:
        return any(p.key == key for p in self.parts)

    @property
    def narrative_keys(self) -> tuple[str, ...]:
        """The texts the planning office writes for the year: the premessa and one per part
        (the strategic objectives' texts are on the objectives)."""
        return (PREMESSA, *(p.key for p in self.parts if p.key != STRATEGIC))


def parse_omitted(value: str | Iterable[str] | None) -> frozenset[str]:
    """The setting as stored (codes separated by commas or spaces), optional parts only."""
    if value is None:
        return frozenset()
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    return frozenset(item.strip() for item in items if item.strip() in OPTIONAL)


def invalid_omitted(value: str) -> list[str]:
    """The codes of the setting that name no optional part (for the form's validation)."""
    return [item for item in value.replace(",", " ").split() if item not in OPTIONAL]


def optional_parts(kind: str) -> tuple[tuple[str, str], ...]:
    """The parts a body of ``kind`` may leave out of its years, with their titles as it words
    them (the choices of the page *Regole di valutazione*)."""
    of_kind = KIND_PARTS.get(kind, KIND_PARTS[OTHER])
    titles = wording_of(kind).titles
    return tuple((key, titles.get(key, TITLES[key])) for key in OPTIONAL if key in of_kind)


def wording_of(kind: str) -> Wording:
    return WORDINGS.get(kind, WORDINGS[OTHER])


def level_title(key: str, title: str, levels: Mapping[str, str] | None) -> str:
    """``title`` with the year's name of the level it speaks of (``Cycle.levels``), when the
    body renamed it; the default wording otherwise, byte for byte."""
    if key not in LEVEL_TITLES or not levels:
        return title
    words, level, default, form = LEVEL_TITLES[key]
    name = levels.get(level, "")
    if not name or name == default or words not in title:
        return title
    head, tail = title.split(words, 1)
    return f"{head.rstrip()}{form.format(name)}{tail}"


def objective_caption(levels: Mapping[str, str], code: str) -> str:
    """The title of a strategic objective's cruscotto in the document: the default wording, or
    the body's name of the level in a form free of the article's gender."""
    name = levels.get("strategic", "")
    if not name or name == "Obiettivo strategico":  # core.levels.DEFAULT_LEVEL_LABELS
        return f"Cruscotto dell'obiettivo strategico {code}"
    return f"Cruscotto: {name} {code}"


def build(
    kind: str,
    omitted: str | Iterable[str] | None = None,
    data: Mapping[str, bool] | None = None,
    written: Iterable[str] = (),
    state: str | None = None,
    levels: Mapping[str, str] | None = None,
) -> Structure:
    """The structure of a year: ``kind`` of the body, the parts the planning office left out,
    and, when known, which data the year has (``DATA_OF`` values -> bool) and which texts are
    written. Without ``data`` only the kind and the setting count (the pages that do not look
    at the data, the list of texts). ``state``: the year's (``core.machine``), for the data
    still awaited (``AWAITED_DATA``). ``levels``: the year's names of the plan's levels
    (``Cycle.levels``), for the titles that name one (``LEVEL_TITLES``)."""
    wording = wording_of(kind)
    of_kind = KIND_PARTS.get(kind, KIND_PARTS[OTHER])
    left_out = parse_omitted(omitted)
    texts = set(written)
    awaited = AWAITED_DATA if state in ENTRY_STATES else frozenset()
    kept: list[tuple[str, int, str]] = []
    dropped: list[Omission] = []
    for key, chapter, default in PARTS:
        title = level_title(key, wording.titles.get(key, default), levels)
        if key not in of_kind:
            reason = NOT_OF_KIND
        elif key in left_out:
            reason = LEFT_OUT_BY_OFFICE
        elif data is not None and key in DATA_OF and not data.get(DATA_OF[key], False):
            if key in texts or DATA_OF[key] in awaited:
                kept.append((key, chapter, title))
                continue
            reason = NO_DATA[DATA_OF[key]]
        else:
            kept.append((key, chapter, title))
            continue
        # A part of another kind is not named in the note: a Comune's OIV does not read of
        # the Camere's sections.
        if key in of_kind:
            dropped.append(Omission(key, title, reason))
    chapters: list[tuple[int, str, str]] = []
    parts: list[Part] = []
    for chapter in sorted({c for _k, c, _t in kept}):
        number = str(len(chapters) + 1)
        inside = [(k, t) for k, c, t in kept if c == chapter]
        if chapter in CHAPTERS:
            chapters.append((chapter, number, CHAPTERS[chapter]))
            parts += [Part(k, f"{number}.{i}", t) for i, (k, t) in enumerate(inside, start=1)]
        else:  # a chapter made of one part
            key, title = inside[0]
            chapters.append((chapter, number, title))
            parts.append(Part(key, number, title))
    return Structure(kind, wording, tuple(parts), tuple(chapters), tuple(dropped))


def omission_paragraphs(structure: Structure) -> tuple[str, ...]:
    """The note's paragraphs on the parts left out (empty when none is)."""
    return tuple(f"«{o.title}»: {o.reason}." for o in structure.omitted)
