"""The consistency checks (*controlli di coerenza*): pure functions over a plain snapshot.

Nothing here touches the database: :mod:`consistency.selectors` builds a :class:`YearData` from
the models in a fixed number of queries, and every rule is a function ``YearData -> findings``,
so each can be tested on a few hand-made values.

Each rule has a code (``REAL-001``), a severity, an Italian title; each finding names the
objects and the values involved, says what to do (``fix``) and has a stable ``key`` (rule +
identity of its subject) to which the planning office attaches a justification.

A root cause is reported once: a late deadline printed at 100% is ``DEAD-001``, not also a
``REAL-001`` realization mismatch; a value of the wrong type is ``KIND-*``, not also a
realization that "cannot be computed".

One module per family, each declaring its rules next to their checks:

- :mod:`.base`: severities, findings, the rule registry (``declare``, ``check``,
  ``run_rules``) and the snapshot (``YearData`` and its parts);
- :mod:`.indicators` (REAL, DEAD, KIND), :mod:`.duplicates` (DUP), :mod:`.completeness`
  (COMP), :mod:`.revisions` (REV), :mod:`.stored` (CALC): the indicators and objectives;
- :mod:`.figures` (the printed figures and what is computed for them), :mod:`.staff` and
  :mod:`.finance` (the figures recomputed from the detail), :mod:`.arithmetic` (ARITH-001,
  -004, -005), :mod:`.cross` (ARITH-002, -003: a figure given twice);
- :mod:`.narratives` (NARR): the texts against the computed results.

This module imports them all, so that every rule and check is registered, and re-exports
their public names: ``from consistency import rules`` is the one entry point.
"""

# isort: skip_file
# The import order is the order in which the checks run (CHECKS): the document's order.
from indicators import domain
from .base import (
    ZERO,
    HUNDRED,
    PAST_DATA_ENTRY_STATES,
    GENDERS,
    Severity,
    SEVERITY_LABELS,
    SEVERITY_RANK,
    ObjectRef,
    Finding,
    split_key,
    Rule,
    Placement,
    IndicatorData,
    StrategicObjectiveData,
    OperationalObjectiveData,
    BudgetLineData,
    InterventionData,
    HoldingData,
    RatioData,
    StaffCategoryData,
    HeadcountData,
    DeclaredData,
    ContextTableData,
    NarrativeData,
    YearData,
    YearSettings,
    RULES,
    Check,
    CHECKS,
    INDICATOR_CHECKS,
    IndicatorCheck,
    declare,
    check,
    indicator_check,
    run_rules,
)
from .formatting import normalize_name
from .indicators import (
    REAL_001,
    DEAD_001,
    DEAD_002,
    KIND_001,
    KIND_002,
    KIND_003,
    KIND_004,
    check_declared_realization,
    check_late_deadlines,
    check_deadline_without_date,
    check_value_kinds,
    check_count_as_percentage,
)
from .duplicates import DUP_001, DUP_003, DUP_002, check_duplicates
from .completeness import (
    COMP_001,
    COMP_002,
    COMP_003,
    COMP_004,
    COMP_005,
    check_missing_actual,
    check_unexplained_gap,
    check_objectives_without_indicators,
    check_strategic_without_operational,
    check_zero_weights,
)
from .revisions import REV_001, check_unrecorded_revisions
from .stored import CALC_001, check_stored_figures
from .figures import (
    TABLE_LABELS,
    TABLE_AREAS,
    NOT_SIGNIFICANT,
    LEAVE_LABELS,
    CAUSE_LABELS,
    table_label,
    table_area,
    DeclaredNumber,
    declared_number,
    same_at,
    declared_text,
    Expectation,
)
from .arithmetic import (
    ARITH_001,
    ARITH_004,
    ARITH_005,
    expectations,
    comparisons,
    computed_text,
    arithmetic_mismatches,
    check_declared_arithmetic,
    check_variation_significance,
)
from .cross import ARITH_002, ARITH_003, CrossPair, check_figures_given_twice, check_fte
from .narratives import (
    NARR_001,
    NARR_002,
    NARRATIVE_SECTIONS,
    Claim,
    narrative_claims,
    check_narrative_claims,
    check_objective_narrative_claims,
)

__all__ = [
    "ARITH_001",
    "ARITH_002",
    "ARITH_003",
    "ARITH_004",
    "ARITH_005",
    "CALC_001",
    "CAUSE_LABELS",
    "CHECKS",
    "COMP_001",
    "COMP_002",
    "COMP_003",
    "COMP_004",
    "COMP_005",
    "DEAD_001",
    "DEAD_002",
    "DUP_001",
    "DUP_002",
    "DUP_003",
    "GENDERS",
    "HUNDRED",
    "INDICATOR_CHECKS",
    "KIND_001",
    "KIND_002",
    "KIND_003",
    "KIND_004",
    "LEAVE_LABELS",
    "NARRATIVE_SECTIONS",
    "NARR_001",
    "NARR_002",
    "NOT_SIGNIFICANT",
    "PAST_DATA_ENTRY_STATES",
    "REAL_001",
    "REV_001",
    "RULES",
    "SEVERITY_LABELS",
    "SEVERITY_RANK",
    "TABLE_AREAS",
    "TABLE_LABELS",
    "ZERO",
    "BudgetLineData",
    "Check",
    "Claim",
    "ContextTableData",
    "CrossPair",
    "DeclaredData",
    "DeclaredNumber",
    "Expectation",
    "Finding",
    "HeadcountData",
    "HoldingData",
    "IndicatorCheck",
    "IndicatorData",
    "InterventionData",
    "NarrativeData",
    "ObjectRef",
    "OperationalObjectiveData",
    "Placement",
    "RatioData",
    "Rule",
    "Severity",
    "StaffCategoryData",
    "StrategicObjectiveData",
    "YearData",
    "YearSettings",
    "arithmetic_mismatches",
    "check",
    "check_count_as_percentage",
    "check_deadline_without_date",
    "check_declared_arithmetic",
    "check_declared_realization",
    "check_duplicates",
    "check_figures_given_twice",
    "check_fte",
    "check_late_deadlines",
    "check_missing_actual",
    "check_narrative_claims",
    "check_objective_narrative_claims",
    "check_objectives_without_indicators",
    "check_stored_figures",
    "check_strategic_without_operational",
    "check_unexplained_gap",
    "check_unrecorded_revisions",
    "check_value_kinds",
    "check_variation_significance",
    "check_zero_weights",
    "comparisons",
    "computed_text",
    "declare",
    "declared_number",
    "declared_text",
    "domain",
    "expectations",
    "indicator_check",
    "narrative_claims",
    "normalize_name",
    "run_rules",
    "same_at",
    "split_key",
    "table_area",
    "table_label",
]
