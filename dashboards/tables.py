import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from indicators import domain


class ScorecardTable(tables.Table):
    """A cruscotto as in the Relazione: rows sortable by any column (in Python, since the
    realization is computed), grouped by perspective and strategic objective by default."""

    perspective = tables.Column("Prospettiva", accessor="perspective", order_by=("sort_key",))
    strategic = tables.Column(
        "Obiettivo strategico", accessor="strategic_code", order_by=("strategic_sort",)
    )
    operational = tables.Column("Obiettivo operativo", accessor="operational")
    indicator = tables.Column("Indicatore", accessor="indicator__name")
    kind = tables.Column("Tipo", accessor="indicator__kind")
    actual = tables.Column(
        "Valore ottenuto", accessor="indicator__actual", attrs={"td": {"class": "num"}}
    )
    target = tables.Column(
        "Risultato atteso", accessor="indicator__target", attrs={"td": {"class": "num"}}
    )
    realization = tables.Column(
        "% realizzazione", accessor="figure__realization", attrs={"td": {"class": "num"}}
    )

    class Meta:
        template_name = "django_tables2/bootstrap5.html"
        attrs = {"class": "table table-sm table-hover align-middle"}
        orderable = True

    def __init__(self, *args, cycle, **kwargs):
        self.year = cycle.year
        self.ente = cycle.body.slug
        super().__init__(*args, **kwargs)
        # The body's name of the level (Cycle.levels); the columns are this table's own copies.
        self.columns["perspective"].column.verbose_name = cycle.levels["perspective"]

    def render_strategic(self, record):
        return format_html("{} {}", record.strategic_code, record.strategic_name)

    def render_kind(self, value):
        return domain.KIND_LABELS.get(domain.Kind(value), value)

    def render_indicator(self, record, value):
        url = reverse("dashboards:indicator", args=[self.ente, self.year, record.indicator.id])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_realization(self, record):
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
        corrected = render_to_string("includes/correction.html", {"correction": f.correction})
        return format_html("{}{}{}", meter, badge, corrected)  # rendered (and escaped) safe

    def value_realization(self, record):
        return record.figure.realization_text
