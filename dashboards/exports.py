"""A cruscotto as it is shown (filtered, in the document's order) and its CSV/XLSX export,
shared by the internal dashboards and the public pages."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django_tables2 import RequestConfig
from openpyxl import Workbook

from lib.formulas import escape_formula
from lib.xlsx_response import xlsx_response

from . import selectors
from .filters import OBJECTIVE_SEARCH, ScorecardFilter

EXPORT_COLUMNS = [
    ("Prospettiva", lambda line: line.perspective),
    ("Obiettivo strategico", lambda line: f"{line.strategic_code} {line.strategic_name}".strip()),
    ("Obiettivo operativo", lambda line: line.operational),
    ("Indicatore", lambda line: line.indicator.name),
    ("Valore ottenuto", lambda line: line.indicator.actual),
    ("Risultato atteso", lambda line: line.indicator.target),
    ("% realizzazione", lambda line: line.figure.realization_text),
    ("Stato", lambda line: line.figure.band_label),
    # The triennial plan (indicators.horizon), after the columns of the first export.
    ("Valore di partenza", lambda line: line.indicator.baseline),
    ("Anno del valore di partenza", lambda line: line.indicator.baseline_year or ""),
    ("Risultato atteso N+1", lambda line: line.indicator.target_n1),
    ("Risultato atteso N+2", lambda line: line.indicator.target_n2),
]


def scorecard_filter(cycle, scorecard, params) -> ScorecardFilter:
    """The filter form; its ``qs`` is the rows it keeps (the band on the stored figure), in
    the document's order, with the keys the table sorts by: nothing read yet."""
    return ScorecardFilter(
        params or None,
        queryset=selectors.scorecard_page_rows(scorecard),
        cycle=cycle,
        scorecard=scorecard,
    )


def scorecard_filtered(cycle, scorecard, params):
    """The filter form and every row it keeps, built (the exports: they hold them all)."""
    filterset = scorecard_filter(cycle, scorecard, params)
    return filterset, selectors.scorecard_lines(cycle, filterset.qs)


def scorecard_context(request, cycle, scorecard, table_class) -> dict:
    """A cruscotto's page, internal or public: filtered, sorted and paginated in the database
    (only the page's rows built), its summary and results paragraph from one aggregate over
    the stored figures and the rows the paragraph names."""
    filterset = scorecard_filter(cycle, scorecard, request.GET)
    table = table_class(filterset.qs, cycle=cycle)
    filtered = is_filtered(filterset)
    if scorecard.strategic_objective_id and not filtered:
        summary = selectors.objective_card_summary(cycle, scorecard)
    else:
        # The paginator's count is the summary's: one aggregate over the rows, not two.
        summary, table.data._length = selectors.scorecard_summary_counted(
            cycle, scorecard, filterset.row_filters()
        )
    RequestConfig(request, paginate=True).configure(table)  # a page: tables.MAX_PER_PAGE
    return {
        "scorecard": scorecard,
        "table": table,
        "filter": filterset,
        "summary": summary,
        "results": (
            None if filtered else selectors.scorecard_named_results(cycle, scorecard, summary)
        ),
        "query": request.GET.urlencode(),
    }


def is_filtered(filterset) -> bool:
    """Whether the page shows only some rows (a paragraph about the whole cruscotto would not
    match them)."""
    return any(
        filterset.data.get(name) for name in filterset.form.fields if name != OBJECTIVE_SEARCH
    )


def scorecard_export(scorecard, lines, fmt: str) -> HttpResponse:
    """CSV or XLSX of the rows shown, with the open data's formula-injection escaping."""
    header = [name for name, _ in EXPORT_COLUMNS]
    data = [[escape_formula(str(get(line))) for _, get in EXPORT_COLUMNS] for line in lines]
    cycle = scorecard.cycle
    filename = f"{cycle.body.slug}-cruscotto-{cycle.year}-{scorecard.slug}"
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("cruscotto")
        sheet.append(header)
        for row in data:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return xlsx_response(out.getvalue(), f"{filename}.xlsx")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(data)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
