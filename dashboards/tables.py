import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from indicators import domain

from .selectors import scorecard_lines

_SO = "indicator__operational_objective__strategic_objective"
# Ties in the document's order (reversed with a column sorted backwards): stable pages.
_THEN = ("perspective_order", "order", "pk")


# The rows of one page of a cruscotto, and the most a ?per_page= may ask.
MAX_PER_PAGE = 100


class ScorecardTable(tables.Table):
    """A cruscotto as in the Relazione, grouped by perspective and strategic objective by
    default. The data are the rows' queryset (``dashboards.selectors.scorecard_page_rows``):
    every column sorts in the database (% realization by the stored figure), the page is a
    slice, and only its rows become lines (:meth:`paginate`)."""

    perspective = tables.Column("Prospettiva", accessor="perspective", order_by=_THEN)
    strategic = tables.Column(
        "Obiettivo strategico",
        accessor="strategic_code",
        order_by=(f"{_SO}__code_key", f"{_SO}__code", *_THEN),
    )
    operational = tables.Column(
        "Obiettivo operativo", accessor="operational", order_by=("operational_name", *_THEN)
    )
    indicator = tables.Column(
        "Indicatore", accessor="indicator__name", order_by=("indicator__name", *_THEN)
    )
    kind = tables.Column("Tipo", accessor="indicator__kind", order_by=("indicator__kind", *_THEN))
    # Beside target and actual where the screen is wide enough (the indicator's page has it).
    baseline = tables.Column(
        "Valore di partenza",
        accessor="indicator__baseline",
        default="–",
        order_by=("indicator__baseline", *_THEN),
        attrs={
            "th": {"class": "d-none d-lg-table-cell"},
            "td": {"class": "num d-none d-lg-table-cell"},
        },
    )
    actual = tables.Column(
        "Valore ottenuto",
        accessor="indicator__actual",
        order_by=("indicator__actual", *_THEN),
        attrs={"td": {"class": "num"}},
    )
    target = tables.Column(
        "Risultato atteso",
        accessor="indicator__target",
        order_by=("indicator__target", *_THEN),
        attrs={"td": {"class": "num"}},
    )
    realization = tables.Column(
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

    def paginate(self, *args, per_page=None, **kwargs):
        # ?per_page= comes from the address: at least 1 (0 or less broke the paginator), at
        # most a full page (the work of one request stays bounded).
        per_page = MAX_PER_PAGE if per_page is None else min(max(per_page, 1), MAX_PER_PAGE)
        super().paginate(*args, per_page=per_page, **kwargs)
        rows = self.page.object_list
        rows.data = scorecard_lines(self.cycle, rows.data)
        return self

    def body_rows(self) -> list[SafeString]:
        """The page's rows as django-tables2 prints them (a cell: the column's ``render_*``
        method, its default when the value is empty, localized and escaped as ``{{ cell }}``),
        written here: its generic path inspects each method's signature and recomputes each
        column's attributes for every cell, two thirds of the cruscotto's time. Every
        ``render_*`` method takes ``record`` and ``value``."""
        columns = [
            (
                column.accessor,
                column.column.empty_values,
                column.default,
                getattr(self, f"render_{column.name}", None),
                f"<td {column.attrs['td'].as_html()}>",
            )
            for column in self.columns
        ]
        rows = []
        for row in self.paginated_rows:
            record = row.record
            cells = [f"<tr {row.attrs.as_html()}>"]
            for accessor, empty, default, render, td in columns:
                value = accessor.resolve(record)
                if value in empty:
                    cell = default
                else:
                    cell = value if render is None else render(record=record, value=value)
                cells.append(f"{td}{conditional_escape(localize(template_localtime(cell)))}</td>")
            cells.append("</tr>")
            rows.append(mark_safe("".join(cells)))  # noqa: S308 - every part escaped above
        return rows

    def render_strategic(self, record, value):
        return format_html("{} {}", record.strategic_code, record.strategic_name)

    def render_kind(self, record, value):
        return domain.KIND_LABELS.get(domain.Kind(value), value)

    def render_indicator(self, record, value):
        url = reverse("dashboards:indicator", args=[self.ente, self.year, record.indicator.id])
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
