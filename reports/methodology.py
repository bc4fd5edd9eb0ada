"""The *Nota metodologica* and the results paragraphs: text generated from the data, pure.

The note states the rules a year is measured by with the values of the body and year (bands,
missed deadlines), so it cannot drift from what the engine does; the results paragraph of a
cruscotto or a section says how many indicators it has, how many are achieved and which are not
and why, so that the planning office starts its narrative from the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators import domain
from indicators.rollup import Summary


@dataclass(frozen=True)
class NoteSection:
    title: str
    paragraphs: tuple[str, ...]


def _pct(value) -> str:
    return domain.format_pct(value)


NV_LEGEND = domain.NV_LEGEND


def methodology_note(
    rules: domain.MeasurementRules,
    *,
    year: int,
    overall: Summary | None = None,
    corrections: int = 0,
    omitted: tuple[str, ...] = (),
) -> list[NoteSection]:
    """The sections of the note, from the year's rules (``core.selectors.measurement_rules``),
    its overall score (for the coverage), the number of corrections and the parts of the
    document left out (``core.structure.omission_paragraphs``)."""
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
                "Un risultato atteso scritto come soglia («<30», «>40%») vale 100% se la soglia "
                "è rispettata e 0% se non lo è; un indicatore Sì/No vale 100% o 0%.",
            ),
        ),
        NoteSection(
            "Scadenze",
            (
                "Un indicatore a scadenza raggiunto entro la data attesa vale 100%; una "
                f"scadenza raggiunta dopo la data attesa {late}",
            ),
        ),
        NoteSection("Indicatori non valutabili (NV)", (NV_LEGEND,)),
        NoteSection(
            "Aggregazione e pesi",
            (
                "Un obiettivo operativo è la media, ponderata con i pesi degli indicatori, dei "
                "suoi indicatori valutabili; un obiettivo strategico la media ponderata degli "
                "indicatori del suo cruscotto; una prospettiva la media dei suoi obiettivi "
                "strategici; la performance dell'anno la media delle prospettive; un cruscotto "
                "di unità organizzativa o individuale la media ponderata delle sue righe. Gli "
                "indicatori NV e quelli di peso zero non entrano nelle medie.",
            ),
        ),
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
        "NV ne sono esclusi, e la copertura dice quanta parte del piano la valutazione "
        "rappresenta."
    ]
    if overall is not None and overall.total:
        coverage.append(
            f"La performance complessiva {year} è {_pct(overall.realization)}, "
            f"{overall.coverage_text}."
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
