"""The context tables of section 1.1: list, new (pasted from a spreadsheet), edit with preview
and stale-save conflict (as reports.views.narrative_edit), delete, copy of the previous year's
structure. Thin views over resources.context_services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions as perms

from . import context, context_services, selectors
from .forms import ContextTableCreateForm, ContextTableDeleteForm, ContextTableForm
from .views import _cycle

LOCKED_MESSAGE = (
    "L'anno è stato trasmesso all'OIV (o validato): le tabelle di contesto sono in sola lettura."
)


def _table(cycle, key):
    table = selectors.context_table_get(cycle, key)
    if table is None:
        raise Http404("Tabella di contesto inesistente.")
    return table


def _ensure_can_edit(request, cycle):
    if not perms.can_edit_resources(request.user, cycle):
        raise PermissionDenied(LOCKED_MESSAGE)


def _preview(form):
    """The pasted table as the Relazione will print it, before it is saved."""
    parsed = form.parsed
    return {
        "title": form.cleaned_data.get("title") or "",
        "source": form.cleaned_data.get("source") or "",
        "columns": parsed.columns,
        "rows": parsed.rows,
    }


def _list_page(request, cycle, form, *, preview=None, status=200):
    tables = selectors.context_tables(cycle)
    can_edit = perms.can_edit_resources(request.user, cycle)
    source = selectors.context_source_cycle(cycle) if can_edit and not tables else None
    return render(
        request,
        "resources/context_list.html",
        {
            "tables": [(t, context.table_size(t.columns, t.rows)) for t in tables],
            "can_edit": can_edit,
            "copy_source": source,
            "form": form if can_edit else None,
            "preview": preview,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def context_list(request, year):
    """The year's tables; POST: a new table from the "Nuova tabella" form."""
    cycle = _cycle(request, year)
    if request.method == "GET":
        return _list_page(request, cycle, ContextTableCreateForm())
    _ensure_can_edit(request, cycle)
    form = ContextTableCreateForm(request.POST)
    if not form.is_valid():
        return _list_page(request, cycle, form, status=400)
    if "anteprima" in request.POST:
        return _list_page(request, cycle, form, preview=_preview(form))
    try:
        table = context_services.context_table_create(
            user=request.user,
            cycle=cycle,
            key=form.cleaned_data["key"],
            title=form.cleaned_data["title"],
            source=form.cleaned_data["source"],
            text=form.cleaned_data["text"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _list_page(request, cycle, form, status=400)
    messages.success(request, f"Tabella «{table.title}» creata.")
    return redirect("resources:context_list", ente=request.current_body_slug, year=cycle.year)


def _table_save(request, cycle, table, form):
    """Save a valid edit form. A save refused as stale returns the newer table (None once
    saved or refused otherwise: the refusal is then on the form)."""
    try:
        context_services.context_table_update(
            user=request.user,
            cycle=cycle,
            table=table,
            title=form.cleaned_data["title"],
            source=form.cleaned_data["source"],
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )
    except context_services.StaleContextTable as exc:
        # The typed text stays in the textarea; the saved table is shown below it, and the
        # next submit knowingly saves over it.
        form.add_error(None, exc)
        form.rebase(exc.current.version)
        return exc.current
    except ValidationError as exc:
        form.add_error(None, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def context_edit(request, year, key):
    cycle = _cycle(request, year)
    table = _table(cycle, key)
    can_edit = perms.can_edit_resources(request.user, cycle)
    if request.method == "POST":
        _ensure_can_edit(request, cycle)
    # An empty POST is still a submission (bound, so refused as invalid), not a fresh page.
    data = request.POST if request.method == "POST" else None
    form = ContextTableForm(data, instance=table) if can_edit else None
    preview = conflict = None
    if request.method == "POST" and form.is_valid():
        if "anteprima" in request.POST:
            preview = _preview(form)
        else:
            conflict = _table_save(request, cycle, table, form)
            if conflict is None and not form.errors:
                messages.success(request, f"Tabella «{form.cleaned_data['title']}» salvata.")
                return redirect(
                    "resources:context_list", ente=request.current_body_slug, year=cycle.year
                )
    return render(
        request,
        "resources/context_edit.html",
        {
            # The form holds the posted text: the saved table is shown after a refused save.
            "table": conflict or table,
            "form": form,
            "preview": preview,
            "conflict": conflict,
            "conflict_text": (
                context.format_table(conflict.columns, conflict.rows) if conflict else ""
            ),
        },
        status=409 if conflict else 400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def context_delete(request, year, key):
    """A confirmation page; the POST from it deletes the table as it was when shown."""
    cycle = _cycle(request, year)
    _ensure_can_edit(request, cycle)
    table = _table(cycle, key)
    data = request.POST if request.method == "POST" else None
    form = ContextTableDeleteForm(data, instance=table)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            context_services.context_table_delete(
                user=request.user,
                cycle=cycle,
                table=table,
                expected_version=form.cleaned_data["version"],
            )
        except context_services.StaleContextTable as exc:
            form.add_error(None, exc)
            form.rebase(exc.current.version)
            conflict = exc.current
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(
                "resources:context_list", ente=request.current_body_slug, year=cycle.year
            )
        else:
            messages.success(request, f"Tabella «{table.title}» eliminata.")
            return redirect(
                "resources:context_list", ente=request.current_body_slug, year=cycle.year
            )
    return render(
        request,
        "resources/context_delete.html",
        {
            "table": conflict or table,
            "size": context.table_size(table.columns, table.rows),
            "form": form,
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


@login_required
@require_POST
def context_copy(request, year):
    cycle = _cycle(request, year)
    _ensure_can_edit(request, cycle)
    try:
        copies = context_services.context_tables_copy_structure(user=request.user, cycle=cycle)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        n = len(copies)
        messages.success(
            request,
            f"Copiat{'a' if n == 1 else 'e'} {n} tabell{'a' if n == 1 else 'e'}: intestazioni "
            "ed etichette delle righe, senza valori. Aggiornare gli anni in titoli e "
            f"intestazioni e inserire i valori del {cycle.year}.",
        )
    return redirect("resources:context_list", ente=request.current_body_slug, year=cycle.year)
