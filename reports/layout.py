"""The layout of the Relazione by its data: placeholders in the narratives, automatic numbering
of tables and figures, the Totale row of a table of counts.

A narrative names the table or figure it announces with a placeholder on a line of its own,
``[[tabella:forze-lavoro]]`` / ``[[grafico:imprese-settori]]`` / ``[[figura:organigramma]]``;
the document prints the block there, numbered in the order it appears. A placeholder that names
nothing the year has is reported (``Layout.unknown``), never printed raw. Pure: no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

KINDS = {"tabella": "Tabella", "grafico": "Grafico", "figura": "Figura"}

_KEY = r"[a-z0-9][a-z0-9_.-]*"
PLACEHOLDER = re.compile(rf"\[\[({'|'.join(KINDS)}):({_KEY})\]\]")
# What Markdown makes of a placeholder on a line of its own.
RENDERED_PLACEHOLDER = re.compile(rf"<p>\s*\[\[({'|'.join(KINDS)}):({_KEY})\]\]\s*</p>")
# Any [[word:...]] that looks like a placeholder, to report misspelt kinds too.
LOOSE_PLACEHOLDER = re.compile(r"\[\[\s*([^\]\[:]{1,40}):([^\]\[]{1,80})\]\]")


def placeholders(text: str) -> list[tuple[str, str]]:
    """Every (kind, key) a text names, in order, including malformed ones."""
    return [(kind.strip(), key.strip()) for kind, key in LOOSE_PLACEHOLDER.findall(text or "")]


def unknown_placeholders(text: str, known: set[tuple[str, str]]) -> list[str]:
    """The placeholders of ``text`` that name no block: ``known`` holds (kind, key) pairs."""
    return [f"[[{kind}:{key}]]" for kind, key in placeholders(text) if (kind, key) not in known]


@dataclass
class Layout:
    """The state of one rendering: numbers taken so far, blocks already placed, placeholders
    that named nothing. Templates render in document order, so numbers come out sequential."""

    claimed: set[tuple[str, str]] = field(default_factory=set)  # named by some narrative
    counters: dict[str, int] = field(default_factory=dict)
    placed: set = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)

    def number(self, kind: str) -> str:
        """The next label of ``kind``: "Tabella 3"."""
        label = KINDS[kind]
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{label} {self.counters[kind]}"

    @classmethod
    def for_texts(cls, texts) -> Layout:
        """A layout for a document whose narratives are ``texts``: the blocks they name are
        printed where they name them, not where the template would put them by default."""
        return cls(claimed={pair for text in texts for pair in placeholders(text)})

    def take(self, key) -> bool:
        """True the first time a block is placed; a block is printed once."""
        if key in self.placed:
            return False
        self.placed.add(key)
        return True


def is_number(value) -> bool:
    """A figure of a context table (JSON numbers; booleans are not figures)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _is_count(value) -> bool:
    return is_number(value) and Decimal(str(value)) == Decimal(str(value)).to_integral_value()


def total_row(columns: list[str], rows: list[list]) -> list | None:
    """The Totale row of a table of counts (every figure a whole number, outside the columns
    of percentages), or None for any other table (rates, variations, thousands with decimals).
    A percentage column is computed when the table has the absolute variation and the stock it
    varies (``Variazione assoluta`` and ``Attive``), and left blank otherwise."""
    if not rows or len(columns) < 2:
        return None
    percent = [("%" in str(c)) for c in columns]
    for row in rows:
        for index, value in enumerate(row[1:], start=1):
            if index < len(percent) and percent[index]:
                continue
            if value is None or value == "":
                continue
            if not _is_count(value):
                return None
    sums: list = ["Totale"]
    for index in range(1, len(columns)):
        if percent[index]:
            sums.append(None)
            continue
        sums.append(sum(int(r[index]) for r in rows if index < len(r) and is_number(r[index])))
    names = [str(c).strip().lower() for c in columns]
    if "variazione assoluta" in names and "attive" in names:
        change, stock = sums[names.index("variazione assoluta")], sums[names.index("attive")]
        base = stock - change
        for index, is_percent in enumerate(percent):
            if is_percent and base:
                rate = Decimal(change) * 100 / Decimal(base)
                sums[index] = rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return sums
