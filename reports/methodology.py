"""The *Nota metodologica* and the results paragraphs: text generated from the data, pure.

The note states the rules a year is measured by with the values of the body and year (bands,
missed deadlines), so it cannot drift from what the engine does; the results paragraph of a
cruscotto or a section says how many indicators it has, how many are achieved and which are not
and why, so that the planning office starts its narrative from the figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.levels import DEFAULT_LEVELS
from core.scoring_method import (
    Aggregation,
    Conversion,
    NvRule,
    ScoringMethod,
    ThresholdRule,
)
from indicators import domain
from indicators.rollup import Summary
from lib.italian import format_figure


@dataclass(frozen=True)
class NoteSection:
    title: str
    paragraphs: tuple[str, ...]


def _pct(value) -> str:
    return domain.format_pct(value)


NV_LEGEND = domain.NV_LEGEND


@dataclass(frozen=True)
class PlanShape:
    """The plan's levels as the body writes it: their names (``core.levels.level_names``),
    whether it has a first level (not one implicit perspective), operational objectives of
    its own and indicators placed directly on strategic objectives (issue 17)."""

    names: Mapping[str, str] = field(default_factory=lambda: DEFAULT_LEVELS)
    first_level: bool = True
    operational: bool = True
    direct: bool = False

    def name(self, key: str) -> str:
        return self.names[key].lower()


def methodology_note(
    rules: domain.MeasurementRules,
    *,
    year: int,
    overall: Summary | None = None,
    corrections: int = 0,
    qualitative: bool = False,
    omitted: tuple[str, ...] = (),
    shape: PlanShape | None = None,
) -> list[NoteSection]:
    """The sections of the note, from the year's rules (``core.selectors.measurement_rules``),
    its overall score (for the coverage), the number of corrections, whether the year has
    qualitative indicators (their rule is stated), the parts of the document left out
    (``core.structure.omission_paragraphs``) and the plan's levels as the body has them."""
    bands = rules.bands
    missed = rules.missed_deadline_pct
    if missed >= domain.HUNDRED:
        late = "è considerata comunque raggiunta (100%), per regola dell'ente."
    else:
        late = f"vale {_pct(missed)}, per regola dell'ente."
    sections = [
        NoteSection(
            "Percentuale di realizzazione",
            (
                "Per ogni indicatore la percentuale di realizzazione è calcolata dal valore "
                "ottenuto e dal risultato atteso: valore ottenuto / risultato atteso × 100 se "
                "un valore più alto è migliore, risultato atteso / valore ottenuto × 100 se è "
                "migliore un valore più basso.",
                "La percentuale è compresa tra 0% e 100%: un risultato oltre l'atteso vale "
                "100%. È arrotondata a due decimali (per eccesso da 0,005).",
                _thresholds(rules.method),
                *((_qualitative(rules.method),) if qualitative else ()),
            ),
        ),
        NoteSection(
            "Scadenze",
            (
                "Un indicatore a scadenza raggiunto entro la data attesa vale 100%; una "
                f"scadenza raggiunta dopo la data attesa {late}",
            ),
        ),
        NoteSection("Indicatori non valutabili (NV)", (_nv(rules.method),)),
        NoteSection("Aggregazione e pesi", _aggregation(rules.method, shape or PlanShape())),
        NoteSection(
            "Fasce di valutazione",
            (
                f"Raggiunto: da {_pct(bands.achieved_from)}. Parzialmente raggiunto: da "
                f"{_pct(bands.partial_from)} a meno di {_pct(bands.achieved_from)}. Non "
                f"raggiunto: sotto {_pct(bands.partial_from)}. Il colore non è l'unico "
                "segnale: ogni valutazione riporta anche un simbolo (✔, ◐, ✖, –) e la fascia "
                "in parole.",
            ),
        ),
    ]
    coverage = [
        "Ogni valutazione complessiva indica su quanti indicatori è calcolata: gli indicatori "
        + (
            "NV contati come 0% sono indicati a parte"
            if rules.method.nv is NvRule.ZERO
            else "NV ne sono esclusi"
        )
        + ", e la copertura dice quanta parte del piano la valutazione rappresenta."
    ]
    if overall is not None and overall.total:
        coverage.append(
            f"La performance complessiva {year} è {_pct(overall.realization)}"
            + (f" ({overall.conversion_text})" if overall.conversion_text else "")
            + f", {overall.coverage_text}."
        )
    sections.append(NoteSection("Copertura", tuple(coverage)))
    corrected = (
        "Quando un valore calcolato differisce da quello dichiarato da una fonte (il documento "
        "pubblicato o un foglio importato), la Relazione riporta il valore calcolato, segnala "
        "quello pubblicato e il motivo della differenza; non ricopia un valore errato."
    )
    if corrections:
        listed = "una correzione" if corrections == 1 else f"{corrections} correzioni"
        corrected += f" L'elenco ({listed}) è nell'allegato «Correzioni ai valori pubblicati»."
    else:
        corrected += " Per quest'anno non ci sono correzioni."
    sections.append(NoteSection("Valori corretti", (corrected,)))
    if omitted:
        sections.append(
            NoteSection(
                "Sezioni non presenti",
                (
                    "Le sezioni seguenti non compaiono in questa Relazione, per il motivo "
                    "indicato; le altre sono numerate di seguito.",
                    *omitted,
                ),
            )
        )
    return sections


