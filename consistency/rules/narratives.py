"""NARR: the texts of the Relazione against the computed results (a claim of full
achievement, a percentage cited)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from indicators import domain
from indicators.domain import Value
from objectives import sections  # pure

from .base import (
    HUNDRED,
    Finding,
    IndicatorData,
    NarrativeData,
    ObjectRef,
    Severity,
    StrategicObjectiveData,
    YearData,
    check,
    declare,
)
from .formatting import _short

NARR_001 = declare(
    "NARR-001",
    Severity.ERROR,
    "Testo che dichiara raggiunti obiettivi che i dati non danno raggiunti",
    "Un testo della Relazione afferma che tutti gli obiettivi o gli indicatori della sezione "
    "sono stati (pienamente) raggiunti, ma i risultati calcolati lo smentiscono.",
)
NARR_002 = declare(
    "NARR-002",
    Severity.WARNING,
    "Percentuale di realizzazione citata nel testo diversa da quella calcolata",
    "Un testo della Relazione cita una percentuale di realizzazione o di raggiungimento che "
    "non corrisponde a nessuna di quelle calcolate per la sezione.",
)


# --- NARR: the narrative against the computed results -----------------------------------------

# The cruscotti each narrative speaks about (reports.models.NarrativeKey -> section).
NARRATIVE_SECTIONS = {
    "mappa_strategica": sections.STRATEGIC,
    "obiettivi_comuni": sections.COMMON,
    "obiettivi_operativi": sections.UNIT,
    "obiettivi_individuali": sections.INDIVIDUAL,
}
_ACHIEVED_WORDS = r"(?:raggiunt[oaie]|conseguit[oaie]|realizzat[oaie])"
_FULL_WORDS = r"(?:pienamente|interamente|completamente|totalmente|integralmente|al 100\s?%)"
_ALL_OF = re.compile(
    r"\btutt[ie]\s+(?:gli|i|le)\s+(?:\w+\s+){0,3}?(?P<noun>obiettivi|indicatori|target|risultati)"
    r"\b(?P<rest>[^.;:!?]*)",
    re.IGNORECASE,
)
_FULL = re.compile(rf"{_FULL_WORDS}\s+{_ACHIEVED_WORDS}|{_ACHIEVED_WORDS}\s+{_FULL_WORDS}", re.I)
_ACHIEVED = re.compile(rf"\b{_ACHIEVED_WORDS}\b", re.IGNORECASE)
_PCT_CONTEXT = re.compile(
    r"realizzazion|raggiungiment|conseguiment|performance|grado di|complessiv", re.IGNORECASE
)
_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d+)?)\s?%")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class Claim:
    """A statement of a narrative about the section's results."""

    sentence: str
    kind: str  # "full" (all at 100%), "achieved" (all in the achieved band), "percent"
    noun: str = "indicatori"  # what is claimed: indicatori | obiettivi
    percent: Value | None = None


def narrative_claims(text: str) -> list[Claim]:
    """The claims of full achievement («tutti gli indicatori sono stati pienamente raggiunti»,
    «tutti gli obiettivi risultano raggiunti», «pienamente raggiunti») and the percentages of
    achievement a text cites. Pure: the Italian phrasings are read sentence by sentence."""
    claims: list[Claim] = []
    for sentence in _SENTENCE.split(text or ""):
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        all_of = _ALL_OF.search(sentence)
        full = _FULL.search(sentence)
        noun = "indicatori"
        if all_of and all_of["noun"].casefold() == "obiettivi":
            noun = "obiettivi"
        if full:
            claims.append(Claim(sentence, "full", noun))
        elif all_of and _ACHIEVED.search(sentence):
            claims.append(Claim(sentence, "achieved", noun))
        if _PCT_CONTEXT.search(sentence):
            for match in _PERCENT.finditer(sentence):
                value = domain.parse_value(match[1] + "%")
                if not (full and value.number == HUNDRED):
                    claims.append(Claim(sentence, "percent", noun, value))
    return claims


@dataclass(frozen=True)
class _Item:
    name: str  # an indicator's name, or a cruscotto's label
    realization: Decimal | None
    card: str | None = ""  # an indicator's cruscotto ("": not said); None: a cruscotto

    @property
    def label(self) -> str:
        """Written only for the items a finding lists (shortening every name of a large year
        cost more than the rule)."""
        if self.card is None:
            return self.name
        short = f"«{_short(self.name, 80)}»"
        return f"{short} (cruscotto «{self.card}»)" if self.card else short


