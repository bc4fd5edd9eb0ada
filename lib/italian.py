"""Italian wording shared by messages and templates: pure functions, no Django."""

from __future__ import annotations


def shorten(text: str, limit: int) -> str:
    """``text`` on one line in at most ``limit`` characters, cut between words with "…" (a
    word longer than the whole limit is the only thing ever cut inside)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.-–") + "…"


def count(number: int, singular: str, plural: str) -> str:
    """``1 indicatore``, ``3 indicatori``, ``0 indicatori``."""
    return f"{number} {singular if number == 1 else plural}"
