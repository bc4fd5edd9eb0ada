import django_filters
from django import forms
from django.db.models import Case, Count, Q, When
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.prepared import Prepared
from indicators import domain
from indicators.models import ScorecardRow
from objectives.models import StrategicObjective

BAND_CHOICES = [(b.value, domain.BAND_LABELS[b]) for b in domain.Band]

OBJECTIVES_LISTED_MAX = 60  # up to so many objectives the filter lists them all
OBJECTIVES_FOUND_MAX = 20  # beyond, the matches of a search offered at once
OBJECTIVE_SEARCH = "objective_search"  # a field of the form that filters nothing by itself
_BY_ID = {"perspective", "strategic_objective"}  # filters whose values are ids

_SO = "indicator__operational_objective__strategic_objective"
# The lookup on the rows of each filter (the same SQL as a queryset's filter of the form's
# value): the page's summary is a prepared query taking them (dashboards.selectors).
ROW_LOOKUPS = {
    "perspective": f"{_SO}__perspective",
    "strategic_objective": _SO,
    "kind": "indicator__kind",
    "band": "indicator__status",
}


class PlainSelect(forms.Select):
    """Django's ``<select>``, its options written directly instead of through a template
    each (about 1 ms an option: half a second for the 500 objectives of a large cruscotto),
    and without building Django's context for each option."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        options, has_selected = [], False
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = not has_selected and text in chosen
            has_selected |= selected
            options.append(
                f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                f"{escape(label)}</option>"
            )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{"".join(options)}</select>')  # noqa: S308 - escaped above


def _objectives(scorecard_id, cycle_id):
    printed = ScorecardRow.objects.filter(scorecard_id=scorecard_id).values(_SO)
    return StrategicObjective.objects.filter(cycle_id=cycle_id, pk__in=printed)


def _cruscotto_perspectives(scorecard_id, cycle_id):
    """The perspectives of a cruscotto's objectives, each with how many of them it holds (their
    sum: whether the filter lists them all or searches them). One pass over the cruscotto's
    rows, grouped: a count beside the perspectives read them a second time (4 ms at 100x)."""
    return (
        _objectives(scorecard_id, cycle_id)
        .filter(perspective__cycle_id=cycle_id)
        .order_by("perspective__order", "perspective_id")
        .values("perspective_id", "perspective__name", "perspective__implicit")
        .annotate(n=Count("pk"))
        .values_list("perspective_id", "perspective__name", "perspective__implicit", "n")
    )


def _cruscotto_objectives(scorecard_id, cycle_id):
    return (
        _objectives(scorecard_id, cycle_id)
        .order_by("order", "code_key", "code")
        .values_list("pk", "code", "name")
    )


# The choices of both filters, two queries whatever the size of the cruscotto: its
# perspectives (and how many objectives), then its objectives, all or the matches of a search.
_PERSPECTIVES = Prepared(_cruscotto_perspectives, int, int)
_OBJECTIVES = Prepared(_cruscotto_objectives, int, int)


class ScorecardFilter(django_filters.FilterSet):
    """Filters on the database columns, the status band on the stored one
    (``Indicator.status``, the engine's band kept by every write)."""

    # The choices (the cruscotto's own perspectives and objectives) are set in __init__.
    perspective = django_filters.ChoiceFilter(
        label="Prospettiva",
        field_name=ROW_LOOKUPS["perspective"],
        choices=[],
        empty_label="Tutte",
    )
    # Only for a cruscotto with many objectives: the options of "strategic_objective" are the
    # matches of this search (code or name), not all of them (see __init__).
    objective_search = django_filters.CharFilter(
        label="Cerca l'obiettivo strategico (codice o nome)", method="search_only", max_length=80
    )
    strategic_objective = django_filters.ChoiceFilter(
        label="Obiettivo strategico",
        field_name=ROW_LOOKUPS["strategic_objective"],
        choices=[],
        empty_label="Tutti",
    )
    kind = django_filters.ChoiceFilter(
        label="Tipo di indicatore",
        field_name=ROW_LOOKUPS["kind"],
        choices=list(domain.KIND_LABELS.items()),
        empty_label="Tutti",
    )
    band = django_filters.ChoiceFilter(
        label="Stato", choices=BAND_CHOICES, method="filter_band", empty_label="Tutti"
    )

    class Meta:
        model = ScorecardRow
        fields = ["perspective", "objective_search", "strategic_objective", "kind", "band"]

    def __init__(self, *args, cycle=None, scorecard=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cycle is not None:  # the body's names of the levels, before the form is built
            self.filters["perspective"].label = cycle.levels["perspective"]
            self.filters["strategic_objective"].label = cycle.levels["strategic"]
        # The choices are the cruscotto's own objectives, not the year's: a large plan has
        # over a thousand strategic objectives, and a choice outside the cruscotto shows nothing.
        perspectives = _PERSPECTIVES.rows(scorecard.pk, cycle.pk)
        many = sum(n for *_p, n in perspectives) > OBJECTIVES_LISTED_MAX
        if many:
            found = self._found_objectives(cycle, scorecard)
            listed = [(o.pk, o.code, o.name) for o in found[:OBJECTIVES_FOUND_MAX]]
            self.objectives_more = len(found) > OBJECTIVES_FOUND_MAX
            self.objectives_search = self._search_text()
            self.objectives_none = not found
        else:
            del self.filters[OBJECTIVE_SEARCH]
            listed = _OBJECTIVES.rows(scorecard.pk, cycle.pk)
        # A plan without a first level offers no perspective (its one is implicit).
        self.filters["perspective"].extra["choices"] = [
            (pk, name) for pk, name, implicit, _n in perspectives if not implicit
        ]
        self.filters["strategic_objective"].extra["choices"] = [
            (pk, f"{code} {name}") for pk, code, name in listed
        ]
        for name, field in self.form.fields.items():
            if name == OBJECTIVE_SEARCH:
                field.widget.attrs.update({"class": "form-control", "type": "search"})
                continue
            field.widget = PlainSelect(attrs={**field.widget.attrs, "class": "form-select"})
            field.widget.choices = list(field.choices)

    objectives_more = False  # a search found more objectives than offered
    objectives_none = False  # or none
    objectives_search = ""

    def _search_text(self) -> str:
        return " ".join(str(self.data.get(OBJECTIVE_SEARCH, "")).split())[:80]

    def _found_objectives(self, cycle, scorecard) -> list:
        """The chosen objective (first) and the objectives whose code or name holds the search,
        at most ``OBJECTIVES_FOUND_MAX + 1``: one query whatever the size of the cruscotto."""
        objectives = _objectives(scorecard.pk, cycle.pk)
        value = str(self.data.get("strategic_objective", ""))
        chosen = Q(pk=int(value)) if value.isdigit() else Q(pk=None)  # a query all the same
        text = self._search_text()
        match = chosen | Q(code__icontains=text) | Q(name__icontains=text) if text else chosen
        return list(
            objectives.filter(match).order_by(
                Case(When(chosen, then=0), default=1), "code_key", "id"
            )[: OBJECTIVES_FOUND_MAX + 1]
        )

    def search_only(self, queryset, name, value):
        return queryset  # the search chooses the options, the objective filters

    def filter_band(self, queryset, name, value):
        return queryset.filter(**{ROW_LOOKUPS["band"]: value})

    def row_filters(self) -> dict[str, int | str]:
        """The filters that keep rows, as ``{lookup on the rows: value}``: the valid values of
        the form (an invalid one filters nothing, as in ``qs``)."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 - validates the form, as qs does
        kept: dict[str, int | str] = {}
        for name, lookup in ROW_LOOKUPS.items():
            value = self.form.cleaned_data.get(name)
            if value not in (None, ""):
                # The objectives' ids as numbers (a prepared query's argument keeps its type).
                kept[lookup] = int(value) if name in _BY_ID else str(value)
        return kept
