"""The levels of a body's plan and their names: pure, for the models, the pages and the
generated texts (reports.methodology) alike."""

# The names the body gives the levels of its plan (a Comune's "Area strategica" for the
# perspective, "Obiettivo di DUP" for the strategic objective), singular and plural: printed
# by the pages and the PDF of each year.
DEFAULT_LEVEL_LABELS = {
    "perspective_label": "Prospettiva",
    "perspective_label_plural": "Prospettive",
    "strategic_label": "Obiettivo strategico",
    "strategic_label_plural": "Obiettivi strategici",
    "operational_label": "Obiettivo operativo",
    "operational_label_plural": "Obiettivi operativi",
}
LEVEL_LABELS = tuple(DEFAULT_LEVEL_LABELS)
PLAN_LEVELS = ("perspective", "strategic", "operational")


def level_names(source: object) -> dict[str, str]:
    """The names of the levels a body or a year prints: "perspective", "perspectives",
    "strategic", "strategics", "operational", "operationals" (its own, or the defaults)."""
    names = {}
    for level in PLAN_LEVELS:
        for suffix, key in (("", level), ("_plural", f"{level}s")):
            field = f"{level}_label{suffix}"
            names[key] = getattr(source, field, "") or DEFAULT_LEVEL_LABELS[field]
    return names


# The names a plan prints when the body gives none.
DEFAULT_LEVELS = level_names(None)
