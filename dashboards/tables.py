import copy
from html import escape  # Django's escape without its lazy wrapper: the same text

import django_tables2 as tables
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from indicators import domain
from lib.links import url_filler

from .page_lines import TableLine, scorecard_page_lines

_SO = "indicator__operational_objective__strategic_objective"
# Ties in the document's order (reversed with a column sorted backwards): stable pages.
_THEN = ("perspective_order", "order", "pk")


# The rows of one page of a cruscotto, and the most a ?per_page= may ask.
MAX_PER_PAGE = 100


class _Column(tables.Column):
    """django-tables2's column, copied for each table attribute by attribute, not deeply: a
    table (django-tables2's, and ours for the body's names of the levels) only sets a copy's
    attributes (accessor, visible, verbose_name), never changes its attrs or ordering in place.
    Copying the ten columns deeply was a tenth of the unit cruscotto's time at 1x."""

    def __deepcopy__(self, memo):
        return copy.copy(self)


class ScorecardTable(tables.Table):
    """A cruscotto as in the Relazione, grouped by perspective and strategic objective by
    default. The data are the rows' queryset (``dashboards.selectors.scorecard_page_rows``):
    every column sorts in the database (% realization by the stored figure), the page is a
    slice, and only its rows become lines (:meth:`paginate`)."""

    perspective = _Column("Prospettiva", accessor="perspective", order_by=_THEN)
    strategic = _Column(
        "Obiettivo strategico",
        accessor="strategic_code",
        order_by=(f"{_SO}__code_key", f"{_SO}__code", *_THEN),
    )
    operational = _Column(
        "Obiettivo operativo", accessor="operational", order_by=("operational_name", *_THEN)
    )
    indicator = _Column(
        "Indicatore", accessor="indicator__name", order_by=("indicator__name", *_THEN)
    )
    kind = _Column("Tipo", accessor="indicator__kind", order_by=("indicator__kind", *_THEN))
    # Beside target and actual where the screen is wide enough (the indicator's page has it).
    baseline = _Column(
        "Valore di partenza",
        accessor="indicator__baseline",
        default="–",
        order_by=("indicator__baseline", *_THEN),
        attrs={
            "th": {"class": "d-none d-lg-table-cell"},
            "td": {"class": "num d-none d-lg-table-cell"},
        },
    )
    actual = _Column(
        "Valore ottenuto",
        accessor="indicator__actual",
        order_by=("indicator__actual", *_THEN),
        attrs={"td": {"class": "num"}},
    )
    target = _Column(
        "Risultato atteso",
        accessor="indicator__target",
        order_by=("indicator__target", *_THEN),
        attrs={"td": {"class": "num"}},
    )
    realization = _Column(
        "% realizzazione",
        accessor="figure__realization",
        order_by=("realization_key", *_THEN),
        attrs={"td": {"class": "num"}},
    )

    class Meta:
        # django-tables2's bootstrap5 table, its body printed by :meth:`body_rows`.
        template_name = "dashboards/_scorecard_table.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        orderable = True

    indicator_url = "dashboards:indicator"  # the page an indicator's name links to

    def __init__(self, *args, cycle, **kwargs):
        self.cycle = cycle
        self.year = cycle.year
        self.ente = cycle.body.slug
        super().__init__(*args, **kwargs)
        # The body's name of the level (Cycle.levels); the columns are this table's own copies.
        levels = cycle.levels
        for column in ("perspective", "strategic", "operational"):
            self.columns[column].column.verbose_name = levels[column]

    def order_realization(self, queryset, is_descending):
        # The highest % first keeps the ties (and the not valued, last) in the document's order.
        key = F("realization_key")
        return queryset.order_by(key.desc() if is_descending else key.asc(), *_THEN), True

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        # ?per_page= comes from the address: at least 1 (0 or less broke the paginator), at
        # most a full page (the work of one request stays bounded).
        per_page = MAX_PER_PAGE if per_page is None else min(max(per_page, 1), MAX_PER_PAGE)
        # A page out of range is the first or the last, as RequestConfig would choose, but with
        # its lines built (RequestConfig's own fallback skips this method: it was a 500).
        try:
            super().paginate(paginator_class, per_page, page, *args, **kwargs)
        except PageNotAnInteger:
            super().paginate(paginator_class, per_page, 1, *args, **kwargs)
        except EmptyPage:
            last = self.paginator.num_pages
            super().paginate(paginator_class, per_page, last, *args, **kwargs)
        rows = self.page.object_list
        rows.data = scorecard_page_lines(self.cycle, rows.data)
        return self

    def body_rows(self) -> list[SafeString]:
        """The page's rows as django-tables2 prints them (a cell: the column's ``render_*``
        method, its default when the value is empty, localized and escaped as ``{{ cell }}``),
        written here as plain strings: its generic path, and format_html for each cell, were
        most of the cruscotto's time. tests/test_render_cost.py compares the two."""
        head, tail = url_filler(self.indicator_url, self.ente, self.year)
        # Each text escaped once a page: a page repeats its perspectives, objectives, units of
        # measure and bands on many rows (the memo is this call's, nothing kept after it).
        memo: dict[str, str] = {}

        def esc(text: str) -> str:
            escaped = memo.get(text)
            if escaped is None:
                escaped = memo[text] = escape(text)
            return escaped

        cells = {
            "perspective": _text_cell("perspective"),
            "strategic": _strategic_cell,
            "operational": _text_cell("operational"),
            "indicator": lambda line, esc: (
                f'<a href="{head}{int(line.figure.indicator.id)}{tail}">'
                f"{esc(line.figure.indicator.name)}</a>"
                if line.figure.indicator.name
                else None
            ),
            "kind": _kind_cell,
            "baseline": _baseline_cell,
            "actual": lambda line, esc: esc(line.figure.indicator.actual) or None,
            "target": lambda line, esc: esc(line.figure.indicator.target) or None,
            "realization": _realization_cell,
        }
        columns = [
            (
                f"<td {column.attrs['td'].as_html()}>",
                cells[column.name],
                conditional_escape(column.default),
            )
            for column in self.columns
        ]
        if self.row_attrs:
            raise ImproperlyConfigured("ScorecardTable: body_rows non scrive row_attrs.")
        rows = []
        for counter, line in enumerate(self.paginated_rows.data):
            parts = ['<tr class="odd">' if counter % 2 else '<tr class="even">']
            for td, cell, default in columns:
                html = cell(line, esc)
                parts.append(f"{td}{default if html is None else html}</td>")
            parts.append("</tr>")
            rows.append(mark_safe("".join(parts)))  # noqa: S308 - every part escaped above
        return rows

    def render_strategic(self, record, value):
        return format_html("{} {}", record.strategic_code, record.strategic_name)

    def render_kind(self, record, value):
        return domain.KIND_LABELS.get(domain.Kind(value), value)

    def render_indicator(self, record, value):
        url = reverse(self.indicator_url, args=[self.ente, self.year, record.indicator.id])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_baseline(self, record, value):
        year = record.indicator.baseline_year
        if year is None:
            return value
        return format_html('{} <small class="text-muted">({})</small>', value, year)

    def render_realization(self, record, value):
        f = record.figure
        meter = format_html(
            '<meter class="realization" min="0" max="100" low="60" high="90" optimum="100" '
            'value="{}" aria-hidden="true"></meter> ',
            format(f.realization or 0, "f"),
        )
        badge = format_html(
            '<span class="band band-{}"><span aria-hidden="true">{}</span> {} '
            '<small class="visually-hidden">{}</small></span>',
            f.band,
            f.band_icon,
            f.realization_text,
            f.band_label,
        )
        # The note prints only for a corrected figure: no template rendered for the others.
        corrected = (
            render_to_string("includes/correction.html", {"correction": f.correction})
            if f.correction
            else ""
        )
        return format_html("{}{}{}", meter, badge, corrected)  # rendered (and escaped) safe

    def value_realization(self, record):
        return record.figure.realization_text


