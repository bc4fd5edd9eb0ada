"""Issue 15 on the web and in the open data: every corrected figure shows the published value
and the reason, the Nota metodologica states the body's rules, NV has its legend, every overall
score states its coverage, results paragraphs come from the data."""

import csv
import io

import pytest
from django.urls import reverse

from consistency.selectors import YEAR_DATA_QUERIES
from core.locking import unlocked
from core.models import Cycle
from dashboards.export import COLUMNS, export_rows
from dashboards.selectors import scorecard_summaries, strategic_map
from indicators.models import Indicator
from tests.people import *  # noqa: F403
from tests.people import log_in

LATE = {
    # indicator name (start) -> (target, actual): the four DEAD-001 findings of 2023
    "Ridefinizione delle modalità e della periodicità": ("01/09/2023", "31/12/2023"),
    "Realizzazione nuovo impianto di videosorveglianza": ("30/10/2023", "28/11/2023"),
    "Revisione regolamento per la concessione in uso": ("30/04/2023", "08/05/2023"),
    "Organizzazione e realizzazione di un evento informativo": ("30/04/2023", "09/05/2023"),
}


def _reason(target, actual):
    return (
        f"scadenza raggiunta il {actual}, dopo la data attesa del {target}: una scadenza "
        "mancata vale 0% per regola dell&#x27;ente"
    )


def _late(cycle, start):
    # the DIRIGENTE's copy of "Comune in cifre" has its own target (DUP-001): take the late one
    target, _actual = LATE[start]
    return Indicator.objects.get(cycle=cycle, name__startswith=start, target=target)


@pytest.mark.parametrize("prefix", ["dashboards", "public"])
@pytest.mark.parametrize("start", list(LATE))
def test_indicator_pages_show_published_value_and_reason(client, cycle, prefix, start):
    indicator = _late(cycle, start)
    html = client.get(
        reverse(f"{prefix}:indicator", args=["cciaa-bergamo", 2023, indicator.pk])
    ).content.decode()
    assert "* valore pubblicato: 100% – " + _reason(*LATE[start]) in html


def test_every_cruscotto_row_of_a_late_deadline_is_marked(client, cycle):
    for start, (target, actual) in LATE.items():
        indicator = _late(cycle, start)
        for row in indicator.rows.select_related("scorecard"):
            url = reverse("public:scorecard", args=["cciaa-bergamo", 2023, row.scorecard.slug])
            html = client.get(url).content.decode()
            assert "valore pubblicato: 100% – " + _reason(target, actual) in html, url


@pytest.mark.parametrize("prefix", ["reports", "public"])
def test_budget_page_lists_the_corrected_holdings(client, cycle, prefix):
    html = client.get(reverse(f"{prefix}:budget", args=["cciaa-bergamo", 2023])).content.decode()
    assert "Valori corretti rispetto a quelli pubblicati" in html
    assert (
        "BERGAMO FIERA NUOVA S.p.A., % di partecipazione</strong>: valore pubblicato "
        '<span class="published">48,83%</span>, valore calcolato <strong>59,05%</strong> – '
        "percentuale ricalcolata: 5.798.925 / 9.820.823 × 100"
    ) in html
    assert "TURISMOBERGAMO S.c.a.r.l., % di partecipazione" in html


@pytest.mark.parametrize("prefix", ["reports", "public"])
def test_people_page_lists_the_corrected_total(client, cycle, prefix):
    html = client.get(reverse(f"{prefix}:people", args=["cciaa-bergamo", 2023])).content.decode()
    assert (
        'totale 2022</strong>: valore pubblicato <span class="published">87</span>, valore '
        "calcolato <strong>89</strong> – totale ricalcolato dalle voci: donne 67 + uomini 22"
    ) in html
    assert "partecipazione" not in html  # each page lists its own area only


@pytest.mark.parametrize("prefix", ["reports", "public"])
def test_methodology_page_states_the_bodys_rules_and_lists_the_corrections(client, cycle, prefix):
    with unlocked():  # the year's own rules (a validated year keeps them: tests rewrite them)
        Cycle.objects.filter(pk=cycle.pk).update(band_achieved_from=95, band_partial_from=70)
    html = client.get(
        reverse(f"{prefix}:methodology", args=["cciaa-bergamo", 2023])
    ).content.decode()
    assert "Raggiunto: da 95%. Parzialmente raggiunto: da 70% a meno di 95%" in html
    assert "una scadenza raggiunta dopo la data attesa vale 0%, per regola dell" in html
    assert "NV = non valutabile" in html
    assert "Valori riportati diversamente da quanto dichiarato dalla fonte (12)" in html
    for target, actual in LATE.values():
        assert _reason(target, actual) in html


def test_methodology_page_query_count(client, cycle, django_assert_num_queries):
    # cycle (with body), visible years, the strategic map (4), the year's parts (1, for the note
    # and the menu), the consistency snapshot
    with django_assert_num_queries(2 + 4 + 1 + YEAR_DATA_QUERIES):
        assert (
            client.get(reverse("reports:methodology", args=["cciaa-bergamo", 2023])).status_code
            == 200
        )


def test_coverage_on_the_map_of_the_year_in_data_entry(client, people):
    """2024: half of the actuals entered, the score says on how many indicators it rests."""
    cycle = Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2024)
    overall = strategic_map(cycle).overall
    assert 0 < overall.valued < overall.total
    log_in(client, people.planning)
    html = client.get(reverse("dashboards:map", args=["cciaa-bergamo", 2024])).content.decode()
    assert f"calcolata su {overall.valued} di {overall.total} indicatori" in html


