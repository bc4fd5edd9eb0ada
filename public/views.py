"""Amministrazione trasparente: the published years only, read-only, for everybody.

The pages reuse the dashboard selectors and templates (with ``public=True``: links stay under
/trasparenza/, nothing internal is shown); every view of a year is cached per publication
version and answers conditional GETs (public/cache.py)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from consistency.selectors import corrections_of_area
from core.models import Cycle
from dashboards import selectors as objective_selectors
from dashboards import trends
from dashboards.exports import scorecard_context, scorecard_export, scorecard_filtered
from dashboards.parts import common_absent
from indicators.rollup import figure_for
from objectives.selectors import scorecard_get
from reports.selectors import methodology_page
from resources.structure import year_structure

from . import benchmark as bench
from . import documents, opendata
from .cache import cache_timeout, installation_view, published_view
from .selectors import publication_of, published_years
from .tables import PublicScorecardTable


def ping(request):
    """A trivial Django view: the baseline of bench/public_load.py."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _render(request, template, cycle, **extra):
    context = {
        "cycle": cycle,
        "years": published_years(body_id=cycle.body_id),
        "public": True,
        "base_template": "public/base.html",
        # Rendered for nobody in particular: the page is cached and shown to everybody.
        "user": AnonymousUser(),
        "messages": (),
        "show_internal": False,
        "license": settings.RELAZIONE["OPEN_DATA_LICENSE"],
        "parts": year_structure(cycle).shows,  # the menu and the year's links (core.structure)
        **extra,
    }
    return render(request, template, context)


@require_safe
def index(request):
    """The bodies of the installation with their published years, cached under the set of
    (body, year, publication version): any (re)publication or withdrawal changes the key. One
    query per request; an installation publishing for one body goes straight to its page."""
    published = list(
        Cycle.objects.filter(state=Cycle.State.PUBLISHED)
        .order_by("body__name", "-year")
        .values_list("body__slug", "body__name", "year", "publication__version", "body__kind")
    )
    bodies = {slug: name for slug, name, _year, _version, _kind in published}
    if len(bodies) == 1:
        return redirect("public:body", ente=next(iter(bodies)))
    return _cached_page(
        request,
        "public:index:",
        published,
        "public/bodies.html",
        {
            "bodies": [
                (slug, name, [y for s, _n, y, _v, _k in published if s == slug])
                for slug, name in bodies.items()
            ],
            "comparisons": any(bench.has_comparisons(row[4]) for row in published),
        },
    )


@require_safe
def body_home(request):
    """One body's published years; ``?anno=`` (the year selector) goes to that year. One query
    per request, by the body's code: the key holds the years, their versions and the body's
    names, so a (re)publication, a withdrawal or a new name shows at once. An unknown body and
    one without a published year are the same 404."""
    slug = request.current_body_slug
    published = list(
        Cycle.objects.filter(body__slug=slug, state=Cycle.State.PUBLISHED)
        .order_by("-year")
        .values_list("year", "publication__version", "body__name", "body__short_name", "body__kind")
    )
    years = [row[0] for row in published]
    if not years:
        raise Http404("Nessuna Relazione pubblicata da questo ente.")
    year = request.GET.get("anno", "")
    if year.isdigit() and int(year) in years:
        return redirect("public:year", ente=slug, year=int(year))
    context = {
        "years": years,
        "body": request.current_body,  # read on a miss only
        "comparisons": bench.has_comparisons(published[0][4]),
    }
    return _cached_page(request, f"public:body:{slug}:", published, "public/index.html", context)


def _cached_page(request, prefix, published, template, context):
    key = prefix + hashlib.sha256(repr(published).encode()).hexdigest()[:32]
    content = cache.get(key)
    if content is None:
        request.user = AnonymousUser()
        context = {**context, "public": True, "user": AnonymousUser(), "messages": ()}
        response = render(request, template, context)
        cache.set(key, response.content, cache_timeout())
        return response
    return HttpResponse(content)