# The cells of body_rows: each the escaped HTML of a line's cell, None for the column's default
# (django-tables2's empty values: None and "").


def _text_cell(name: str):
    return lambda line, esc: esc(getattr(line, name)) or None


def _strategic_cell(line: TableLine, esc) -> str | None:
    if not line.strategic_code:
        return None
    return f"{esc(line.strategic_code)} {esc(line.strategic_name)}"


def _kind_cell(line: TableLine, esc) -> str | None:
    kind = line.figure.indicator.kind
    return esc(domain.KIND_LABELS.get(domain.Kind(kind), kind)) if kind else None


def _baseline_cell(line: TableLine, esc) -> str | None:
    indicator = line.figure.indicator
    if not indicator.baseline:
        return None
    if indicator.baseline_year is None:
        return esc(indicator.baseline)
    year = int(indicator.baseline_year)
    return f'{esc(indicator.baseline)} <small class="text-muted">({year})</small>'


def _realization_cell(line: TableLine, esc) -> str | None:
    f = line.figure
    if f.realization is None:
        return None
    corrected = (
        render_to_string("includes/correction.html", {"correction": f.correction})
        if f.correction
        else ""
    )
    return (
        '<meter class="realization" min="0" max="100" low="60" high="90" optimum="100" '
        f'value="{format(f.realization or 0, "f")}" aria-hidden="true"></meter> '
        f'<span class="band band-{esc(f.band)}"><span aria-hidden="true">'
        f"{esc(f.band_icon)}</span> {esc(f.realization_text)} "
        f'<small class="visually-hidden">{esc(f.band_label)}</small></span>{corrected}'
    )
