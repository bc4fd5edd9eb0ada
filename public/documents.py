"""The documents of a published year that other apps produce: the OIV validation statement
(workflow) and the validated PDF (reports). Both apps may be absent: every use is guarded, and a
missing document simply has no link. Only public fields are read: never a user, never a
remark, never a voiding reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps

from relazione.models import Cycle


@dataclass(frozen=True)
class PublicValidation:
    date: dt.date | None
    statement: str
    snapshot_hash: str


def _raw_validation(cycle: Cycle):
    if not apps.is_installed("workflow"):
        return None
    try:
        from workflow.selectors import validation_of
    except ImportError:
        validation_of = None
    if validation_of is not None:
        return validation_of(cycle)
    try:
        model = apps.get_model("workflow", "Validation")
    except LookupError:
        return None
    qs = model._default_manager.filter(cycle=cycle)
    if any(f.name == "voided" for f in model._meta.get_fields()):
        qs = qs.filter(voided=False)
    return qs.order_by("-pk").first()


def validation_of(cycle: Cycle) -> PublicValidation | None:
    """The OIV validation of the year (query: at most one), reduced to its public fields."""
    record = _raw_validation(cycle)
    if record is None or getattr(record, "voided", False):
        return None
    date = getattr(record, "date", None) or getattr(record, "created_at", None)
    if isinstance(date, dt.datetime):
        date = date.date()
    return PublicValidation(
        date=date,
        statement=str(getattr(record, "statement", "") or ""),
        snapshot_hash=str(getattr(record, "snapshot_hash", "") or ""),
    )


def validation_text(cycle: Cycle, validation: PublicValidation) -> str:
    lines = [
        f"{cycle.body_name}",
        f"Relazione sulla Performance {cycle.year}",
        "Documento di validazione dell'Organismo Indipendente di Valutazione (OIV)",
        "(art. 14, comma 4, lettera c, D.Lgs. 150/2009)",
        "",
        f"Data della validazione: {validation.date:%d/%m/%Y}" if validation.date else "",
        "",
        validation.statement.strip(),
        "",
    ]
    if validation.snapshot_hash:
        lines.append(f"Impronta SHA-256 dei dati validati: {validation.snapshot_hash}")
    return "\r\n".join(lines).strip() + "\r\n"


def _stored_pdf(cycle: Cycle):
    if not apps.is_installed("reports"):
        return None
    try:
        from reports.selectors import pdf_of
    except ImportError:
        return None
    pdf = pdf_of(cycle)
    if pdf is None or getattr(pdf, "is_draft", True) or not pdf.file:
        return None
    return pdf


def report_pdf_available(cycle: Cycle) -> bool:
    return _stored_pdf(cycle) is not None


def report_pdf_bytes(cycle: Cycle) -> bytes | None:
    pdf = _stored_pdf(cycle)
    if pdf is None:
        return None
    try:
        with pdf.file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None