# The datasets of a part of the Relazione (core.structure): listed when the year has it.
DATASET_PARTS = {
    "bilancio": "risorse_economiche",
    "personale": "risorse_umane",
    "genere": "bilancio_di_genere",
}


@published_view
def year_home(request, cycle):
    parts = year_structure(cycle)
    return _render(
        request,
        "public/year.html",
        cycle,
        datasets=[
            d
            for d in opendata.DATASETS.values()
            if d.slug not in DATASET_PARTS or parts.has(DATASET_PARTS[d.slug])
        ],
        validation=documents.public_validation(cycle),
        report_pdf=documents.report_pdf_available(cycle),
        publication=publication_of(cycle),
    )


@published_view
def strategic_map(request, cycle):
    smap = objective_selectors.strategic_map(cycle)
    return _render(request, "dashboards/map.html", cycle, map=smap)


@published_view
def objective_detail(request, cycle, code):
    node = objective_selectors.objective_detail(cycle, code)
    trend = trends.objective_trend(code, trends.visible_cycles(cycle.body))
    return _render(request, "dashboards/objective.html", cycle, node=node, trend=trend)


@published_view
def operational_detail(request, cycle, pk):
    code, implicit = trends.strategic_code_of(cycle, pk)
    if implicit:  # not a level of the body's plan: its page is the strategic objective's
        return redirect("public:objective", cycle.body.slug, cycle.year, code)
    node = objective_selectors.objective_detail(cycle, code)
    op = trends.operational_node(node, pk)
    trend = trends.operational_trend(code, op.objective.name, trends.visible_cycles(cycle.body))
    return _render(request, "dashboards/operational.html", cycle, node=node, op=op, trend=trend)


@published_view
def scorecard_index(request, cycle):
    sections = objective_selectors.scorecard_sections(cycle)
    return _render(request, "dashboards/scorecards.html", cycle, sections=sections)


@published_view
def scorecard_detail(request, cycle, slug):
    scorecard = scorecard_get(cycle, slug)
    fmt = request.GET.get("formato")
    if fmt in ("csv", "xlsx"):
        _filterset, lines = scorecard_filtered(cycle, scorecard, request.GET)
        return scorecard_export(scorecard, lines, fmt)
    context = scorecard_context(request, cycle, scorecard, PublicScorecardTable)
    return _render(request, "dashboards/scorecard.html", cycle, **context)


@published_view
def indicator_detail(request, cycle, pk):
    indicator = objective_selectors.indicator_get(cycle, pk)
    figure = figure_for(indicator, cycle)
    trend = trends.indicator_trend(indicator, trends.visible_cycles(cycle.body))
    return _render(
        request, "dashboards/indicator.html", cycle, indicator=indicator, figure=figure, trend=trend
    )


@published_view
def common_objectives(request, cycle):
    absent = common_absent(cycle)
    if absent:
        response = _render(request, "dashboards/absent.html", cycle, message=absent)
        response.status_code = 404
        return response
    groups = objective_selectors.common_groups(cycle)
    return _render(request, "dashboards/common.html", cycle, groups=groups)


@published_view
def methodology(request, cycle):
    page = methodology_page(cycle)
    return _render(
        request,
        "reports/methodology.html",
        cycle,
        note=page.note,
        corrections=page.corrections,
    )


@published_view
def budget(request, cycle):
    from finance.charts import budget_charts
    from finance.selectors import budget_view

    view = budget_view(cycle)
    return _render(
        request,
        "finance/budget.html",
        cycle,
        view=view,
        corrections=corrections_of_area(cycle=cycle, area="finance"),
        **budget_charts(view),
    )


@published_view
def people(request, cycle):
    from staff.charts import people_charts
    from staff.selectors import people_view

    view = people_view(cycle)
    return _render(
        request,
        "staff/people.html",
        cycle,
        view=view,
        corrections=corrections_of_area(cycle=cycle, area="staff"),
        **people_charts(cycle.year, view),
    )


