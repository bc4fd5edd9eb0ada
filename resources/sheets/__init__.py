"""The sheets of the context-and-resources workbook, declared once, and everything that can be
decided about an upload without the database: cell parsing, row and cross-sheet checks, the
diff against the rows already recorded and the fingerprint of those rows.

A row is a plain ``dict`` keyed by model field: numbers as :class:`~decimal.Decimal` or ``int``,
choices as their stored code, references (a foreign key) as the natural key of the row they
name (a category's name, a budget line's code). Cells arrive as the text a person sees (see
:func:`indicators.workbook.cell_text`), so one parser serves numeric cells and typed text alike.

The modules: :mod:`.cells` (columns and cells), :mod:`.specs` (the sheets), :mod:`.upload`
(the checks of an upload), :mod:`.changes` (diff, fingerprint, pre-fill). Callers import from
the package.
"""

from .cells import (
    CellError,
    Column,
    Key,
    Kind,
    Row,
    SheetSpec,
    Stored,
    format_value,
    parse_cell,
    parse_number,
)
from .changes import (
    SheetDiff,
    changed_columns,
    changes_summary,
    diff,
    fingerprint,
    sheet_diff,
    structure_of,
)
from .specs import (
    ABSENCES,
    BUDGET,
    CATEGORIES,
    DECLARED,
    FTE,
    HEADCOUNTS,
    HOLDINGS,
    INSTRUCTIONS_SHEET,
    INTERVENTIONS,
    PARENTAL,
    PART_TIME,
    RATIOS,
    SHEETS,
    SHEETS_BY_TITLE,
    SMART_WORKING,
)
from .upload import Upload, parse_rows, read_upload, where

__all__ = [
    "ABSENCES",
    "BUDGET",
    "CATEGORIES",
    "DECLARED",
    "FTE",
    "HEADCOUNTS",
    "HOLDINGS",
    "INSTRUCTIONS_SHEET",
    "INTERVENTIONS",
    "PARENTAL",
    "PART_TIME",
    "RATIOS",
    "SHEETS",
    "SHEETS_BY_TITLE",
    "SMART_WORKING",
    "CellError",
    "Column",
    "Key",
    "Kind",
    "Row",
    "SheetDiff",
    "SheetSpec",
    "Stored",
    "Upload",
    "changed_columns",
    "changes_summary",
    "diff",
    "fingerprint",
    "format_value",
    "parse_cell",
    "parse_number",
    "parse_rows",
    "read_upload",
    "sheet_diff",
    "structure_of",
    "where",
]
