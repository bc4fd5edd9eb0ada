"""The documents of a published year that other apps produce: the OIV validation statement
(workflow) and the validated PDF (reports). A year without them simply has no link. Only public
fields are read: never a user, never a remark, never a voiding reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.models import Cycle
from reports.models import RelazionePdf
from reports.selectors import pdf_of
from workflow.selectors import validation_of


@dataclass(frozen=True)
class PublicValidation:
    date: dt.date | None
    statement: str
    snapshot_hash: str


def public_validation(cycle: Cycle) -> PublicValidation | None:
    """The OIV validation of the year (one query), reduced to its public fields."""
    record = validation_of(cycle)
    if record is None:
        return None
    return PublicValidation(
        date=record.date, statement=record.statement, snapshot_hash=record.snapshot_hash
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


def _stored_pdf(cycle: Cycle) -> RelazionePdf | None:
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