def _dataset(slug: str) -> opendata.Dataset:
    dataset = opendata.DATASETS.get(slug)
    if dataset is None:
        raise Http404("Insieme di dati inesistente.")
    return dataset


@published_view
def dataset_dictionary(request, cycle, dataset):
    return _render(request, "public/dataset.html", cycle, dataset=_dataset(dataset))


@published_view
def dataset_download(request, cycle, dataset, fmt):
    data = _dataset(dataset)
    if fmt not in data.formats:
        raise Http404("Formato non disponibile.")
    response = HttpResponse(
        opendata.render(data, cycle, fmt), content_type=opendata.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{cycle.body.slug}-{dataset}-{cycle.year}.{fmt}"'
    )
    return response


@published_view
def validation_page(request, cycle):
    validation = documents.public_validation(cycle)
    if validation is None:
        raise Http404("Attestazione di validazione non disponibile.")
    return _render(request, "public/validation.html", cycle, validation=validation)


@published_view
def validation_text(request, cycle):
    validation = documents.public_validation(cycle)
    if validation is None:
        raise Http404("Attestazione di validazione non disponibile.")
    response = HttpResponse(
        documents.validation_text(cycle, validation), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{cycle.body.slug}-validazione-oiv-{cycle.year}.txt"'
    )
    return response


@published_view
def report_pdf(request, cycle):
    content = documents.report_pdf_bytes(cycle)
    if content is None:
        raise Http404("Relazione validata in PDF non disponibile.")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{cycle.body.slug}-relazione-performance-{cycle.year}.pdf"'
    )
    return response


def _benchmark_context(published) -> dict:
    return {
        "public": True,
        "base_template": "public/base.html",
        "user": AnonymousUser(),
        "messages": (),
        "license": settings.RELAZIONE["OPEN_DATA_LICENSE"],
        "bodies": sorted(
            {(p.body_slug, p.body_name) for p in published if bench.has_comparisons(p.body_kind)},
            key=lambda b: b[1],
        ),
        "min_bodies": bench.MIN_BODIES,
        "dataset_columns": bench.COLUMNS,
        "dataset_formats": bench.DATASET_FORMATS,
    }


@require_safe
@installation_view
def benchmark(request, published):
    """Each common indicator across the bodies and years published: two queries on a miss
    (the published years, the figures), one on a hit."""
    indicators = bench.shared_indicators(bench.shared_figures())
    context = {**_benchmark_context(published), "indicators": indicators, "site_body": None}
    return render(request, "public/benchmark.html", context)


def _not_compared(request, published):
    """The 404 of a body without comparisons: none published, or of a kind without the common
    objectives (said in words)."""
    compared = bench.compared_body(published, request.current_body_slug)
    if bench.has_comparisons(compared.body_kind):
        return None
    context = {**_benchmark_context(published), "message": bench.NOT_COMPARED, "site_body": None}
    return render(request, "dashboards/absent.html", context, status=404)


@require_safe
@installation_view(check=_not_compared)
def body_benchmark(request, published):
    """One body's figures beside the distribution of all: the same two queries."""
    compared = bench.compared_body(published, request.current_body_slug)
    indicators = bench.of_body(bench.shared_indicators(bench.shared_figures()), compared.body_slug)
    context = {
        **_benchmark_context(published),
        "indicators": indicators,
        "compared": compared,
        "site_body": {"name": compared.body_name},  # the header's, without reading the body
    }
    return render(request, "public/body_benchmark.html", context)


@require_safe
@installation_view
def benchmark_download(request, published, fmt):
    if fmt not in bench.DATASET_FORMATS:
        raise Http404("Formato non disponibile.")
    rows = bench.dataset_rows(bench.shared_indicators(bench.shared_figures()))
    response = HttpResponse(
        opendata.rows_file(bench.COLUMNS, rows, fmt), content_type=opendata.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{bench.DATASET_SLUG}.{fmt}"'
    return response
