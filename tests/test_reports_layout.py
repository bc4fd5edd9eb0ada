"""The layout of the Relazione without the database: placeholders, numbering, Totale rows,
the charts drawn for it; and the preview of a section, which warns of unknown placeholders."""

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from reports import charts, layout
from reports.templatetags.reports_tags import markdown_web
from tests.people import *  # noqa: F403


def test_placeholders_are_found_with_their_kind_and_key():
    text = "Testo.\n\n[[tabella:forze-lavoro]]\n\nAltro [[grafico:ateco_sections]] e [[tavola:x]]."
    assert layout.placeholders(text) == [
        ("tabella", "forze-lavoro"),
        ("grafico", "ateco_sections"),
        ("tavola", "x"),
    ]
    known = {("tabella", "forze-lavoro"), ("tabella", "ateco_sections")}
    # A kind that does not exist, or a key of another kind, names nothing.
    assert layout.unknown_placeholders(text, known) == [
        "[[grafico:ateco_sections]]",
        "[[tavola:x]]",
    ]


def test_layout_numbers_each_kind_in_order_and_places_a_block_once():
    state = layout.Layout.for_texts(["[[tabella:a]]", "nulla"])
    assert state.claimed == {("tabella", "a")}
    assert [state.number("tabella"), state.number("grafico"), state.number("tabella")] == [
        "Tabella 1",
        "Grafico 1",
        "Tabella 2",
    ]
    assert state.take(("tabella", "a")) and not state.take(("tabella", "a"))


def test_total_row_of_a_table_of_firms_computes_the_variation():
    columns = ["Settore", "Attive", "Variazione assoluta", "Variazione Tendenziale %"]
    rows = [["A", 4834, -68, -1.4], ["B", 40, 0, 0.0], ["C", 9828, -218, -2.2]]
    total = layout.total_row(columns, rows)
    assert total[:3] == ["Totale", 14702, -286]
    # -286 / (14702 + 286): the rate of the whole, not a sum of rates.
    assert total[3] == Decimal("-1.9")


def test_no_total_row_for_rates_or_thousands():
    assert layout.total_row(["Anno", "2022", "2023"], [["Tasso", 67.6, 67.8]]) is None
    assert layout.total_row(["Voce", "Valore"], []) is None


@given(
    st.lists(
        st.lists(st.integers(min_value=-(10**6), max_value=10**6), min_size=3, max_size=3),
        min_size=1,
        max_size=30,
    )
)
def test_total_row_sums_every_count_column(values):
    rows = [[f"riga {i}", *r] for i, r in enumerate(values)]
    total = layout.total_row(["Voce", "A", "B", "C"], rows)
    assert total == ["Totale", *[sum(r[i] for r in values) for i in range(3)]]


@given(st.lists(st.decimals(min_value=-100, max_value=100, places=1), min_size=1, max_size=10))
def test_total_row_refuses_a_table_with_decimals(values):
    rows = [[f"r{i}", 3, v] for i, v in enumerate(values)]
    total = layout.total_row(["Voce", "Numero", "Valore"], rows)
    if all(v == v.to_integral_value() for v in values):
        assert total is not None
    else:
        assert total is None


def test_signed_bars_grow_both_ways_from_zero():
    svg = charts.horizontal_bars(
        "Variazione",
        ["Su", "Giù"],
        [charts.Series("%", [Decimal("3.5"), Decimal("-2.4")])],
        decimals=1,
        suffix="%",
    )
    assert "<title>Variazione</title>" in svg
    assert ">3,5%<" in svg and ">-2,4%<" in svg
    assert ">-5%<" in svg and ">0%<" in svg and ">5%<" in svg  # the axis is centred on zero


def test_org_chart_draws_every_unit_with_a_title():
    svg = charts.org_chart(
        "Organigramma",
        "Segreteria Generale",
        [("Area A", ["Servizio 1", "Servizio 2"]), ("Area B", [])],
        ["Azienda speciale"],
    )
    assert svg.startswith("<svg") and "<title>Organigramma</title>" in svg
    for name in (
        "Segreteria Generale",
        "Area A",
        "Servizio 1",
        "Servizio 2",
        "Area B",
        "Azienda speciale",
    ):
        assert f">{name}<" in svg
    assert svg.count("<rect") == 6


def test_web_pages_leave_the_placeholders_out():
    html = markdown_web("Uno.\n\n[[tabella:labour_force]]\n\nDue [[grafico:x]].")
    assert "[[" not in html and "Uno." in html and "Due" in html


@pytest.mark.django_db
def test_preview_warns_of_placeholders_that_name_nothing(client, people, open_cycle):
    log_in(client, people.planning)  # noqa: F405
    url = reverse("reports:narrative", args=["cciaa-bergamo", open_cycle.year, "premessa"])
    page = client.get(url).content.decode()
    version = int(page.split('name="version" value="')[1].split('"')[0])
    response = client.post(
        url,
        {
            "title": "Premessa",
            "body": "Testo.\n\n[[tabella:labour_force]]\n\n[[tabella:forze-lavoro]]\n",
            "version": version,
            "anteprima": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Segnaposto che non indicano alcuna tabella" in html
    assert "[[tabella:forze-lavoro]]" in html
    assert "[[tabella:labour_force]]" not in html.split("alert-warning")[1].split("</div>")[0]
