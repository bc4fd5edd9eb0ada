"""The consistency rules on hand-made snapshots: no database, a positive and a negative case
for every rule."""

import datetime as dt
import re
import unicodedata
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consistency import rules
from consistency.rules import (
    BudgetLineData,
    ContextTableData,
    DeclaredData,
    HeadcountData,
    HoldingData,
    IndicatorData,
    InterventionData,
    OperationalObjectiveData,
    Placement,
    RatioData,
    Severity,
    StaffCategoryData,
    StrategicObjectiveData,
    YearData,
)

_ids = iter(range(1000, 10**6))


def row(declared="100%", title="CRUSCOTTO A", section="2.4", row_id=None):
    return Placement(
        row_id=row_id or next(_ids),
        scorecard_id=next(_ids),
        scorecard_title=title,
        section=section,
        declared_realization=declared,
    )


def ind(
    target="10",
    actual="10",
    *,
    kind="number",
    name=None,
    declared=("100%",),
    id=None,
    **kw,
):
    """An indicator (named after its id unless told, so that no two look like duplicates)."""
    rows = kw.pop("rows", None)
    if rows is None:
        rows = tuple(row(d) for d in declared)
    id = id or next(_ids)
    return IndicatorData(
        id=id,
        name=name or f"Indicatore {id}",
        kind=kind,
        target=target,
        actual=actual,
        rows=tuple(rows),
        **kw,
    )


def year(**kw):
    kw.setdefault("year", 2023)
    kw.setdefault("state", "published")
    kw.setdefault("as_of", dt.date(2024, 5, 1))
    return YearData(**kw)


def findings(data, code=None):
    found = rules.run_rules(data)
    return [f for f in found if code is None or f.rule == code]


def codes(data):
    return sorted(f.rule for f in rules.run_rules(data))


def declared(table, key, text, value=None):
    if value is None:
        parsed = rules.domain.parse_value(text)
        value = parsed.number if parsed.type == "number" and not parsed.percent else None
    return {(table, key): DeclaredData(next(_ids), table, key, key, value, text)}


# --- Engine -------------------------------------------------------------------------------


def test_every_rule_has_a_code_severity_and_italian_title():
    assert len(rules.RULES) >= 20
    for code, rule in rules.RULES.items():
        assert rule.code == code
        assert rule.severity in Severity
        assert rule.title and rule.description


def test_finding_key_json_and_split():
    finding = rules.REAL_001.finding(
        subject="row:7",
        message="m",
        fix="f",
        objects=[rules.ObjectRef("indicator", 3, "X")],
        values={"declared": "100%"},
    )
    assert finding.key == "REAL-001:row:7"
    assert rules.split_key(finding.key) == ("REAL-001", "row:7")
    assert finding.as_dict() == {
        "rule": "REAL-001",
        "severity": "error",
        "message": "m",
        "objects": [{"type": "indicator", "id": 3, "label": "X"}],
        "values": {"declared": "100%"},
        "key": "REAL-001:row:7",
        "fix": "f",
    }
    with pytest.raises(ValueError):
        rules.split_key("senza-separatore")


def test_findings_are_sorted_errors_first():
    data = year(
        indicators=[
            ind("12", "11", declared=("",), name="Numero eventi"),  # COMP-002 warning
            ind("12", "11", declared=("100%",), name="Numero corsi"),  # REAL-001 error
        ]
    )
    found = rules.run_rules(data)
    assert [f.rule for f in found] == ["REAL-001", "COMP-002", "COMP-002"]