# --- The body's scoring method (core.scoring_method), as the year applies it ---------------


def _thresholds(method: ScoringMethod) -> str:
    if method.thresholds is ThresholdRule.PROPORTIONAL:
        return (
            "Un risultato atteso scritto come soglia («<30», «≥ 60») vale 100% se la soglia è "
            "rispettata; se non lo è, vale in proporzione alla soglia (con «≥ 60» e 56: "
            "93,33%), per regola dell'ente, salvo gli indicatori per cui il piano stabilisce "
            "«tutto o niente». Un indicatore Sì/No vale 100% o 0%."
        )
    return (
        "Un risultato atteso scritto come soglia («<30», «>40%») vale 100% se la soglia "
        "è rispettata e 0% se non lo è; un indicatore Sì/No vale 100% o 0%."
    )


def _qualitative(method: ScoringMethod) -> str:
    levels = ", ".join(f"{level.label} {_pct(level.realization)}" for level in method.scale)
    return (
        "Un indicatore qualitativo (un giudizio sulla scala dell'ente) vale la percentuale del "
        f"livello raggiunto: {levels}."
    )


def _nv(method: ScoringMethod) -> str:
    if method.nv is NvRule.ZERO:
        return NV_LEGEND.replace(
            "Non entra nelle medie.",
            "Per regola dell'ente conta come 0% nelle medie (un indicatore di solo "
            "monitoraggio non vi entra mai).",
        )
    return NV_LEGEND


def _aggregation(method: ScoringMethod, shape: PlanShape) -> tuple[str, ...]:
    # Written so that it reads right whatever the gender and number of the body's names of the
    # levels («ogni missione», «ogni obiettivo»): "ogni" does not inflect, and the possessives
    # agree with what is possessed (the indicators), not with the level.
    op, st = shape.name("operational"), shape.name("strategic")
    own = "la media, ponderata con i pesi degli indicatori, dei suoi indicatori valutabili"
    parts = [(f"di ogni {op}", own)] if shape.operational else []  # (whose, how)
    if method.aggregation is Aggregation.NESTED_MEAN and not shape.operational:
        parts.append((f"di ogni {st}", own))
    elif method.aggregation is Aggregation.NESTED_MEAN:
        parts.append(
            (
                f"di ogni {st}",
                f"la media ponderata delle realizzazioni di ogni {op} che ne fa parte"
                + (" o, se ne ha di diretti, dei suoi indicatori" if shape.direct else ""),
            )
        )
    else:
        parts.append(
            (
                f"di ogni {st}",
                "la media ponderata degli indicatori del suo cruscotto"
                + (
                    " (ogni indicatore con il suo peso moltiplicato per quello del livello "
                    f"«{shape.names['operational']}» a cui appartiene)"
                    if shape.operational
                    else ""
                ),
            )
        )
    top = st
    if shape.first_level:
        top = shape.name("perspective")
        parts.append(
            (
                f"di ogni {top}",
                f"la media ponderata delle realizzazioni di ogni {st} che ne fa parte",
            )
        )
    parts.append(("dell'anno", f"la media ponderata delle realizzazioni di ogni {top}"))
    (whose, how), *others = parts
    sentence = f"La realizzazione {whose} è {how}" + "".join(
        f"; quella {whose}, {how}" for whose, how in others
    )
    texts = [
        sentence + ". Un cruscotto di unità o individuale è la media ponderata delle sue righe; il "
        f"cruscotto di ogni {st} ne riporta la realizzazione. "
        + (
            "Gli elementi di peso zero non entrano nelle medie; gli indicatori NV contano 0%."
            if method.nv is NvRule.ZERO
            else "Gli indicatori NV e gli elementi di peso zero non entrano nelle medie."
        ),
    ]
    if method.conversion is Conversion.POINTS and method.points:
        bands = "; ".join(
            f"da {_pct(b.low)} a {_pct(b.high)}: da {format_figure(b.points_low)} a "
            f"{format_figure(b.points_high)} punti"
            for b in method.points
        )
        texts.append(
            "Il sistema di valutazione dell'ente converte la percentuale complessiva in punti, "
            f"per fasce e in proporzione all'interno di ciascuna: {bands}."
        )
    elif method.conversion is Conversion.SCALE:
        levels = "; ".join(
            f"{level.label} ({format_figure(level.value)}) da {_pct(level.from_pct)}"
            for level in method.scale
        )
        texts.append(
            "Il sistema di valutazione dell'ente converte la percentuale complessiva in un "
            f"giudizio: {levels}."
        )
    return tuple(texts)
