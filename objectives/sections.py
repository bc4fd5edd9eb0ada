"""The sections of the Relazione in which the cruscotti are printed: one definition, for the
model's choices (``objectives.models.Scorecard.Section``) and for the pure modules (the
consistency rules) that do not import Django."""

from __future__ import annotations

STRATEGIC = "2.2"
COMMON = "2.3"
UNIT = "2.4"
INDIVIDUAL = "3"

LABELS = {
    STRATEGIC: "2.2 Obiettivi strategici",
    COMMON: "2.3 Obiettivi comuni di sistema",
    UNIT: "2.4 Obiettivi operativi delle unità",
    INDIVIDUAL: "3. Obiettivi individuali",
}
