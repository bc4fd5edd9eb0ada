"""Fail closed: the workflow reads the consistency rules, the validation and the target parser
directly (no ImportError fallback, no model looked up by guessed names), so a year with open
error findings cannot be submitted and the PDF, the public pages and the workflow read the
same validation record."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consistency import services as consistency
from core.models import Cycle
from indicators.domain import Kind
from indicators.services import parse_target
from public import documents
from reports.selectors import document_validation
from workflow import selectors, services

from .workflow_helpers import make_user

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    p
    for p in ROOT.glob("*/**/*.py")
    if p.parts[len(ROOT.parts)] not in {"tests", ".venv", "bench", "node_modules"}
    and "migrations" not in p.parts
]


@pytest.fixture
def y2024(db):
    return Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2024)


@pytest.fixture
def planning(db):
    return make_user("planning", "planning")


def test_submission_is_blocked_by_the_real_rule_set(y2024, planning):
    """No stub: the 2024 demo, as loaded, has findings of level error without justification."""
    services.cycle_transition(user=planning, cycle=y2024, target="closed", confirm_missing=True)
    errors = consistency.open_errors(y2024)
    assert errors, "the 2024 demo should have at least one open error finding"
    with pytest.raises(ValidationError) as refused:
        services.cycle_transition(user=planning, cycle=y2024, target="submitted")
    assert refused.value.messages[0].startswith(
        f"Impossibile trasmettere all'OIV: {len(errors)} rilievi"
    )
    y2024.refresh_from_db()
    assert y2024.state == "closed"


def test_a_broken_consistency_check_blocks_submission(y2024, planning, monkeypatch):
    """An error inside the rules stops the submission: nothing turns it into 'no findings'."""

    def broken(cycle, **kwargs):
        raise RuntimeError("regola di coerenza non eseguibile")

    monkeypatch.setattr(services, "open_errors", broken)
    services.cycle_transition(user=planning, cycle=y2024, target="closed", confirm_missing=True)
    with pytest.raises(RuntimeError):
        services.cycle_transition(user=planning, cycle=y2024, target="submitted")
    y2024.refresh_from_db()
    assert y2024.state == "closed"


def test_no_import_fallbacks_nor_guessed_model_names_in_the_apps():
    offenders = []
    for path in APPS:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and "ImportError" in ast.unparse(
                node.type or ast.Name("")
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} except ImportError")
            if (
                isinstance(node, ast.Call)
                and ast.unparse(node.func).endswith("get_model")
                and not all(isinstance(a, ast.Constant) for a in node.args)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} get_model by a name")
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("is_installed"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} is_installed")
    assert offenders == []


def test_one_parser_of_targets_for_the_form_and_the_rimodulazione(y2024, planning):
    indicator = y2024.indicators.filter(kind=Kind.PERCENTAGE).first()
    assert parse_target(Kind.PERCENTAGE, "<30") == "<30"
    with pytest.raises(ValidationError) as form_error:
        parse_target(indicator.kind, "non è un numero")
    with pytest.raises(ValidationError) as revision_error:
        services._normalize_target(indicator, "non è un numero")
    assert (
        revision_error.value.message_dict["new_target"] == (form_error.value.message_dict["target"])
    )


def test_pdf_public_pages_and_workflow_read_the_same_validation(db, django_assert_num_queries):
    y2023 = Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2023)
    with django_assert_num_queries(1):
        record = selectors.validation_of(y2023)
    with django_assert_num_queries(1):
        public = documents.public_validation(y2023)
    with django_assert_num_queries(1):
        printed = document_validation(y2023)
    assert record is not None and record.date < dt.date(2024, 12, 31)
    assert (public.date, public.statement, public.snapshot_hash) == (
        record.date,
        record.statement,
        record.snapshot_hash,
    )
    assert (printed.date, printed.statement, printed.snapshot_hash) == (
        record.date,
        record.statement,
        record.snapshot_hash,
    )


def test_voided_validation_is_read_nowhere(db):
    y2023 = Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2023)
    y2023.validations.update(voided=True, voided_at=timezone.now(), voided_reason="Riapertura")
    assert selectors.validation_of(y2023) is None
    assert documents.public_validation(y2023) is None
    assert document_validation(y2023) is None
