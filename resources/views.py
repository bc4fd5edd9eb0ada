"""The context-and-resources page of a year: thin views over resources.services; the same
upload / preview / confirm flow as the cruscotti's workbook (indicators.views)."""

from __future__ import annotations

import base64
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions as perms
from accounts.selectors import request_body, year_cycle
from lib.xlsx_response import xlsx_response

from . import selectors, services, sheets, workbook
from .forms import ResourcesUploadForm

SESSION_KEY = "relazione_pending_resources"
KEEP_PENDING = 2  # each holds a whole workbook: keep the session small
LOCKED_MESSAGE = (
    "L'anno è stato trasmesso all'OIV (o validato): i dati di contesto e risorse sono in sola "
    "lettura."
)


def _cycle(request, year):
    if not perms.is_planner(request.user, request_body(request)):
        raise PermissionDenied("Pagina riservata all'ufficio pianificazione e controllo.")
    return year_cycle(request, year)


def _page(request, cycle, form, *, status=200):
    counts = selectors.resources_counts(cycle)
    return render(
        request,
        "resources/index.html",
        {
            "sheets": [(spec, counts[spec.title]) for spec in sheets.SHEETS],
            "context_tables": counts[selectors.CONTEXT_TABLES],
            "can_edit": perms.can_edit_resources(request.user, cycle),
            "form": form,
            "imports": selectors.resources_imports(cycle),
        },
        status=status,
    )


def _preview_page(request, cycle, preview, *, token="", notice="", status=None):
    if status is None:
        status = 200 if preview.ok else 400
    return render(
        request,
        "resources/preview.html",
        {
            "preview": preview,
            "token": token,
            "notice": notice,
        },
        status=status,
    )


def _remember(request, cycle, preview, data: bytes) -> str:
    """Keep the previewed file and the fingerprint of the data it was compared with."""
    token = secrets.token_urlsafe(16)
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {
        "cycle": cycle.id,
        "name": preview.file_name,
        "data": base64.b64encode(data).decode("ascii"),
        "fingerprint": preview.fingerprint,
    }
    request.session[SESSION_KEY] = dict(list(pending.items())[-KEEP_PENDING:])
    return token


@login_required
@require_http_methods(["GET", "POST"])
def index(request, year):
    cycle = _cycle(request, year)
    if request.method == "GET":
        return _page(request, cycle, ResourcesUploadForm())
    if not perms.can_edit_resources(request.user, cycle):
        raise PermissionDenied(LOCKED_MESSAGE)
    form = ResourcesUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, cycle, form, status=400)
    upload = form.cleaned_data["file"]
    preview = services.resources_import_preview(user=request.user, cycle=cycle, file=upload)
    token = ""
    if preview.has_changes:
        upload.seek(0)
        token = _remember(request, cycle, preview, upload.read())
    return _preview_page(request, cycle, preview, token=token)


@login_required
@require_GET
def workbook_download(request, year):
    cycle = _cycle(request, year)
    data = selectors.resources_workbook_rows(cycle)
    content = workbook.build_workbook(
        data.rows,
        heading=f"Contesto e risorse {cycle.year} · {cycle.body_name}",
        prefilled=data.prefilled,
        source_year=data.source.year if data.source else None,
    )
    return xlsx_response(content, f"{cycle.body.slug}-contesto-risorse-{cycle.year}.xlsx")


@login_required
@require_POST
def confirm(request, year, token):
    cycle = _cycle(request, year)
    pending = request.session.get(SESSION_KEY, {})
    item = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if item is None or item["cycle"] != cycle.id:
        raise Http404("Anteprima scaduta o già applicata: ricaricare il file.")
    data = base64.b64decode(item["data"])
    try:
        log = services.resources_import_apply(
            user=request.user,
            cycle=cycle,
            file=ContentFile(data, name=item["name"]),
            expected_fingerprint=item["fingerprint"],
        )
    except services.StalePreview as exc:
        # The same file against the data as they are now: a fresh preview to check again.
        fresh = exc.preview
        token = _remember(request, cycle, fresh, data) if fresh.has_changes else ""
        return _preview_page(request, cycle, fresh, token=token, notice=exc.messages[0], status=409)
    except services.ResourcesImportRejected as exc:
        notice = "" if exc.preview.errors else exc.messages[0]  # else the errors say it
        return _preview_page(request, cycle, exc.preview, notice=notice, status=400)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("resources:index", ente=request.current_body_slug, year=cycle.year)
    messages.success(request, f"Importazione applicata: {log.summary}.")
    return redirect("resources:index", ente=request.current_body_slug, year=cycle.year)
