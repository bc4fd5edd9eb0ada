"""Which rows a validated year locks is declared by each model, in its own app, through its
manager (core.querysets.CycleOwnedQuerySet, or FrozenAtSubmissionQuerySet for the rows frozen
from the submission): the core names no app above it. This test is the net under that: every
model that belongs to a year is guarded, except the process records named here, which go on
after validation by design."""

from django.apps import apps

from core import locking, machine

# Records of the process itself, written while and after a year is validated.
NOT_LOCKED = {
    "core.transition": "the log of the year's state changes",
    "resources.resourcesimport": "the log of the workbook imports",
    "public.publication": "the publication, after validation",
    "reports.relazionepdf": "the PDF, generated once the year is validated",
    "reports.pdfrequest": "the requests of the PDF",
    "workflow.remark": "the OIV's remarks, which continue into validation",
    "workflow.remarkreply": "the replies to the remarks",
    "workflow.validation": "the validation itself (voided, not edited)",
}
FROZEN_AT_SUBMISSION = {
    "finance.budgetline",
    "finance.economicintervention",
    "finance.financialratio",
    "finance.holding",
    "staff.staffcategory",
    "staff.headcount",
    "staff.parttimecount",
    "staff.workforcesummary",
    "staff.absence",
    "staff.parentalleave",
    "staff.smartworking",
    "resources.contexttable",
    "narratives.narrative",
    "workflow.gapjustification",
}


def _year_models():
    return [
        model
        for model in apps.get_models()
        if locking.cycle_path(model) is not None
        and not any(f.name == "history_id" for f in model._meta.fields)
    ]


def test_every_model_of_a_year_is_locked_with_it_or_named_as_a_process_record():
    unguarded = {m._meta.label_lower for m in _year_models() if not locking.is_guarded(m)}
    assert unguarded == set(NOT_LOCKED)


def test_what_freezes_at_submission_is_declared_by_the_models():
    frozen = {
        m._meta.label_lower
        for m in _year_models()
        if locking.is_guarded(m) and locking.lock_states(m) == machine.FROZEN_STATES
    }
    assert frozen == FROZEN_AT_SUBMISSION
    assert machine.FROZEN_STATES > machine.LOCKED_STATES  # submitted, validated, published


def test_core_names_no_app_above_it():
    import inspect

    source = inspect.getsource(locking)
    for label in ("objectives", "finance", "staff", "narratives", "workflow", "reports"):
        assert f'"{label}"' not in source
