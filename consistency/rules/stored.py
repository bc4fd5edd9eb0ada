"""CALC: a % realization or band stored on an indicator that the engine computes otherwise."""

from __future__ import annotations

from collections.abc import Iterator

from indicators import domain

from .base import Finding, IndicatorData, Severity, YearSettings, declare, indicator_check
from .formatting import _short

CALC_001 = declare(
    "CALC-001",
    Severity.ERROR,
    "Percentuale memorizzata diversa da quella calcolata",
    "La % di realizzazione o l'esito memorizzati per un indicatore (usati per ordinare e "
    "filtrare gli elenchi) non coincidono con quelli calcolati dai suoi valori e dalle regole "
    "dell'anno.",
)


@indicator_check
def check_stored_figures(data: YearSettings, ind: IndicatorData) -> Iterator[Finding]:
    if ind.stored_figures is None:
        return
    # domain.stored_figures, from the values the other rules have already parsed
    value = ind.realization(data.missed_deadline_pct)
    computed = (value, data.bands.band(value))
    if computed == ind.stored_figures:
        return
    stored_pct, stored_band = ind.stored_figures
    yield CALC_001.finding(
        subject=f"indicator:{ind.id}",
        message=(
            f"L'indicatore «{_short(ind.name)}» ha memorizzato "
            f"{domain.format_pct(stored_pct)} ({domain.BAND_LABELS[domain.Band(stored_band)]}"
            f"), ma dai suoi valori risulta {domain.format_pct(computed[0])} "
            f"({domain.BAND_LABELS[computed[1]]})."
        ),
        fix=(
            "Eseguire «manage.py rebuild_figures --year ANNO»: ricalcola i valori memorizzati "
            "(in un anno validato li elenca senza modificarli)."
        ),
        objects=[ind.ref()],
        values={
            "stored": domain.format_pct(stored_pct),
            "computed": domain.format_pct(computed[0]),
        },
        area="indicators",
    )
