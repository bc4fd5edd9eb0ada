"""The one definition of a correction (indicators.domain.realization_correction and
consistency.corrections) and the narrative-claim rule (NARR-001/002): pure, no database."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consistency import corrections, rules
from consistency.rules import (
    DeclaredData,
    HoldingData,
    IndicatorData,
    NarrativeData,
    Placement,
    YearData,
)
from indicators import domain
from indicators.domain import Direction, Kind, parse_value

_ids = iter(range(5000, 10**6))


def _row(declared, section="3", title="DIRIGENTE", scorecard_id=1):
    return Placement(next(_ids), scorecard_id, title, section, declared)


def _ind(name, target, actual, declared="100%", kind=Kind.NUMBER, **kw):
    rows = kw.pop("rows", None) or (_row(declared),)
    return IndicatorData(next(_ids), name, kind, target=target, actual=actual, rows=rows, **kw)


def _correction(kind, target, actual, published, direction=Direction.HIGHER, missed=D(0)):
    return domain.realization_correction(
        kind,
        direction,
        parse_value(target),
        parse_value(actual),
        published,
        missed_deadline_pct=missed,
    )


# --- realization_correction ------------------------------------------------------------------


def test_late_deadline_printed_at_100_is_corrected_with_the_dates():
    c = _correction(Kind.DEADLINE, "30/04/2023", "09/05/2023", "100%")
    assert (c.published, c.computed_text) == ("100%", "0%")
    assert c.reason == (
        "scadenza raggiunta il 09/05/2023, dopo la data attesa del 30/04/2023: una scadenza "
        "mancata vale 0% per regola dell'ente"
    )


def test_late_deadline_follows_the_body_rule():
    """A body that counts a late deadline at 50% prints 50% and says so; at 100% no correction."""
    c = _correction(Kind.DEADLINE, "30/04/2023", "09/05/2023", "100%", missed=D(50))
    assert c.computed_text == "50%" and "vale 50%" in c.reason
    assert _correction(Kind.DEADLINE, "30/04/2023", "09/05/2023", "100%", missed=D(100)) is None


def test_value_of_the_wrong_kind_is_not_valued():
    c = _correction(Kind.NUMBER, "300", "17/05/2023", "100%")
    assert c.computed_text == "NV"
    assert c.reason == (
        "il valore ottenuto «17/05/2023» non è del tipo dell'indicatore (numero): non valutabile"
    )


@pytest.mark.parametrize(
    ("target", "actual", "published", "reason"),
    [
        (
            "<30",
            "45",
            "67%",
            "risultato atteso a soglia («<30»): vale 100% se rispettata, 0% se no",
        ),
        ("100", "600", "600%", "la % di realizzazione è limitata al 100%"),
        ("100", "50", "60%", "% ricalcolata dal valore ottenuto e dal risultato atteso"),
        ("100", "", "100%", "manca il valore ottenuto: non valutabile"),
        ("100", "NV", "100%", "il valore ottenuto è «NV»: non valutabile"),
    ],
)
def test_reasons(target, actual, published, reason):
    direction = domain.infer_direction(parse_value(target))
    assert _correction(Kind.NUMBER, target, actual, published, direction).reason == reason


@pytest.mark.parametrize("published", ["", "  ", "92%", "91,67%"])
def test_no_correction_when_nothing_printed_or_agreed(published):
    assert _correction(Kind.NUMBER, "12", "11", published) is None


@given(
    target=st.integers(min_value=1, max_value=10**6),
    actual=st.integers(min_value=0, max_value=10**6),
    published=st.decimals(min_value=0, max_value=200, places=2),
)
def test_a_correction_exactly_when_the_printed_figure_disagrees(target, actual, published):
    printed = domain.format_pct(published, 2)
    computed = domain.realization(
        Kind.NUMBER, Direction.HIGHER, parse_value(str(target)), parse_value(str(actual))
    )
    c = _correction(Kind.NUMBER, str(target), str(actual), printed)
    agrees = domain.declared_matches(computed, parse_value(printed))
    assert (c is None) == agrees
    if c is not None:  # both figures, always the engine's as computed
        assert c.published == printed and c.computed_text == domain.format_pct(computed)
        assert c.reason


# --- corrections over a year ------------------------------------------------------------------


def test_corrections_of_a_year_list_rows_and_declared_figures():
    late = _ind("Evento", "30/04/2023", "09/05/2023", kind=Kind.DEADLINE)
    fine = _ind("Pratiche", "10", "10")
    data = YearData(
        year=2023,
        indicators=[late, fine],
        holdings=[HoldingData(1, "FIERA S.p.A.", D(9820823), D(5798925))],
        declared={
            ("holdings", "FIERA S.p.A..pct"): DeclaredData(
                7, "holdings", "FIERA S.p.A..pct", "", D("48.83"), "48,83%"
            )
        },
    )
    found = corrections.corrections(data)
    assert [(c.subject, c.published, c.computed, c.area) for c in found] == [
        (f"row:{late.rows[0].row_id}", "100%", "0%", "indicators"),
        ("declared:holdings/FIERA S.p.A..pct", "48,83%", "59,05%", "finance"),
    ]
    assert found[0].where == "Cruscotto «DIRIGENTE» (sez. 3)"
    assert found[1].reason == "percentuale ricalcolata: 5.798.925 / 9.820.823 × 100"
    # the checks report the same two differences (DEAD-001 for the indicator, ARITH-001)
    assert {(f.rule, f.subject) for f in rules.run_rules(data) if f.rule != "COMP-002"} == {
        ("DEAD-001", f"indicator:{late.id}"),
        ("ARITH-001", "declared:holdings/FIERA S.p.A..pct"),
    }


# --- narrative claims -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "noun"),
    [
        ("Tutti gli indicatori sono stati pienamente raggiunti.", "full", "indicatori"),
        ("Gli obiettivi risultano pienamente conseguiti.", "full", "indicatori"),
        ("evidenzia come tutti gli obiettivi siano stati raggiunti", "achieved", "obiettivi"),
        ("Tutti gli obiettivi strategici sono completamente realizzati.", "full", "obiettivi"),
        ("Sono stati raggiunti al 100% tutti i target.", "full", "indicatori"),
        ("Tutti i risultati attesi sono stati conseguiti.", "achieved", "indicatori"),
    ],
)
def test_claims_of_full_achievement(text, kind, noun):
    [claim] = [c for c in rules.narrative_claims(text) if c.kind != "percent"]
    assert (claim.kind, claim.noun) == (kind, noun)


@pytest.mark.parametrize(
    "text",
    [
        "Di seguito si rendicontano gli obiettivi individuali.",
        "I risultati raggiunti nel corso dell'anno.",
        "Tutti gli uffici hanno partecipato.",
        "Il tasso di disoccupazione è sceso al 3,2%.",
    ],
)
def test_no_claim(text):
    assert rules.narrative_claims(text) == []


def test_percentages_of_achievement_are_claims():
    [claim] = rules.narrative_claims("Il grado di raggiungimento complessivo è del 98,77%.")
    assert claim.kind == "percent" and claim.percent.number == D("98.77")


@given(st.sampled_from(["pienamente", "interamente", "completamente", "totalmente"]))
def test_full_words_in_any_position(word):
    assert rules.narrative_claims(f"Gli indicatori sono stati {word} raggiunti.")[0].kind == "full"
    assert rules.narrative_claims(f"Indicatori raggiunti {word}.")[0].kind == "full"


def _narrative_year(body, actual="09/05/2023", key="obiettivi_individuali"):
    late = _ind("Evento", "30/04/2023", actual, kind=Kind.DEADLINE)
    other = _ind("Pratiche", "10", "10")
    return YearData(
        year=2023,
        indicators=[late, other],
        narratives=[NarrativeData(1, key, "Obiettivi individuali", body)],
    )


def test_narr_001_full_claim_contradicted_by_a_late_deadline():
    data = _narrative_year("Tutti gli indicatori sono stati pienamente raggiunti.")
    [finding] = [f for f in rules.run_rules(data) if f.rule.startswith("NARR")]
    assert finding.rule == "NARR-001" and finding.subject == "narrative:obiettivi_individuali"
    assert "1 indicatore su 2 della sezione 3 non è al 100%" in finding.message
    assert "«Evento» (cruscotto «DIRIGENTE») 0%" in finding.message


def test_narr_001_silent_when_the_data_agree_or_the_text_claims_nothing():
    assert not [
        f
        for f in rules.run_rules(
            _narrative_year("Tutti gli indicatori sono stati raggiunti.", actual="30/04/2023")
        )
        if f.rule.startswith("NARR")
    ]
    assert not [
        f
        for f in rules.run_rules(_narrative_year("Si rendicontano gli obiettivi."))
        if f.rule.startswith("NARR")
    ]
    # a text not about a section of cruscotti is not read for claims
    assert not [
        f
        for f in rules.run_rules(_narrative_year("Tutti pienamente raggiunti.", key="premessa"))
        if f.rule.startswith("NARR")
    ]


def test_narr_002_cited_percentage():
    # the cruscotto: 0% and 100% with weight 1 -> 50%
    wrong = _narrative_year("La realizzazione complessiva è del 98,77%.")
    [finding] = [f for f in rules.run_rules(wrong) if f.rule.startswith("NARR")]
    assert finding.rule == "NARR-002" and finding.values["cited"] == "98,77%"
    assert "«DIRIGENTE» 50%" in finding.message
    right = _narrative_year("La realizzazione complessiva è del 50%.")
    assert not [f for f in rules.run_rules(right) if f.rule.startswith("NARR")]


def test_narr_001_on_a_strategic_objective_text():
    late = _ind(
        "Impianto",
        "30/10/2023",
        "28/11/2023",
        kind=Kind.DEADLINE,
        rows=(_row("100%", section="2.2", title="4.1 Equilibri", scorecard_id=41),),
    )
    elsewhere = _ind("Altro", "30/10/2023", "28/11/2023", kind=Kind.DEADLINE)  # not in 4.1
    so = rules.StrategicObjectiveData(
        4, "4.1", "Equilibri", "Tutti gli obiettivi sono stati pienamente raggiunti.", 41
    )
    data = YearData(year=2023, indicators=[late, elsewhere], strategic_objectives=[so])
    [finding] = [f for f in rules.run_rules(data) if f.rule == "NARR-001"]
    assert finding.subject == "objective:4.1"
    assert "1 indicatore su 1 del cruscotto dell'obiettivo 4.1 non è al 100%" in finding.message
    # percentages of a descriptive text are not claims about the cruscotto
    quiet = rules.StrategicObjectiveData(4, "4.1", "Equilibri", "Raggiungimento del 24%.", 41)
    data.strategic_objectives = [quiet]
    assert not [f for f in rules.run_rules(data) if f.rule.startswith("NARR")]
