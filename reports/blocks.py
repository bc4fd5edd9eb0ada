"""The tables and figures a narrative can place with a placeholder (see ``reports.layout``).

Each block is named by its kind and key, ``("tabella", "personale-aree")``; the context tables
by their own key (``[[tabella:labour_force]]``, and ``[[grafico:ateco_sections]]`` for the
chart of their percentage column). Built from figures the document has already loaded, plus
the unit tree for the organization chart (no other query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import charts, layout

BLOCK_TEMPLATES = "reports/blocks/"


@dataclass
class Block:
    kind: str  # a key of layout.KINDS
    key: str
    title: str
    template: str
    data: object = None
    empty: bool = False  # nothing entered yet: printed as "dati non ancora inseriti"
    svg: str = ""
    extra: dict = field(default_factory=dict)


def _percent_column(columns: list[str]) -> int | None:
    """The last percentage column of a context table (the one its chart draws)."""
    found = [i for i, c in enumerate(columns) if i and "%" in str(c)]
    return found[-1] if found else None


def context_blocks(tables, *, totals: bool = True) -> list[Block]:
    """A table per context table, and a bar chart of its percentage column when it has one.
    The statistics of section 1.1 that are all counts (firms by sector, by legal form) are
    parts of a whole and get their Totale row (``totals``); the other grids do not."""
    result = []
    for t in tables:
        rows = [list(r) for r in t.rows]
        result.append(
            Block(
                "tabella",
                t.key,
                t.title,
                "context_table.html",
                t,
                empty=not rows,
                extra={"total": layout.total_row(t.columns, rows) if totals else None},
            )
        )
        column = _percent_column(t.columns)
        if column is None or not rows:
            continue
        title = f"{t.title}: {t.columns[column]}"
        values = [
            Decimal(str(r[column])) if layout.is_number(r[column]) else None
            for r in rows
            if len(r) > column
        ]
        result.append(
            Block(
                "grafico",
                t.key,
                title,
                "chart.html",
                t,
                svg=charts.horizontal_bars(
                    title,
                    [str(r[0]) for r in rows],
                    [charts.Series(str(t.columns[column]), values, "#0066cc")],
                    decimals=1,
                    suffix="%",
                    width=640,
                    label_width=260,
                ),
                extra={"source": t.source},
            )
        )
    return result


def org_chart_block(units, year: int, title: str | None = None) -> Block | None:
    """The organization chart from the unit tree: the secretariat, its areas (or whatever
    units have units below them) with their services, and what reports to the secretariat
    directly with nothing below it (the azienda speciale)."""
    head = next((u for u in units if u.parent_id is None), None)
    if head is None:
        return None
    children: dict[int, list] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    below = children.get(head.id, [])
    # The columns: a Camera's areas, and under any body's own kinds of unit (a Comune's
    # settori, a Ministry's dipartimenti) the units below the head that have units of their own.
    areas = [u for u in below if u.kind == "area" or children.get(u.id)]
    # year_name: the name the year shows (OrgUnit.objects.as_of), not today's
    aside = [u.year_name for u in below if u not in areas]
    title = title or f"Organigramma dell'ente al 31/12/{year}"
    columns = [(a.year_name, [c.year_name for c in children.get(a.id, [])]) for a in areas]
    return Block(
        "figura",
        "organigramma",
        title,
        "chart.html",
        svg=charts.org_chart(title, head.year_name, columns, aside),
        extra={
            "description": "; ".join(
                f"{area}: {', '.join(services)}" if services else area for area, services in columns
            )
        },
    )


def document_blocks(doc, units) -> dict[tuple[str, str], Block]:
    """Every block of the document, by (kind, key)."""
    year = doc.cycle.year
    people, budget = doc.people, doc.budget
    no_staff = not people.current or people.current_total.total == 0
    no_budget = not any(
        line.total_forecast or line.total_actual for _, lines in budget.groups for line in lines
    )
    blocks = [
        *context_blocks(doc.context_tables),
        *context_blocks(doc.reserved_tables, totals=False),
        Block(
            "tabella",
            "personale-aree",
            "Numero di dipendenti a tempo pieno e a tempo parziale suddivisi per area e genere "
            f"al 31/12/{year}",
            "staff_areas.html",
            empty=no_staff,
        ),
        Block(
            "tabella",
            "lavoro-agile",
            f"Dimensioni del lavoro agile {year}",
            "smart_working.html",
            people.smart_working,
            empty=people.smart_working is None,
        ),
        Block(
            "tabella",
            "conto-economico",
            f"Conto economico {year}: preventivo aggiornato e consuntivo (euro)",
            "budget.html",
            empty=no_budget,
        ),
        Block(
            "tabella",
            "interventi-economici",
            "Interventi economici per linea di intervento (euro)",
            "interventions.html",
            empty=not any(i.forecast or i.actual for i in budget.interventions),
        ),
        Block(
            "tabella",
            "indici-bilancio",
            f"Indici e margini di bilancio: {year} e {year - 1}",
            "ratios.html",
            empty=not any(r.value is not None for _, rs in budget.ratios for r in rs),
        ),
        Block(
            "tabella",
            "partecipazioni",
            f"Portafoglio partecipazioni al 31/12/{year}",
            "holdings.html",
            empty=not budget.holdings,
        ),
        Block(
            "tabella",
            "genere",
            f"Personale in servizio per genere: {year - 1} e {year}",
            "gender.html",
            empty=no_staff,
        ),
        Block(
            "tabella",
            "genere-aree",
            f"Personale per area di inquadramento e genere: {year - 1} e {year}",
            "gender_areas.html",
            empty=no_staff,
        ),
        Block(
            "tabella",
            "part-time",
            "Dipendenti a tempo parziale per genere",
            "part_time.html",
            empty=not any(people.part_time_totals),
        ),
        Block(
            "tabella",
            "assenze",
            f"Giorni di assenza {year} per causa (escluse ferie e maternità/paternità)",
            "absences.html",
            empty=not people.absences_total,
        ),
        Block(
            "tabella",
            "congedi-parentali",
            f"Fruizione del congedo parentale {year} (giorni)",
            "parental_leave.html",
            empty=not any(total for *_, total in people.leave),
        ),
    ]
    if doc.process_phases:
        blocks.append(
            Block(
                "tabella",
                "fasi-processo",
                doc.process_phases.title,
                "phases.html",
                doc.process_phases,
                empty=not doc.process_phases.rows,
            )
        )
    chart_titles = {
        "personale-aree": ("gender", f"Personale in servizio al 31/12/{year} per area e genere"),
        "conto-economico": (
            "budget",
            f"Proventi e oneri correnti {year}: preventivo aggiornato e consuntivo (euro)",
        ),
    }
    for key, (chart, title) in chart_titles.items():
        if doc.charts.get(chart) and not (no_staff if chart == "gender" else no_budget):
            blocks.append(Block("grafico", key, title, "chart.html", svg=doc.charts[chart]))
    wording = doc.structure.wording if doc.structure else None
    organization = org_chart_block(units, year, wording.org_chart_title(year) if wording else None)
    if organization:
        blocks.append(organization)
    return {(b.kind, b.key): b for b in blocks}