def test_cruscotto_coverage_nv_legend_and_results_paragraph(client, cycle):
    html = client.get(
        reverse("public:scorecard", args=["cciaa-bergamo", 2023, "affari-generali"])
    ).content.decode()
    assert "(calcolata su 12 di 13 indicatori)" in html
    assert "NV = non valutabile" in html
    assert (
        "Il cruscotto AFFARI GENERALI comprende 13 indicatori: 12 raggiunti, 1 non valutabile"
        in html
    )
    full = client.get(
        reverse("public:scorecard", args=["cciaa-bergamo", 2023, "promozione"])
    ).content.decode()
    assert "NV = non valutabile" not in full  # no NV in PROMOZIONE: no legend


def test_narrative_page_offers_the_generated_results(client, people):
    log_in(client, people.planning)
    url = reverse("reports:narrative", args=["cciaa-bergamo", 2024, "obiettivi_individuali"])
    html = client.get(url).content.decode()
    assert "Risultati della sezione, generati dai dati" in html
    assert "La sezione 3 comprende" in html
    other = client.get(
        reverse("reports:narrative", args=["cciaa-bergamo", 2024, "premessa"])
    ).content.decode()
    assert "generati dai dati" not in other


def test_open_data_carry_the_correction_reason_and_the_coverage(cycle):
    rows = list(export_rows(cycle))
    late = [r for r in rows if r["correction_reason"].startswith("scadenza raggiunta")]
    assert len(late) == 7  # the four indicators, printed in seven cruscotti
    assert {r["declared_realization"] for r in late} == {"100%"}
    assert {r["realization"] for r in late} == {"0%"}
    assert not [
        r for r in rows if r["declared_realization"] == r["realization"] and r["correction_reason"]
    ]
    summaries = scorecard_summaries(cycle)
    overall = strategic_map(cycle).overall
    for r in rows:
        assert (r["year_valued"], r["year_indicators"]) == (str(overall.valued), str(overall.total))
    affari = [r for r in rows if r["cruscotto"] == "AFFARI GENERALI"]
    assert {(r["cruscotto_valued"], r["cruscotto_indicators"]) for r in affari} == {("12", "13")}
    assert len(summaries) == len({(r["section"], r["cruscotto"]) for r in rows})


def test_open_data_csv_download_has_the_coverage_columns(client, cycle):
    response = client.get(
        reverse("public:download", args=["cciaa-bergamo", 2023, "indicatori", "csv"])
    )
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == COLUMNS and "cruscotto_valued" in header and "year_valued" in header
    dictionary = client.get(
        reverse("public:dataset", args=["cciaa-bergamo", 2023, "indicatori"])
    ).content.decode()
    assert "Copertura: indicatori su cui è calcolata la performance complessiva" in dictionary


def test_scorecard_index_counts_the_indicators_of_each_cruscotto(client, cycle):
    html = client.get(reverse("public:scorecards", args=["cciaa-bergamo", 2023])).content.decode()
    # AFFARI GENERALI: 13 indicators, 12 valued (its NV one is left out of the score)
    assert '<td class="num">13</td>' in html and "(calcolata su 12 di 13 indicatori)" in html


def test_findings_page_links_the_narrative_finding_to_its_text(client, people):
    from tests.people import set_state

    cycle = Cycle.objects.get(body__slug="cciaa-bergamo", year=2023)
    set_state(cycle, Cycle.State.CLOSED)
    log_in(client, people.planning)
    html = client.get(
        reverse("consistency:findings", args=["cciaa-bergamo", 2023])
    ).content.decode()
    assert "NARR-001" in html
    assert (
        reverse("reports:narrative", args=["cciaa-bergamo", 2023, "obiettivi_individuali"]) in html
    )


def test_narrative_page_pays_one_query_for_the_generated_results(client, people):
    """The section's rows with their joins, in one query, whatever the size of the section."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    log_in(client, people.planning)

    def count(key):
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(
                    reverse("reports:narrative", args=["cciaa-bergamo", 2024, key])
                ).status_code
                == 200
            )
        return len(ctx)

    plain = count("premessa")
    assert count("obiettivi_individuali") == count("obiettivi_operativi") == plain + 1


def test_open_data_of_the_corrections(client, cycle):
    response = client.get(
        reverse("public:download", args=["cciaa-bergamo", 2023, "correzioni", "csv"])
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 12
    fiera = next(r for r in rows if "BERGAMO FIERA" in r["what"])
    assert (fiera["area"], fiera["published"], fiera["computed"]) == ("finance", "48,83%", "59,05%")
    late = [r for r in rows if r["reason"].startswith("scadenza raggiunta")]
    assert {(r["published"], r["computed"]) for r in late} == {("100%", "0%")} and len(late) == 7


def test_results_paragraph_only_for_the_whole_cruscotto(client, cycle):
    url = reverse("dashboards:scorecard", args=["cciaa-bergamo", 2023, "risorse-strumentali"])
    assert (
        "Il cruscotto RISORSE STRUMENTALI comprende 15 indicatori"
        in client.get(url).content.decode()
    )
    filtered = client.get(url + "?band=not_achieved").content.decode()
    assert "comprende 15 indicatori" not in filtered
    assert "videosorveglianza" in filtered  # the rows the filter keeps are still shown