def _all_section_items(data: YearData) -> dict[str, tuple[list[_Item], list[_Item]]]:
    """Per section, the indicators printed in it (once each) and its cruscotti, with their
    realization (a cruscotto: the weighted mean of its rows, as indicators.rollup.summarize):
    one pass over the year for every narrative."""
    indicators: dict[str, dict[int, _Item]] = defaultdict(dict)
    cards: dict[str, dict[int, list[tuple[Decimal | None, Decimal]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    titles: dict[int, str] = {}
    wanted = set(NARRATIVE_SECTIONS.values())
    for ind in data.indicators:
        for row in ind.rows:
            if row.section not in wanted:
                continue
            value = ind.realization(data.missed_deadline_pct)
            if ind.id not in indicators[row.section]:
                indicators[row.section][ind.id] = _Item(ind.name, value, row.scorecard_title)
            cards[row.section][row.scorecard_id].append((value, ind.weight))
            titles[row.scorecard_id] = row.scorecard_title
    return {
        section: (
            list(indicators[section].values()),
            [
                _Item(f"«{titles[k]}»", domain.weighted_mean(v), card=None)
                for k, v in cards[section].items()
            ],
        )
        for section in wanted
    }


def _short_of(items: list[_Item], kind: str, bands: domain.Bands) -> list[_Item]:
    if kind == "full":
        return [i for i in items if i.realization is not None and i.realization < HUNDRED]
    return [
        i
        for i in items
        if bands.band(i.realization) in (domain.Band.PARTIAL, domain.Band.NOT_ACHIEVED)
    ]


def _narrative_ref(n: NarrativeData) -> ObjectRef:
    return ObjectRef("narrative", n.key, n.title)  # the key names the text's page


@check
def check_narrative_claims(data: YearData) -> Iterator[Finding]:
    by_section: dict[str, tuple[list[_Item], list[_Item]]] | None = None
    for narrative in data.narratives:
        section = NARRATIVE_SECTIONS.get(narrative.key)
        claims = narrative_claims(narrative.body) if section else []
        if section is None or not claims:
            continue  # the year's items are gathered only for a text that claims something
        if by_section is None:
            by_section = _all_section_items(data)
        indicators, scorecards = by_section[section]
        if not indicators:
            continue
        computed = {i.realization for i in scorecards} | {
            domain.weighted_mean((i.realization, Decimal(1)) for i in scorecards)
        }
        for claim in claims:
            if claim.kind == "percent" and claim.percent is not None:  # a percent claim has it
                percent = claim.percent
                if any(c is not None and domain.declared_matches(c, percent) for c in computed):
                    continue
                cited = domain.format_value(percent)
                yield NARR_002.finding(
                    subject=f"narrative:{narrative.key}:{cited}",
                    message=(
                        f"Il testo «{narrative.title}» cita {cited} («{_short(claim.sentence)}»),"
                        " ma nessuna realizzazione calcolata della sezione vale tanto: "
                        + ", ".join(
                            f"{i.label} {domain.format_pct(i.realization)}" for i in scorecards
                        )
                        + "."
                    ),
                    fix="Citare la percentuale calcolata, oppure correggere i dati.",
                    objects=[_narrative_ref(narrative)],
                    values={"cited": cited, "sentence": claim.sentence},
                    area="narratives",
                )
                continue
            items = scorecards if claim.noun == "obiettivi" else indicators
            finding = _contradicted(
                claim,
                items,
                data.bands,
                subject=f"narrative:{narrative.key}",
                title=narrative.title,
                scope=f"della sezione {section}",
                ref=_narrative_ref(narrative),
                nouns=_CARDS if claim.noun == "obiettivi" else _INDICATORS,
            )
            if finding is None:
                continue
            yield finding
            break  # one finding per narrative: the first claim the data contradict


_INDICATORS = ("indicatore", "indicatori")
_CARDS = ("cruscotto", "cruscotti")


def _contradicted(
    claim: Claim,
    items: list[_Item],
    bands: domain.Bands,
    *,
    subject: str,
    title: str,
    scope: str,
    ref: ObjectRef,
    nouns: tuple[str, str],
) -> Finding | None:
    """NARR-001 for a claim of full achievement that some of ``items`` contradict."""
    short = _short_of(items, claim.kind, bands)
    if not short:
        return None
    one = len(short) == 1
    level = "al 100%" if claim.kind == "full" else ("raggiunto" if one else "raggiunti")
    listed = "; ".join(f"{i.label} {domain.format_pct(i.realization)}" for i in short)
    noun = nouns[0] if one else nouns[1]
    verb = "non è" if one else "non sono"
    return NARR_001.finding(
        subject=subject,
        message=(
            f"Il testo «{title}» afferma «{_short(claim.sentence, 160)}», ma "
            f"{len(short)} {noun} su {len(items)} {scope} {verb} {level} secondo i dati: "
            f"{listed}."
        ),
        fix=(
            "Riscrivere la frase sui risultati partendo dal paragrafo generato dai dati "
            "(proposto nella pagina del testo), oppure correggere i dati se sono errati."
        ),
        objects=[ref],
        values={"sentence": claim.sentence, "short_of": str(len(short))},
        area="narratives",
    )


@check
def check_objective_narrative_claims(data: YearData) -> Iterator[Finding]:
    """NARR-001 for the text of a strategic objective against the indicators of its cruscotto
    (section 2.2). Only claims of full achievement: these texts describe activities and cite
    many percentages that are not realizations."""
    claiming: list[tuple[StrategicObjectiveData, int, list[Claim]]] = []
    for so in data.strategic_objectives:
        if so.scorecard_id is None or not so.narrative.strip():
            continue
        claims = [c for c in narrative_claims(so.narrative) if c.kind != "percent"]
        if claims:
            claiming.append((so, so.scorecard_id, claims))
    # The indicators of each cruscotto of a claiming text, in the document's order (one pass).
    cards = {card for _so, card, _claims in claiming}
    by_card: dict[int, list[IndicatorData]] = defaultdict(list)
    for ind in data.indicators if cards else ():
        for card in dict.fromkeys(row.scorecard_id for row in ind.rows):
            if card in cards:
                by_card[card].append(ind)
    for so, card, claims in claiming:
        items = [
            _Item(ind.name, ind.realization(data.missed_deadline_pct))
            for ind in by_card.get(card, [])
        ]
        for claim in claims:
            finding = _contradicted(
                claim,
                items,
                data.bands,
                subject=f"objective:{so.code}",
                title=f"{so.code} {so.name}",
                scope=f"del cruscotto dell'obiettivo {so.code}",
                ref=ObjectRef("strategic_objective", so.id, f"{so.code} {so.name}"),
                nouns=_INDICATORS,
            )
            if finding is not None:
                yield finding
                break