def test_normalize_name_ignores_case_punctuation_apostrophes():
    assert rules.normalize_name("Progetto:Riconoscimento dell’Ente") == rules.normalize_name(
        "progetto: riconoscimento  dell'ente"
    )


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("aAèÈß ’‘`'_-:.1ﬁ²Ｋ\u0301"), max_size=20) | st.text())
def test_normalize_name_is_its_definition(name):
    """The ASCII shortcut (no NFKC for a name that cannot change under it) changes nothing."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    assert rules.normalize_name(name) == re.sub(r"[\W_]+", " ", text).strip()


def test_empty_year_has_no_findings():
    assert rules.run_rules(year()) == []


# --- REAL-001 -------------------------------------------------------------------------------


def test_real_declared_differs_from_computed():
    data = year(indicators=[ind("12", "11", declared=("100%",), explanation="x", name="Articoli")])
    [finding] = findings(data)
    assert finding.rule == "REAL-001"
    assert finding.severity is Severity.ERROR
    assert finding.values["declared_realization"] == "100%"
    assert finding.values["computed_realization"] == "91,67%"
    assert "«Articoli»" in finding.message and "91,67%" in finding.message
    assert finding.objects[0].type == "indicator"
    assert finding.objects[1].type == "scorecard"


@pytest.mark.parametrize("printed", ["92%", "91,67%", "91,7%", ""])
def test_real_declared_at_its_own_precision_is_fine(printed):
    data = year(indicators=[ind("12", "11", declared=(printed,), explanation="motivato")])
    assert findings(data) == []


def test_real_one_finding_per_printed_row():
    data = year(indicators=[ind("4", "4", declared=("100%", "80%", "100%"))])
    found = findings(data, "REAL-001")
    assert len(found) == 1
    assert found[0].values["declared_realization"] == "80%"


def test_real_percentage_declared_for_a_not_valued_indicator():
    data = year(indicators=[ind("SI", "NV", kind="boolean", declared=("100%",))])
    [finding] = findings(data)
    assert finding.rule == "REAL-001"
    assert "non è valutabile" in finding.message and "«NV»" in finding.message


def test_real_nv_declared_for_a_valued_indicator():
    data = year(indicators=[ind("SI", "SI", kind="boolean", declared=("NV",))])
    assert codes(data) == ["REAL-001"]
    assert year(indicators=[ind("SI", "NV", kind="boolean", declared=("NV",))]).indicators
    assert codes(year(indicators=[ind("SI", "NV", kind="boolean", declared=("NV",))])) == []


def test_real_lower_and_threshold_directions():
    ok = [
        ind("30", "-25", direction="lower", declared=("100%",)),
        ind("3,00", "2,60", kind="ratio", direction="lower", declared=("100%",)),
        ind("<30", "5", direction="at_most", declared=("100%",)),
        ind(">40%", "48,75%", kind="percentage", direction="at_least", declared=("100%",)),
    ]
    assert codes(year(indicators=ok)) == []
    wrong = [ind("<30", "35", direction="at_most", declared=("100%",), explanation="x")]
    assert codes(year(indicators=wrong)) == ["REAL-001"]


# --- DEAD-001 / DEAD-002 ------------------------------------------------------------------------


def test_dead_late_deadline_declared_100():
    late = ind(
        "30/10/2023",
        "28/11/2023",
        kind="deadline",
        name="Nuovo impianto",
        declared=("100%", "100%"),
        explanation="ritardo del fornitore",
    )
    found = findings(year(indicators=[late]))
    assert [f.rule for f in found] == ["DEAD-001"]  # not also REAL-001 for each row
    [finding] = found
    assert finding.subject == f"indicator:{late.id}"
    assert finding.values["days_late"] == "29"
    assert finding.values["computed_realization"] == "0%"
    assert "28/11/2023" in finding.message and "30/10/2023" in finding.message
    assert len(finding.objects) == 3  # the indicator and the two cruscotti


def test_dead_on_time_or_honestly_declared_is_fine():
    on_time = ind("30/06/2023", "30/03/2023", kind="deadline")
    same_day = ind("31/03/2023", "31/03/2023", kind="deadline")
    late_at_zero = ind(
        "30/04/2023", "08/05/2023", kind="deadline", declared=("0%",), explanation="x"
    )
    assert codes(year(indicators=[on_time, same_day, late_at_zero])) == []


def test_dead_body_counting_late_deadlines_as_achieved():
    late = ind("30/04/2023", "08/05/2023", kind="deadline", declared=("100%",))
    assert codes(year(indicators=[late], missed_deadline_pct=D(100))) == []
    # with a partial credit (50%) the 100% printed is still wrong
    found = findings(year(indicators=[late], missed_deadline_pct=D(50)), "DEAD-001")
    assert found[0].values["computed_realization"] == "50%"


def test_dead_deadline_without_a_valid_date():
    nv = ind("30/06/2023", "NV", kind="deadline", declared=("NV",))
    [finding] = findings(year(indicators=[nv]))
    assert finding.rule == "DEAD-002"
    assert finding.severity is Severity.WARNING
    passed = ind("30/06/2023", "", kind="deadline", declared=("",))
    data = year(indicators=[passed], state="monitoring", as_of=dt.date(2023, 9, 1))
    assert codes(data) == ["DEAD-002"]


def test_dead_missing_date_not_yet_due_or_reported_elsewhere():
    future = ind("31/12/2023", "", kind="deadline", declared=("",))
    assert codes(year(indicators=[future], state="monitoring", as_of=dt.date(2023, 9, 1))) == []
    # data entry closed: the missing actual is COMP-001, not also DEAD-002
    assert codes(year(indicators=[future], state="closed")) == ["COMP-001"]
    # a number where a date is expected is KIND-001
    assert codes(year(indicators=[ind("30/06/2023", "300", kind="deadline")])) == ["KIND-001"]


# --- KIND ------------------------------------------------------------------------------------


def test_kind_number_for_a_date_and_date_for_a_number():
    number_target = ind("300", "17/05/2023", kind="number", name="Seconda tranche")
    [finding] = findings(year(indicators=[number_target]))
    assert finding.rule == "KIND-001"
    assert "«17/05/2023» è una data" in finding.message
    assert "non è verificabile" in finding.message  # and no REAL-001 for the 100% printed
    deadline = ind("300", "17/05/2023", kind="deadline")
    [finding] = findings(year(indicators=[deadline]))
    assert finding.rule == "KIND-001" and "«300» è un numero" in finding.message


def test_kind_yes_no_with_a_number():
    assert codes(year(indicators=[ind("SI", "1", kind="boolean")])) == ["KIND-001"]
    assert codes(year(indicators=[ind("10", "SI", kind="number")])) == ["KIND-001"]
    assert codes(year(indicators=[ind("SI", "SI", kind="boolean")])) == []


def test_kind_project_over_100():
    over = ind("100%", "120%", kind="project", name="Progetto: Intranet")
    [finding] = findings(year(indicators=[over]))
    assert finding.rule == "KIND-002" and "«120%»" in finding.message
    assert codes(year(indicators=[ind("100%", "100%", kind="project")])) == []


def test_kind_impossible_date_and_garbage():
    empty_cell = ind("monitoraggio", "00/01/1900", direction="monitoring", declared=("",))
    [finding] = findings(year(indicators=[empty_cell]))
    assert finding.rule == "KIND-003" and "data impossibile" in finding.message
    garbage = ind("10", "circa dieci", declared=("",))
    assert codes(year(indicators=[garbage])) == ["KIND-003"]
    ok = ind("monitoraggio", "0", direction="monitoring", declared=("",))
    assert codes(year(indicators=[ok])) == []


def test_kind_count_printed_as_percentage():
    count = ind(
        "50%",
        "34%",
        kind="percentage",
        direction="lower",
        name="Rispetto delle procedure: numero annuo di errori",
    )
    [finding] = findings(year(indicators=[count]))
    assert finding.rule == "KIND-004" and finding.severity is Severity.WARNING
    ratio = ind("20%", "90%", kind="percentage", name="N. fascicoli dematerializzati/da fare")
    plain = ind("5", "5", name="Numero di eventi organizzati")
    assert codes(year(indicators=[ratio, plain])) == []


# --- DUP ---------------------------------------------------------------------------------------


def test_dup_same_indicator_with_different_values():
    a = ind("100%", "100%", kind="percentage", name="Avvio nuovi Comuni SUAP", id=1)
    b = ind(
        "100%",
        "600%",
        kind="percentage",
        name="Avvio nuovi comuni  SUAP",
        id=2,
        rows=(row(title="DIRIGENTE", section="3"),),
    )
    [finding] = findings(year(indicators=[a, b]))
    assert finding.rule == "DUP-001"
    assert finding.subject == "indicators:1,2"
    assert "«600%»" in finding.message and "DIRIGENTE" in finding.message
    assert [o.id for o in finding.objects] == [1, 2]


def test_dup_generic_name_under_different_strategic_objectives_is_a_warning():
    ops = [OperationalObjectiveData(10, "Op A", 1), OperationalObjectiveData(11, "Op B", 2)]
    a = ind("10", "12", name="Rispetto dei tempi", operational_objective_id=10)
    b = ind("5", "6", name="Rispetto dei tempi", operational_objective_id=11)
    [finding] = findings(year(indicators=[a, b], operational_objectives=ops))
    assert finding.rule == "DUP-003" and finding.severity is Severity.WARNING
    # under the same strategic objective it is the same indicator: an error
    b = ind("5", "6", name="Rispetto dei tempi", operational_objective_id=10)
    data = year(indicators=[a, b], operational_objectives=ops[:1])
    assert codes(data) == ["DUP-001"]


def test_dup_same_value_printed_differently_is_not_a_duplicate():
    a = ind("85,60%", "86,74%", kind="percentage", name="Pratiche evase entro 5 gg")
    b = ind("85,6%", "86,74%", kind="percentage", name="Pratiche evase entro 5 gg")
    other = ind("85,6%", "80%", kind="percentage", declared=("93,46%",), explanation="x")
    assert codes(year(indicators=[a, b, other])) == []


def test_dup_threshold_written_differently_is_a_warning():
    a = ind("40%", "48,75%", kind="percentage", name="Interventi/Oneri")
    b = ind(">40%", "48,75%", kind="percentage", direction="at_least", name="Interventi/Oneri")
    [finding] = findings(year(indicators=[a, b]))
    assert finding.rule == "DUP-002" and finding.severity is Severity.WARNING


# --- COMP ------------------------------------------------------------------------------------


def test_comp_missing_actual_after_data_entry():
    missing = ind("10", "", declared=("",))
    assert codes(year(indicators=[missing], state="closed")) == ["COMP-001"]
    assert codes(year(indicators=[missing], state="submitted")) == ["COMP-001"]
    assert codes(year(indicators=[missing], state="monitoring")) == []
    assert codes(year(indicators=[missing], state="planning")) == []


def test_comp_below_target_without_explanation():
    below = ind("12", "11", declared=("92%",))
    [finding] = findings(year(indicators=[below]))
    assert finding.rule == "COMP-002" and finding.values["computed_realization"] == "91,67%"
    explained = ind("12", "11", declared=("92%",), explanation="Un articolo rinviato al 2024")
    achieved = ind("12", "13", declared=("100%",))
    not_valued = ind("SI", "NV", kind="boolean", declared=("NV",))
    assert codes(year(indicators=[explained, achieved, not_valued])) == []


def test_comp_objectives_without_indicators_or_children():
    so_ok = StrategicObjectiveData(1, "1.1", "Attrattività")
    so_empty = StrategicObjectiveData(2, "1.2", "Vuoto")
    op_ok = OperationalObjectiveData(10, "Con indicatori", 1)
    op_empty = OperationalObjectiveData(11, "Senza indicatori", 1)
    data = year(
        strategic_objectives=[so_ok, so_empty],
        operational_objectives=[op_ok, op_empty],
        indicators=[ind(operational_objective_id=10)],
    )
    found = findings(data)
    assert [(f.rule, f.subject) for f in found] == [
        ("COMP-003", "operational_objective:11"),
        ("COMP-004", "strategic_objective:2"),
    ]
    assert "«Senza indicatori» (obiettivo strategico 1.1)" in found[0].message


def test_comp_all_weights_zero_within_an_objective():
    op = OperationalObjectiveData(10, "Obiettivo", 1)
    so = StrategicObjectiveData(1, "1.1", "SO")
    zero = [ind(operational_objective_id=10, weight=D(0)) for _ in range(2)]
    data = year(strategic_objectives=[so], operational_objectives=[op], indicators=zero)
    [finding] = findings(data)
    assert finding.rule == "COMP-005" and finding.severity is Severity.ERROR
    mixed = [*zero, ind(operational_objective_id=10, weight=D("0.5"))]
    data = year(strategic_objectives=[so], operational_objectives=[op], indicators=mixed)
    assert codes(data) == []


# --- REV-001 ---------------------------------------------------------------------------------


def test_rev_target_changed_without_record():
    revised = ind("15", "15", target_revised_without_record=True, name="Eventi")
    [finding] = findings(year(indicators=[revised]))
    assert finding.rule == "REV-001" and "«15»" in finding.message
    assert codes(year(indicators=[ind("15", "15")])) == []


# --- ARITH: staff and gender tables ------------------------------------------------------------


def staff_year():
    """Two areas; 2023: A = 3 F full + 1 F part + 2 M full, B = 1 F full + 1 M part;
    2022 (table by area only): A = 4 F + 2 M, B = 1 F + 1 M."""
    heads = [
        HeadcountData(2023, "A", "F", "full", 3),
        HeadcountData(2023, "A", "F", "part", 1),
        HeadcountData(2023, "A", "M", "full", 2),
        HeadcountData(2023, "A", "M", "part", 0),
        HeadcountData(2023, "B", "F", "full", 1),
        HeadcountData(2023, "B", "F", "part", 0),
        HeadcountData(2023, "B", "M", "full", 0),
        HeadcountData(2023, "B", "M", "part", 1),
        HeadcountData(2022, "A", "F", "any", 4),
        HeadcountData(2022, "A", "M", "any", 2),
        HeadcountData(2022, "B", "F", "any", 1),
        HeadcountData(2022, "B", "M", "any", 1),
    ]
    return year(
        staff_categories=[StaffCategoryData(1, "A", 10), StaffCategoryData(2, "B", 5)],
        headcounts=heads,
        part_time={(2023, "F"): 1, (2023, "M"): 1, (2022, "F"): 2, (2022, "M"): 0},
    )


def fig(table, key, text):
    return {(table, key): text}


def _staff(*pairs):
    data = staff_year()
    for pair in pairs:
        for (table, key), text in pair.items():
            data.declared |= declared(table, key, text)
    return data


def test_arith_staff_totals_that_add_up():
    data = _staff(
        fig("staff", "A.women", "4"),
        fig("staff", "A.all", "6"),
        fig("staff", "totale.dotazione", "15"),
        fig("staff", "totale.part_time_men", "1"),
        fig("staff", "totale.all", "8"),
        fig("gender.by_category", "2022.A.all", "6"),
        fig("gender.by_category", "2022.totale.all", "8"),
        fig("gender.part_time", "2023.totale", "2"),
        fig("gender.part_time", "2023.pct.women", "50%"),
        fig("gender.part_time_narrative", "declared_pct_staff", "25%"),
        fig("gender.in_service", "2023.pct.women", "63%"),  # 5/8 = 62,5 -> 63
    )
    assert codes(data) == []


def test_arith_staff_total_that_does_not_add_up():
    data = _staff(fig("staff", "totale.all", "9"), fig("staff", "A.men", "3"))
    found = findings(data, "ARITH-001")
    assert {f.subject for f in found} == {"declared:staff/totale.all", "declared:staff/A.men"}
    total = next(f for f in found if f.subject == "declared:staff/totale.all")
    assert total.values == {
        "declared": "9",
        "computed": "8",
        "computation": "somma delle aree: 6 + 2",
    }
    assert total.objects[0].type == "declared_figure"
    assert total.area == "staff"


def test_arith_integer_percentages_compare_after_rounding():
    assert codes(_staff(fig("gender.in_service", "2023.pct.women", "63%"))) == []
    found = findings(_staff(fig("gender.in_service", "2023.pct.women", "62%")))
    assert [f.rule for f in found] == ["ARITH-001"]
    assert found[0].values["computed"] == "62,50%"


def test_arith_in_service_total_given_twice():
    data = _staff(
        fig("gender.in_service", "2022.women", "5"),
        fig("gender.in_service", "2022.men", "3"),
        fig("gender.in_service", "2022.totale", "7"),
        fig("gender.by_category", "2022.totale.all", "8"),
    )
    found = findings(data)
    assert [(f.rule, f.subject) for f in found] == [
        ("ARITH-001", "declared:gender.in_service/2022.totale"),
        ("ARITH-002", "declared:gender.in_service/2022.totale"),
    ]
    assert "dichiarato 7, ma risulta 8 (donne 5 + uomini 3)" in found[0].message
    assert found[1].values == {"first": "7", "second": "8"}


def test_arith_headcount_by_gender_given_twice():
    data = _staff(
        fig("gender.by_category", "2023.A.women", "4"),
        fig("gender.by_category", "2023.A.men", "3"),  # the staff table says 2
        fig("gender.in_service", "2023.women", "5"),
    )
    found = findings(data, "ARITH-002")
    assert [f.subject for f in found] == ["declared:gender.by_category/2023.A.men"]


def test_arith_part_time_counts_in_two_tables():
    data = _staff()
    assert codes(data) == []
    data.part_time[(2023, "M")] = 2  # the staff table has 1 man part-time
    [finding] = findings(data)
    assert finding.rule == "ARITH-002" and finding.subject == "part_time:2023.men"


def test_arith_fte_given_twice_is_a_warning():
    ratio = RatioData(
        1,
        "ANALISI DELLA PRODUTTIVITA'",
        "Numero Dipendenti (full time equivalent)",
        "number",
        D("83.41"),
        D("79.21"),
    )
    data = year(ratios=[ratio], fte={2023: D("87.34")})
    [finding] = findings(data)
    assert finding.rule == "ARITH-003" and finding.severity is Severity.WARNING
    assert finding.values == {"staff_section": "87,34", "ratios_table": "83,41"}
    assert codes(year(ratios=[ratio], fte={2023: D("83.41"), 2022: D("79.21")})) == []


def test_arith_absences_and_parental_leave():
    data = year(
        absences={(2023, "sickness"): 707, (2023, "injury"): 0, (2023, "other"): 583},
        parental_leave={(2023, "paid_30", "F"): 55, (2023, "paid_30", "M"): 12},
        declared={
            **declared("gender.absences", "2023.totale", "1290"),
            **declared("gender.parental_leave", "paid_30.totale", "67"),
        },
    )
    assert codes(data) == []
    data.declared |= declared("gender.absences", "2023.totale", "1377")
    assert [f.subject for f in findings(data)] == ["declared:gender.absences/2023.totale"]


# --- ARITH: budget ---------------------------------------------------------------------------


def budget_year(**extra):
    lines = [
        BudgetLineData(1, "1", "Diritto annuale", "A", None, D(12765200), D(13232118)),
        BudgetLineData(2, "5", "Rimanenze", "A", None, D(0), D(-8680)),
        BudgetLineData(3, "7", "Funzionamento", "B", None, None, None),
        BudgetLineData(4, "7a", "Servizi", "B", "7", D(1579100), D(1322424)),
        BudgetLineData(5, "7b", "Beni di terzi", "B", "7", D(10000), D(6849)),
        BudgetLineData(6, "8", "Interventi economici", "B", None, D(300), D(250)),
        BudgetLineData(7, "D", "Gestione straordinaria", "D", None, D(971250), D(1946948)),
    ]
    return year(budget_lines=lines, **extra)


def test_arith_budget_lines_that_add_up():
    data = budget_year(
        declared={
            **declared("conto_economico", "1.scostamento", "466918"),
            **declared("conto_economico", "1.variation", "4%"),  # 3,66 -> 4
            **declared("conto_economico", "5.variation", "n.s."),  # forecast 0
            **declared("conto_economico", "7.preventivo", "1589100"),
            **declared("conto_economico", "7.variation", "-16%"),  # -16,35
            **declared("conto_economico", "proventi_correnti.consuntivo", "13223438"),
        }
    )
    assert codes(data) == []


def test_arith_budget_line_that_does_not_add_up():
    data = budget_year(
        declared={
            **declared("conto_economico", "1.scostamento", "466919"),
            **declared("conto_economico", "7.consuntivo", "1329273"),  # 1322424 + 6849
            **declared("conto_economico", "1.variation", "3%"),
        }
    )
    found = findings(data)
    assert [(f.rule, f.subject) for f in found] == [
        ("ARITH-001", "declared:conto_economico/1.scostamento"),
        ("ARITH-001", "declared:conto_economico/1.variation"),
    ]
    assert found[1].values["computed"] == "3,66%"
    assert found[0].area == "finance"


def test_arith_variation_on_a_base_that_changes_sign():
    lines = [
        BudgetLineData(1, "1", "Proventi", "A", None, D(100), D(2300)),
        BudgetLineData(2, "6", "Oneri", "B", None, D(2106), D(2021)),
    ]
    decl = declared("conto_economico", "risultato_gestione_corrente.variation", "-114%")
    [finding] = findings(year(budget_lines=lines, declared=decl))
    assert finding.rule == "ARITH-004" and finding.severity is Severity.WARNING
    assert "+113,91%" in finding.message and "-114%" in finding.message
    ns = declared("conto_economico", "risultato_gestione_corrente.variation", "n.s.")
    assert codes(year(budget_lines=lines, declared=ns)) == []


def test_arith_not_significant_printed_where_computable():
    [finding] = findings(budget_year(declared=declared("conto_economico", "D.variation", "n.s.")))
    assert finding.rule == "ARITH-005" and finding.severity is Severity.INFO
    assert finding.values["computed"] == "100,46%"
    ok = declared("conto_economico", "D.variation", "100%")
    assert codes(budget_year(declared=ok)) == []


def test_arith_interventions_and_their_total():
    items = [
        InterventionData(1, 0, "Competitività", D(200), D(180)),
        InterventionData(2, 1, "Credito", D(100), D(70)),
    ]
    data = budget_year(
        interventions=items,
        declared={
            **declared("interventi_economici", "0.scostamento", "-20"),
            **declared("interventi_economici", "totale.scostamento", "-50"),
        },
    )
    assert codes(data) == []  # and their total equals line 8 (300 / 250)
    data.declared |= declared("interventi_economici", "1.scostamento", "30")
    assert [f.subject for f in findings(data)] == ["declared:interventi_economici/1.scostamento"]
    items[1] = InterventionData(2, 1, "Credito", D(100), D(75))
    data = budget_year(interventions=items)
    [finding] = findings(data)
    assert finding.rule == "ARITH-002" and finding.subject == "interventions:totale.consuntivo"


def test_arith_holdings_percentage():
    fiera = HoldingData(1, "FIERA S.p.A.", D(9820823), D(5798925))
    turismo = HoldingData(2, "TURISMO", D(285720), D(129000))
    data = year(
        holdings=[fiera, turismo],
        declared={
            **declared("holdings", "FIERA S.p.A..pct", "48,83%"),
            **declared("holdings", "TURISMO.pct", "45,15%"),
        },
    )
    [finding] = findings(data)
    assert finding.subject == "declared:holdings/FIERA S.p.A..pct"
    assert finding.values["declared"] == "48,83%" and finding.values["computed"] == "59,05%"


def test_arith_context_table_total_row():
    table = ContextTableData(
        1,
        "legal_form",
        "Sedi per natura giuridica",
        columns=["Classe", "Registrate", "Variazione %"],
        rows=[["Società", 10, 1.5], ["Imprese individuali", 5, -2.0]],
    )
    good = declared("economy.legal_form", "total_row", "Totale | 15 | 9.9")
    assert codes(year(context_tables=[table], declared=good)) == []
    bad = declared("economy.legal_form", "total_row", "Totale | 16 | 9.9")
    [finding] = findings(year(context_tables=[table], declared=bad))
    assert finding.rule == "ARITH-001" and finding.area == "context"
    assert "Registrate" in finding.message


def test_declared_number_reads_printed_precision():
    figure = DeclaredData(1, "t", "k", text="7,6%")
    number = rules.declared_number(figure)
    assert (number.number, number.decimals, number.percent) == (D("7.6"), 1, True)
    assert rules.declared_number(DeclaredData(1, "t", "k", text="n.s.")).not_significant
    assert (
        rules.declared_number(DeclaredData(1, "t", "k", value=D("87.3400"), text="")).decimals == 2
    )
    assert rules.declared_number(DeclaredData(1, "t", "k", text="-0.5")).number == D("-0.5")
    assert rules.declared_number(DeclaredData(1, "t", "k", text="boh")) is None


def test_an_indicator_built_from_a_row_is_the_one_built_by_its_fields():
    """The selector's constructor (no frozen __init__, parsed values set at once) gives the
    same snapshot item: equal, with the same parsed values and realization."""
    fields = dict(
        id=7,
        name="Pratiche evase",
        kind="percentage",
        direction="higher",
        target="≥ 80%",
        actual="76,5%",
        weight=D("2.500"),
        explanation="",
        operational_objective_id=3,
        common_group_id=None,
        rows=(Placement(1, 2, "Promozione", "2.4", "95%"),),
        target_revised_without_record=False,
        stored_figures=(D("95.63"), "achieved"),
        proportional=True,
        scale=rules.IndicatorData(id=0, name="", kind="number").scale,
    )
    by_fields = rules.IndicatorData(**fields)
    by_row = rules.IndicatorData.of_values(tuple(fields.values()))
    assert by_row == by_fields
    assert (by_row.target_value, by_row.actual_value) == (
        by_fields.target_value,
        by_fields.actual_value,
    )
    assert by_row.realization() == by_fields.realization() is not None
    assert by_row.kind_enum is by_fields.kind_enum
