"""Budget arithmetic (finance/domain.py): pure unit tests, then the 2023 conto economico of the
demo against the totals printed in the reference document (lines 702-811)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from finance.domain import Line, build_tree, conto_economico_totals, share_pct, variation_pct
from finance.models import BudgetLine, EconomicIntervention

D = Decimal
# The reference Relazione 2023, kept in the fixtures (see fixtures/2023/reference/SOURCE.md).
DOCUMENT = (
    Path(__file__).resolve().parents[1] / "fixtures/2023/reference/relazione-performance-2023.txt"
)


class TestVariationPct:
    @pytest.mark.parametrize(
        ("forecast", "actual", "expected"),
        [
            (D(100), D(110), D(10)),
            (D(100), D(90), D(-10)),
            (D(100), D(100), D(0)),
            (D(3), D(1), D("-66.67")),
            (D(8), D("8.0004"), D("0.01")),  # 0.005 rounds half up
            (D(100), D(0), D(-100)),  # an actual of zero is a full drop, not n.s.
            (D(-100), D(0), D(100)),
            (D(-100), D(-50), D(50)),  # both negative: the loss halved
            (D(-100), D(-150), D(-50)),
            (D(12765200), D(13232118), D("3.66")),  # Diritto annuale: printed 4%
            (D(18689700), D(20105042), D("7.57")),  # Totale proventi: printed 7,6%
        ],
    )
    def test_examples(self, forecast, actual, expected):
        result = variation_pct(forecast, actual)
        assert result == expected
        assert result.as_tuple().exponent == -2

    @pytest.mark.parametrize(
        ("forecast", "actual"),
        [
            (D(0), D(0)),  # E) Rettifiche: 0 0 n.s.
            (D(0), D(-8680)),  # 5) Variazione delle rimanenze: - -8.680 n.s.
            (D(0), D(5)),
            (D(-597050), D(2666870)),  # risultato d'esercizio: opposite signs, n.s.
            (D(100), D(-5)),
            (None, D(5)),
            (D(5), None),
            (None, None),
        ],
    )
    def test_not_significant(self, forecast, actual):
        assert variation_pct(forecast, actual) is None


def _tree():
    return build_tree(
        [
            Line("1", "Diritto annuale", "A", D(100), D(110)),
            Line("2", "Diritti di segreteria", "A", D(50), D(40)),
            Line("6", "Personale", "B", D(60), D(50)),
            Line("7", "Funzionamento", "B", None, None),
            Line("7a", "Servizi", "B", D(10), D(12), parent="7"),
            Line("7b", "Beni di terzi", "B", D(5), D(3), parent="7"),
            Line("C", "Gestione finanziaria", "C", D(7), D(8)),
            Line("D", "Gestione straordinaria", "D", D(1), D(2)),
            Line("E", "Rettifiche", "E", D(0), D(0)),
        ]
    )


class TestTree:
    def test_children_are_attached_to_their_parent(self):
        top = _tree()
        assert [line.code for line in top] == ["1", "2", "6", "7", "C", "D", "E"]
        seven = top[3]
        assert [c.code for c in seven.children] == ["7a", "7b"]

    def test_parent_line_sums_its_children(self):
        seven = _tree()[3]
        assert seven.total_forecast == D(15)
        assert seven.total_actual == D(15)
        assert seven.difference == D(0)
        assert seven.variation == D(0)

    def test_leaf_without_figures_counts_as_zero(self):
        assert Line("x", "x", "A", None, None).total_forecast == D(0)
        assert Line("x", "x", "A", None, None).total_actual == D(0)

    def test_unknown_parent_stays_top_level(self):
        top = build_tree([Line("9", "x", "B", D(1), D(1), parent="nope")])
        assert [line.code for line in top] == ["9"]

    def test_building_twice_does_not_duplicate_children(self):
        lines = [Line("7", "F", "B", None, None), Line("7a", "S", "B", D(1), D(2), parent="7")]
        build_tree(lines)
        top = build_tree(lines)
        assert len(top[0].children) == 1
        assert top[0].total_actual == D(2)

    def test_grandchildren_roll_up(self):
        top = build_tree(
            [
                Line("7", "F", "B", None, None),
                Line("7a", "S", "B", None, None, parent="7"),
                Line("7a1", "S1", "B", D(4), D(5), parent="7a"),
                Line("7a2", "S2", "B", D(6), D(7), parent="7a"),
            ]
        )
        assert (top[0].total_forecast, top[0].total_actual) == (D(10), D(12))


class TestTotals:
    def test_totals(self):
        totals = conto_economico_totals(_tree())
        a, b = totals["proventi_correnti"], totals["oneri_correnti"]
        assert (a.forecast, a.actual) == (D(150), D(150))
        assert (b.forecast, b.actual) == (D(75), D(65))  # 60 + (10 + 5), 50 + (12 + 3)
        current = totals["risultato_gestione_corrente"]
        assert (current.forecast, current.actual) == (D(75), D(85))
        assert current.difference == D(10)
        result = totals["risultato_esercizio"]
        assert (result.forecast, result.actual) == (D(83), D(95))  # 75 + 7 + 1 + 0, 85 + 8 + 2
        assert result.variation == D("14.46")  # 12 / 83

    def test_totals_have_the_printed_labels(self):
        totals = conto_economico_totals(_tree())
        assert totals["proventi_correnti"].label == "TOTALE PROVENTI CORRENTI (A)"
        assert totals["oneri_correnti"].label == "TOTALE ONERI CORRENTI (B)"


class TestSharePct:
    def test_holding_share(self):
        # AUTOSTRADE BERGAMASCHE: 55.124,65 of 2.357.833,37, printed 2,34% (line 897)
        assert share_pct(D("55124.65"), D("2357833.37")) == D("2.34")

    def test_zero_whole_is_none(self):
        assert share_pct(D(5), D(0)) is None


# --- the demo data against the document ------------------------------------------------------

# The figures as printed in the document (preventivo aggiornato, consuntivo), with their line.
PRINTED_TOTALS = {
    "proventi_correnti": (D(18689700), D(20105042), 732),
    "oneri_correnti": (D(20695700), D(19825572), 798),
    "risultato_gestione_corrente": (D(-2006000), D(279470), 800),
    "risultato_esercizio": (D(-597050), D(2666870), 811),
}
PRINTED_TEXT = {
    732: "TOTALE PROVENTI CORRENTI (A) 18.689.700 20.105.042 1.415.342 7,6%",
    798: "20.695.700 19.825.572 -870.128 -4%",
    800: "Risultato Gestione Corrente (A)-(B) -2.006.000 279.470 2.285.470 -114%",
    811: "RISULTATO ECONOMICO D'ESERCIZIO -597.050 2.666.870 3.263.920 n.s.",
    722: "1) Diritto Annuale 12.765.200 13.232.118 466.918 4%",
    724: "2) Diritti di segreteria 5.480.000 6.306.792 826.792 15%",
    726: "3) Contributi trasferimenti ed altre entrate 229.000 304.511 75.511 33%",
    728: "4) Proventi Gestione Servizi 215.500 270.301 54.801 25%",
    730: "5) Variazione delle rimanenze - - 8.680 -8.680 n.s.",
    780: "-4%",
    782: "3.412.000 3.085.390 -326.610 -10%",
    784: "1.579.100 1.322.424 -256.676 -16%",
    786: "10.000 6.849 -3.151 -32%",
    788: "557.500 505.641 -51.859 -9%",
    790: "1.032.000 1.020.531 -11.469 -1%",
    792: "233.400 229.945 -3.455 -1%",
    794: "8.880.200 8.501.261 -378.939 -4%",
    796: "4.040.000 4.053.733 13.733 0%",
    802: "C) GESTIONE FINANZIARIA 437.700 440.452 2.752 1%",
    804: "D) GESTIONE STRAORDINARIA 971.250 1.946.948 975.698 n.s.",
    809: "0 0 0 n.s.",
    697: "TOTALE 8.880.200 8.501.261 -378.939",
}
# Printed VARIAZIONE % of each line (B) figures are printed in a block, lines 762-798, in the
# order of the labels at 738-756).
PRINTED_VARIATION = {
    "1": "4%",
    "2": "15%",
    "3": "33%",
    "4": "25%",
    "5": "n.s.",
    "6": "-4%",
    "7": "-10%",
    "7a": "-16%",
    "7b": "-32%",
    "7c": "-9%",
    "7d": "-1%",
    "7e": "-1%",
    "8": "-4%",
    "9": "0%",
    "C": "1%",
    "D": "n.s.",
    "E": "n.s.",
    "proventi_correnti": "7,6%",
    "oneri_correnti": "-4%",
    "risultato_gestione_corrente": "-114%",
    "risultato_esercizio": "n.s.",
}
# Where the document's VARIAZIONE % follows another rule than the app's (finance.domain):
# D) 971.250 -> 1.946.948 (+100,46%) is printed n.s.; the current result -2.006.000 -> 279.470
# is printed -114% (divided by the signed forecast), while opposite signs are n.s. for the app.
VARIATION_DIVERGENCES = {"D", "risultato_gestione_corrente"}
# Printed figures of the parent line 7) Funzionamento (line 782).
PRINTED_FUNZIONAMENTO = (D(3412000), D(3085390))


def _lines(cycle):
    return [
        Line(
            code=b.code,
            label=b.label,
            group=b.group,
            forecast=b.forecast,
            actual=b.actual,
            parent=b.parent.code if b.parent_id else None,
        )
        for b in BudgetLine.objects.filter(cycle=cycle).select_related("parent").order_by("order")
    ]


def _matches_printed(value, printed: str) -> bool:
    if printed == "n.s.":
        return value is None
    if value is None:
        return False
    number = D(printed.rstrip("%").replace(",", "."))
    decimals = len(printed.rstrip("%").partition(",")[2])
    quantum = D(1).scaleb(-decimals)
    return value.quantize(quantum, rounding=ROUND_HALF_UP) == number


@pytest.mark.parametrize("key", list(PRINTED_TOTALS))
def test_demo_totals_equal_the_printed_ones(cycle, key):
    forecast, actual, _line = PRINTED_TOTALS[key]
    totals = conto_economico_totals(build_tree(_lines(cycle)))
    assert (totals[key].forecast, totals[key].actual) == (forecast, actual)


def test_demo_differences_equal_the_printed_scostamento(cycle):
    totals = conto_economico_totals(build_tree(_lines(cycle)))
    assert totals["proventi_correnti"].difference == D(1415342)
    assert totals["oneri_correnti"].difference == D(-870128)
    assert totals["risultato_gestione_corrente"].difference == D(2285470)
    assert totals["risultato_esercizio"].difference == D(3263920)


def test_demo_funzionamento_sums_its_sub_lines(cycle):
    top = {line.code: line for line in build_tree(_lines(cycle))}
    seven = top["7"]
    assert sorted(c.code for c in seven.children) == ["7a", "7b", "7c", "7d", "7e"]
    assert (seven.total_forecast, seven.total_actual) == PRINTED_FUNZIONAMENTO
    # the parent has no figures of its own: they would be counted twice
    line7 = BudgetLine.objects.get(cycle=cycle, code="7")
    assert (line7.forecast, line7.actual) == (None, None)


def test_demo_variations_agree_with_the_printed_ones(cycle):
    top = build_tree(_lines(cycle))
    every = {}
    for line in top:
        every[line.code] = line.variation
        for child in line.children:
            every[child.code] = child.variation
    for key, total in conto_economico_totals(top).items():
        every[key] = total.variation
    assert set(every) == set(PRINTED_VARIATION)
    divergent = {k for k, v in every.items() if not _matches_printed(v, PRINTED_VARIATION[k])}
    assert divergent == VARIATION_DIVERGENCES


def test_demo_interventions_total_is_conto_economico_line_8(cycle):
    interventions = EconomicIntervention.objects.filter(cycle=cycle)
    forecast = sum((i.forecast for i in interventions), D(0))
    actual = sum((i.actual for i in interventions), D(0))
    assert (forecast, actual) == (D(8880200), D(8501261))  # line 697
    line8 = BudgetLine.objects.get(cycle=cycle, code="8")
    assert (line8.forecast, line8.actual) == (forecast, actual)


def test_printed_figures_are_really_in_the_document():
    """Guards the constants above: each cited line holds the figures quoted from it."""
    lines = DOCUMENT.read_text(encoding="utf-8").split("\n")
    for number, text in PRINTED_TEXT.items():
        printed = " ".join(lines[number - 1].split())
        assert text in printed, (number, printed)
    for _key, (forecast, actual, number) in PRINTED_TOTALS.items():
        printed = lines[number - 1]
        for value in (forecast, actual):
            assert f"{value:,}".replace(",", ".") in printed, (number, value)
