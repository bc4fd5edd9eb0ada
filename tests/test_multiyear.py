# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The triennial plan (issue 17, point 3): targets for N+1 and N+2 and the baseline, parsed by
the one parser of targets, locked with the year on every write path, carried into the next
year's plan, shown on the pages beside target and actual with the trend across years, and in
the open data."""

import csv
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.locking import YearLocked, unlocked
from core.models import Cycle
from dashboards.export import export_rows
from indicators import domain, horizon, plan_workbook, services
from indicators.models import Indicator
from indicators.plan_workbook import plan_validate
from lib.italian import format_number
from tests.people import log_in, people, set_state  # noqa: F401 - fixtures
from tests.test_plan_import import UNITS, _sheets
from workflow.models import TargetProposal
from workflow.services import cycle_open_next


def _parse(kind, text):
    return services.parse_target(kind, text)


# --- The parser and the checks (no database) -----------------------------------------------


@pytest.mark.parametrize(
    "kind, written, stored",
    [
        ("percentage", "≥ 95%", ">=95%"),
        ("percentage", "maggiore o uguale a 100,00%", ">=100,00%"),
        ("number", "<= 10 gg.", "<=10"),
        ("number", "= 45.000", "45.000"),
        ("deadline", "31.12.2025", "31/12/2025"),
        ("number", "", ""),
    ],
)
def test_a_later_target_is_stored_as_the_year_s_target_would_be(kind, written, stored):
    assert horizon.later_target(_parse, kind, written) == stored == _parse(kind, written)


@pytest.mark.parametrize(
    "kind, written, fragment",
    [
        ("percentage", "<30%", "è una soglia"),
        ("number", "monitoraggio", "non è un valore"),
        ("deadline", "domani", ""),
    ],
)
def test_a_baseline_is_a_value_never_a_threshold(kind, written, fragment):
    with pytest.raises(ValidationError) as exc:
        horizon.baseline_value(_parse, kind, written)
    assert fragment in " ".join(exc.value.messages)


def test_a_baseline_is_stored_in_its_canonical_form():
    assert horizon.baseline_value(_parse, "percentage", "85,6 %") == "85,6%"
    assert horizon.baseline_value(_parse, "number", "1284") == "1.284"


def test_the_baseline_year_defaults_to_the_year_before_and_must_precede_the_plan():
    assert horizon.baseline_year_of(2025, "85%", "") == 2024
    assert horizon.baseline_year_of(2025, "85%", 2022) == 2022
    assert horizon.baseline_year_of(2025, "", None) is None
    for bad in (2025, 2030, 1800, "duemila"):
        with pytest.raises(ValidationError):
            horizon.baseline_year_of(2025, "85%", bad)
    with pytest.raises(ValidationError, match="valore di partenza"):
        horizon.baseline_year_of(2025, "", 2024)


def test_clean_keys_every_error_by_its_field():
    with pytest.raises(ValidationError) as exc:
        horizon.clean(
            {"target_n1": "colore", "target_n2": "≥ 95%", "baseline": "<3", "baseline_year": ""},
            kind="number",
            year=2025,
            parse=_parse,
        )
    assert set(exc.value.message_dict) == {"target_n1", "baseline"}


def test_the_next_plan_moves_the_triennial_targets_on_a_year():
    assert horizon.carried(">=90%", ">=95%", ">=100%") == (">=95%", ">=100%", "")
    assert horizon.carried(">=90%", "", ">=100%") == (">=90%", ">=100%", "")
    assert horizon.carried_baseline(2024, "91,5%", "80%", 2022) == ("91,5%", 2024)
    assert horizon.carried_baseline(2024, "NV", "80%", 2022) == ("80%", 2022)
    assert horizon.carried_baseline(2024, "", "", None) == ("", None)


# --- The plan workbook (pure) -----------------------------------------------------------------

_OP = ["1.1", "Erogare i contributi alle imprese"]


def _indicator_row(n1, n2, baseline, baseline_year, kind="percentage"):
    blank = ["", "", "", "", ""]
    return [*_OP, "Pratiche evase", "", kind, "", "≥ 90%", *blank, n1, n2, baseline, baseline_year]


def test_the_workbook_reads_the_triennial_columns_in_canonical_form():
    plan = plan_validate(
        _sheets(indicators=[_indicator_row("≥ 95%", "maggiore o uguale a 100%", "85,6%", "")]),
        reference=UNITS,
    )
    assert plan.errors == []
    item = plan.indicators[-1]
    assert (item["target"], item["target_n1"], item["target_n2"]) == (">=90%", ">=95%", ">=100%")
    # Without a year in the reference there is no plan year: the baseline year stays given.
    assert item["baseline"] == "85,6%"


def test_the_workbook_lists_each_triennial_error_with_sheet_row_and_column():
    reference = plan_workbook.PlanReference(units=UNITS.units, year=2025)
    plan = plan_validate(
        _sheets(indicators=[_indicator_row("colore", "≥ 95%", "<80%", "2026")]),
        reference=reference,
    )
    assert any(
        e.startswith("Foglio «Indicatori», riga 3, colonna «Risultato atteso N+1»: ")
        for e in plan.errors
    ), plan.errors
    assert any(
        e.startswith("Foglio «Indicatori», riga 3, colonna «Valore di partenza»: «<80%» è una")
        for e in plan.errors
    ), plan.errors
    plan = plan_validate(
        _sheets(indicators=[_indicator_row("", "", "80%", "2026")]), reference=reference
    )
    assert plan.errors == [
        "Foglio «Indicatori», riga 3, colonna «Anno del valore di partenza»: 2026: il valore di "
        "partenza è di un anno precedente il 2025 (dal 1990 al 2024)."
    ]


def test_a_workbook_made_before_the_triennial_columns_is_still_read():
    old = _sheets(indicators=[[*_OP, "Pratiche evase", "", "number", "", "10"]])
    title = plan_workbook.INDICATORS
    old[title].header[:] = old[title].header[:-4]
    width = len(old[title].header)
    old[title].rows[:] = [(n, values[:width]) for n, values in old[title].rows]
    plan = plan_validate(old, reference=UNITS)
    assert plan.errors == []
    assert plan.indicators[-1]["target_n1"] == ""


def test_the_template_documents_the_triennial_columns():
    wb = load_workbook(io.BytesIO(plan_workbook.plan_template([])))
    headers = [c.value for c in wb[plan_workbook.INDICATORS][1]]
    first = headers.index("Risultato atteso N+1")
    assert headers[first : first + 4] == [
        "Risultato atteso N+1",
        "Risultato atteso N+2",
        "Valore di partenza",
        "Anno del valore di partenza",
    ]
    documented = {row[1].value for row in wb[plan_workbook.LEGEND].iter_rows() if row[1].value}
    assert set(headers[first:]) <= documented


# --- The services, with the year's state ------------------------------------------------------


@pytest.fixture
def planning_2024(y2024, people):
    set_state(y2024, Cycle.State.PLANNING)
    return y2024


def _an_indicator(cycle, kind="percentage"):
    return Indicator.objects.filter(cycle=cycle, kind=kind).order_by("order", "id").first()


def test_the_service_stores_the_triennial_plan_canonically(planning_2024, people):
    ind = _an_indicator(planning_2024)
    saved = services.indicator_update(
        user=people.planning,
        indicator=ind,
        target_n1="maggiore o uguale a 95%",
        target_n2="≥ 100%",
        baseline="88,5 %",
        baseline_year="",
    )
    saved.refresh_from_db()
    assert (saved.target_n1, saved.target_n2, saved.baseline, saved.baseline_year) == (
        ">=95%",
        ">=100%",
        "88,5%",
        2023,
    )
    with pytest.raises(ValidationError) as exc:
        services.indicator_update(
            user=people.planning, indicator=saved, baseline_year=2024, target_n2="rosso"
        )
    assert set(exc.value.message_dict) == {"baseline_year", "target_n2"}


def test_the_form_shows_the_errors_of_the_triennial_fields(client, planning_2024, people):
    log_in(client, people.planning)
    ind = _an_indicator(planning_2024)
    url = reverse("indicators:indicator_edit", args=["cciaa-bergamo", 2024, ind.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        operational_objective=ind.operational_objective_id,
        weight="1",
        target_n1="<5%",
        baseline="sempre",
        baseline_year="2030",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "precedente il 2024" in page
    ind.refresh_from_db()
    assert ind.target_n1 == ""


# --- The year lock on every write path --------------------------------------------------------


def test_a_validated_year_refuses_the_triennial_fields_on_every_path(cycle, people, client):
    """2023 is published (locked): the service, save(), update(), bulk_update() and the admin
    all refuse a change of the baseline or of a later target."""
    ind = _an_indicator(cycle)
    with pytest.raises(PermissionDenied):
        services.indicator_update(user=people.planning, indicator=ind, target_n1="≥ 95%")
    ind.baseline = "80%"
    with pytest.raises(YearLocked):
        ind.save(update_fields=["baseline"])
    with pytest.raises(YearLocked):
        Indicator.objects.filter(pk=ind.pk).update(target_n2=">=100%")
    ind.target_n1 = ">=95%"
    with pytest.raises(YearLocked):
        Indicator.objects.bulk_update([ind], ["target_n1"])
    with pytest.raises(YearLocked):
        Indicator.objects.bulk_create(
            [Indicator(cycle=cycle, common_group=None, name="x", kind="number", baseline="1")]
        )
    log_in(client, people.admin)
    url = reverse("admin:indicators_indicator_change", args=[ind.pk])
    response = client.post(url, {"baseline": "80%", "version": ind.version})
    assert response.status_code == 403
    fresh = Indicator.objects.get(pk=ind.pk)
    assert (fresh.baseline, fresh.target_n1, fresh.target_n2) == ("", "", "")


def test_the_plan_workbook_never_writes_an_existing_year(client, people):
    log_in(client, people.planning)
    wb = load_workbook(io.BytesIO(plan_workbook.plan_template([("promozione", "Promozione")])))
    out = io.BytesIO()
    wb.save(out)
    response = client.post(
        reverse("indicators:plan_import", args=["cciaa-bergamo"]),
        {"year": 2023, "file": SimpleUploadedFile("piano.xlsx", out.getvalue())},
    )
    assert response.status_code == 400
    assert "L'anno 2023 esiste già" in html.unescape(response.content.decode())


def test_the_plan_workbook_stores_the_triennial_plan(client, people):
    log_in(client, people.planning)
    wb = load_workbook(io.BytesIO(plan_workbook.plan_template([("promozione", "Promozione")])))
    out = io.BytesIO()
    wb.save(out)
    response = client.post(
        reverse("indicators:plan_import", args=["cciaa-bergamo"]),
        {"year": 2038, "file": SimpleUploadedFile("piano.xlsx", out.getvalue())},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ind = Indicator.objects.get(cycle__body__slug="cciaa-bergamo", cycle__year=2038)
    # The template's example: «55 giorni», «50 giorni», baseline 62 of the year before.
    assert (ind.target, ind.target_n1, ind.target_n2) == ("60", "55", "50")
    assert (ind.baseline, ind.baseline_year) == ("62", 2037)


# --- Carried into the next year's plan --------------------------------------------------------


def test_the_next_plan_takes_the_n1_target_and_the_actual_as_baseline(y2024, people):
    indicators = list(Indicator.objects.filter(cycle=y2024).order_by("order", "id")[:3])
    first, second, third = indicators
    with unlocked():
        first.target_n1, first.target_n2, first.actual = ">=95%", ">=100%", "93,1%"
        first.kind = "percentage"
        first.save()
        second.target_n1, second.target_n2, second.actual = "", "<=5", ""
        second.baseline, second.baseline_year = "7", 2022
        second.save()
        third.target = "30/06/2024"
        third.kind, third.target_n1, third.actual = "deadline", "", "NV"
        third.baseline, third.baseline_year = "", None
        third.save()
    new = cycle_open_next(user=people.planning, source=y2024)
    carried = list(Indicator.objects.filter(cycle=new).order_by("order", "id")[:3])
    assert (carried[0].target, carried[0].target_n1, carried[0].target_n2) == (
        ">=95%",
        ">=100%",
        "",
    )
    assert (carried[0].baseline, carried[0].baseline_year) == ("93,1%", 2024)
    assert (carried[1].target_n1, carried[1].target_n2) == ("<=5", "")
    # No N+1: the year's own target is proposed, a deadline moved to the new year.
    assert carried[1].target == domain.shift_value_years(second.target, 1)
    assert (carried[1].baseline, carried[1].baseline_year) == ("7", 2022)  # no actual: kept
    assert carried[2].target == "30/06/2025"  # a deadline moves to the new year
    assert (carried[2].baseline, carried[2].baseline_year) == ("", None)  # NV is no value
    proposal = TargetProposal.objects.get(indicator=carried[0])
    assert proposal.proposed_target == ">=95%"


def test_the_demo_2024_starts_from_the_2023_actuals(y2024):
    """The demo opens 2024 from 2023 through the same copy: the 2023 actuals are its
    baselines."""
    pairs = TargetProposal.objects.filter(indicator__cycle=y2024).select_related(
        "indicator", "source_indicator"
    )
    checked = 0
    for proposal in pairs:
        source, copy = proposal.source_indicator, proposal.indicator
        if source.actual_value.is_valid:
            assert (copy.baseline, copy.baseline_year) == (source.actual, 2023)
            checked += 1
    assert checked > 100


# --- Pages ----------------------------------------------------------------------------------


def _with_baseline(y2024):
    return (
        Indicator.objects.filter(
            cycle=y2024, kind="percentage", operational_objective__isnull=False
        )
        .exclude(baseline="")
        .order_by("order", "id")
        .first()
    )


def test_the_indicator_page_shows_baseline_target_actual_and_the_trend(client, y2024, people):
    ind = _with_baseline(y2024)
    with unlocked():
        Indicator.objects.filter(pk=ind.pk).update(target_n1=">=95,5%", target_n2=">=100%")
    log_in(client, people.planning)
    response = client.get(reverse("dashboards:indicator", args=["cciaa-bergamo", 2024, ind.pk]))
    page = html.unescape(response.content.decode())
    assert "Valore di partenza (2023)" in page
    assert f'<td class="num">{ind.baseline}</td>' in page
    assert "Risultato atteso 2025" in page and ">=95,5%" in page
    assert "Risultato atteso 2026" in page
    # The trend: 2023 and 2024 in the table, the chart's data as JSON, plotly from static.
    trend = page.split("Andamento negli anni", 1)[1]
    assert '<th scope="row">2023</th>' in trend and '<th scope="row">2024</th>' in trend
    assert 'id="trend-chart" type="application/json"' in page
    assert "/static/vendor/plotly/plotly-strict.min.js" in page
    for chunk in page.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert 'src="/static/' in head or 'type="application/json"' in head, head


def test_the_public_page_of_a_year_shows_only_published_years_in_the_trend(client, cycle):
    ind = _an_indicator(cycle)
    response = client.get(reverse("public:indicator", args=["cciaa-bergamo", 2023, ind.pk]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Andamento negli anni" in page
    assert '<th scope="row">2024</th>' not in page  # 2024 is not published


def test_the_cruscotto_shows_the_baseline_beside_target_and_actual(client, y2024, people):
    log_in(client, people.planning)
    page = html.unescape(
        client.get(
            reverse("dashboards:scorecard", args=["cciaa-bergamo", 2024, "promozione"])
        ).content.decode()
    )
    assert "Valore di partenza" in page
    assert '<small class="text-muted">(2023)</small>' in page


def test_the_objective_page_shows_its_trend_in_italian(client, cycle, y2024, people):
    """The 2023 row of the trend is the objective's figure on the 2023 strategic map."""
    from dashboards.selectors import strategic_map

    node = next(  # one with decimals, printed with a comma
        n
        for p in strategic_map(cycle).perspectives
        for n in p.objectives
        if n.summary.realization is not None and n.summary.realization % 1
    )
    log_in(client, people.planning)
    page = html.unescape(
        client.get(
            reverse("dashboards:objective", args=["cciaa-bergamo", 2024, node.objective.code])
        ).content.decode()
    )
    # The trend's section (the operational objectives' links say "Andamento negli anni" too).
    trend = page.split('<h2 id="trend-title">', 1)[1].split("</table>", 1)[0]
    expected = domain.format_pct(node.summary.realization)
    assert "," in expected
    assert f'<thscope="row">2023</th><tdclass="num">{expected}</td>' in re.sub(r"\s", "", trend)


INDICATOR_PAGE_QUERIES = [
    "cycle (with body)",
    "session",
    "user",
    "the person's roles and units",
    "indicator with objective, strategic objective, perspective, group",
    "units of the operational objective (prefetch)",
    "rows with their cruscotto (prefetch)",
    "trend: the same indicator in the visible years (with their cycle)",
    "history",
    "visible years",
    "the year's parts (menu)",
]


def test_the_indicator_page_runs_a_fixed_number_of_queries(client, y2024, people):
    """Pinned: the page's queries do not grow with the plan nor with the number of years (the
    trend is one query over the visible years)."""
    log_in(client, people.planning)
    ind = _with_baseline(y2024)
    url = reverse("dashboards:indicator", args=["cciaa-bergamo", 2024, ind.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with unlocked():
        for n in range(5):
            Indicator.objects.create(
                cycle=y2024,
                operational_objective=ind.operational_objective,
                name=f"Altro {n}",
                kind="number",
            )
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(first.captured_queries) == len(second.captured_queries)
    assert len(first.captured_queries) == len(INDICATOR_PAGE_QUERIES), [
        q["sql"][:120] for q in first.captured_queries
    ]


# --- Open data ------------------------------------------------------------------------------


def test_the_export_carries_the_baseline_and_the_later_targets(y2024):
    ind = _with_baseline(y2024)
    with unlocked():
        Indicator.objects.filter(pk=ind.pk).update(target_n1=">=95,5%", target_n2="31/12/2026")
    rows = [r for r in export_rows(y2024) if r["indicator"] == ind.name]
    assert rows
    row = rows[0]
    assert row["baseline"] == ind.baseline and row["baseline_year"] == "2023"
    assert (row["target_n1"], row["target_n1_value"]) == (">=95,5%", "95.5")
    assert (row["target_n2"], row["target_n2_value"]) == ("31/12/2026", "2026-12-31")
    expected = ind.baseline.rstrip("%").replace(".", "").replace(",", ".")
    assert Decimal(row["baseline_value"]) == Decimal(expected)


# --- The validated snapshot ---------------------------------------------------------------


def test_the_validated_snapshot_covers_the_triennial_plan(cycle):
    """Version 4 of the snapshot holds the baseline and the later targets: a change made around
    the lock (raw SQL, here the demo loader's unlocked block) is found by verify_snapshot; a
    version-3 snapshot, which never held them, is rebuilt without them."""
    from workflow import snapshot

    before, before_v3 = snapshot.build_snapshot(cycle), snapshot.build_snapshot(cycle, 3)
    ind = _an_indicator(cycle)
    with unlocked():
        Indicator.objects.filter(pk=ind.pk).update(baseline="80%", baseline_year=2022)
    assert snapshot.differences(before, snapshot.build_snapshot(cycle))
    assert snapshot.differences(before_v3, snapshot.build_snapshot(cycle, 3)) == []
    assert "valore di partenza" in snapshot.not_covered(3)


_comparators = st.sampled_from(["", "≥ ", ">= ", "maggiore o uguale a ", "almeno il ", "<= ", "< "])


@given(
    comparator=_comparators,
    number=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    percent=st.booleans(),
)
def test_a_later_target_reads_back_as_itself(comparator, number, percent):
    """Whatever form a plan writes, the stored text is a fixed point of the parser: reading a
    stored N+1 or N+2 again (the next year's plan, a re-import) never changes it."""
    written = f"{comparator}{format_number(number, 2)}{'%' if percent else ''}"
    kind = "percentage" if percent else "number"
    stored = horizon.later_target(_parse, kind, written)
    assert horizon.later_target(_parse, kind, stored) == stored
    assert stored == _parse(kind, written)
    if not comparator.strip():
        assert horizon.baseline_value(_parse, kind, written) == stored


def test_the_cruscotto_export_carries_the_baseline(client, y2024, people):
    log_in(client, people.planning)
    url = reverse("dashboards:scorecard", args=["cciaa-bergamo", 2024, "promozione"])
    rows = list(csv.reader(io.StringIO(client.get(url + "?formato=csv").content.decode())))
    header = rows[0]
    assert header[-4:] == [
        "Valore di partenza",
        "Anno del valore di partenza",
        "Risultato atteso N+1",
        "Risultato atteso N+2",
    ]
    baselines = {(r[3], r[-4], r[-3]) for r in rows[1:] if r[-4]}
    expected = set(
        Indicator.objects.filter(cycle=y2024, rows__scorecard__slug="promozione")
        .exclude(baseline="")
        .values_list("name", "baseline", "baseline_year")
    )
    assert baselines == {(n, b, str(y)) for n, b, y in expected}
    assert baselines
