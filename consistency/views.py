from __future__ import annotations

import hashlib
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from accounts.permissions import (
    LOCKED_STATES,
    can_justify_findings,
    can_view_findings,
    ensure,
)
from accounts.selectors import request_cycle
from lib.italian import count

from . import rules, selectors, services
from .forms import JustificationForm, RuleJustificationForm

VALUE_LABELS = {
    "declared": "Dichiarato",
    "computed": "Calcolato",
    "computation": "Calcolo",
    "target": "Risultato atteso",
    "actual": "Valore ottenuto",
    "declared_realization": "% dichiarata",
    "computed_realization": "% calcolata",
    "days_late": "Giorni di ritardo",
    "kind": "Tipo di indicatore",
    "strategic_objective": "Obiettivo strategico",
    "code": "Codice",
    "indicators": "Indicatori",
    "first": "Primo valore",
    "second": "Secondo valore",
    "forecast": "Preventivo",
    "actual_amount": "Consuntivo",
    "staff_section": "Sezione sul personale",
    "ratios_table": "Tabella degli indici",
}
# Where the objects of each area are shown (the dashboards are being written: a missing URL
# leaves the object unlinked).
AREA_URLS = {
    "staff": "reports:people",
    "finance": "reports:budget",
    "objectives": "dashboards:map",
    "indicators": "dashboards:scorecards",
}


def _object_url(obj: rules.ObjectRef, area: str, cycle) -> str | None:
    year, ente = cycle.year, cycle.body.slug
    try:
        if obj.type == "indicator":
            return reverse("dashboards:indicator", args=[ente, year, obj.id])
        if obj.type == "scorecard":
            return reverse("dashboards:scorecards", args=[ente, year])
        if obj.type == "narrative":
            return reverse("reports:narrative", args=[ente, year, obj.id])
        if area in AREA_URLS:
            return reverse(AREA_URLS[area], args=[ente, year])
    except NoReverseMatch:
        return None
    return None


def _anchor(key: str) -> str:
    return "rilievo-" + hashlib.blake2s(key.encode(), digest_size=5).hexdigest()


def _value_label(key: str) -> str:
    if key.startswith("variant_"):
        return f"Variante {key.removeprefix('variant_')}"
    return VALUE_LABELS.get(key, key)


def _groups(findings, justifications, cycle, form_error):
    groups: dict[str, dict] = {}
    for finding in findings:
        group = groups.setdefault(
            finding.rule,
            {"rule": rules.RULES[finding.rule], "items": [], "justified": 0, "open": 0},
        )
        justification = justifications.get(finding.key)
        group["justified"] += justification is not None
        group["open"] += justification is None and finding.severity is rules.Severity.ERROR
        anchor = _anchor(finding.key)
        group["items"].append(
            {
                "finding": finding,
                "anchor": anchor,
                "justification": justification,
                "objects": [
                    {"label": obj.label, "url": _object_url(obj, finding.area, cycle)}
                    for obj in finding.objects
                ],
                "values": [(_value_label(k), v) for k, v in finding.values.items() if v != ""],
                "error": form_error.get(finding.key),
            }
        )
    return list(groups.values())


def _summary(found, justifications) -> list[dict]:
    counts = Counter(f.severity for f in found)
    return [
        {
            "severity": severity,
            "label": rules.SEVERITY_LABELS[severity],
            "count": counts.get(severity, 0),
            "justified": sum(
                1 for f in found if f.severity is severity and f.key in justifications
            ),
        }
        for severity in rules.Severity
    ]


def _justify_rule(request, cycle, year):
    """One justification for every finding of a rule; back to the rule's group."""
    form = RuleJustificationForm(request.POST)
    if form.is_valid():
        try:
            n = services.findings_justify_rule(
                user=request.user,
                cycle=cycle,
                rule=form.cleaned_data["rule"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            found = count(n, "rilievo", "rilievi")
            messages.success(request, f"Giustificazione registrata su {found}.")
    else:
        messages.error(request, "Richiesta non valida.")
    url = reverse("consistency:findings", args=[request.current_body_slug, year])
    return redirect(f"{url}#controllo-{request.POST.get('rule', '')}")


def _justify_finding(request, cycle, year, form_error):
    """The justification of one finding: a redirect to it once saved, else None with the
    refusal in ``form_error`` under the finding's key."""
    form = JustificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Richiesta non valida.")
        return redirect("consistency:findings", ente=request.current_body_slug, year=year)
    key = form.cleaned_data["key"]
    try:
        services.finding_justify(
            user=request.user, cycle=cycle, key=key, text=form.cleaned_data["text"]
        )
    except ValidationError as exc:
        form_error[key] = " ".join(exc.messages)
        return None
    messages.success(request, "Giustificazione registrata.")
    url = reverse("consistency:findings", args=[request.current_body_slug, year])
    return redirect(f"{url}#{_anchor(key)}")


@login_required
def findings(request, year):
    # Read here, not with year_cycle: this page has no year selector (its queries are pinned
    # by tests/test_consistency_demo.py), so it hands the cycle to its template itself.
    cycle = request_cycle(request, year)
    ensure(
        can_view_findings(request.user, cycle),
        "Solo l'ufficio pianificazione e l'OIV vedono i controlli di coerenza.",
    )
    form_error: dict[str, str] = {}
    if request.method == "POST" and "rule" in request.POST:
        return _justify_rule(request, cycle, year)
    if request.method == "POST":
        response = _justify_finding(request, cycle, year, form_error)
        if response is not None:
            return response
    found = services.consistency_run(cycle=cycle)
    justifications = selectors.justifications_by_key(cycle=cycle)
    context = {
        "cycle": cycle,
        "groups": _groups(found, justifications, cycle, form_error),
        "summary": _summary(found, justifications),
        "total": len(found),
        "open_errors": sum(
            1 for f in found if f.severity is rules.Severity.ERROR and f.key not in justifications
        ),
        "can_justify": can_justify_findings(request.user, cycle),
        "locked": cycle.state in LOCKED_STATES,
    }
    return render(request, "consistency/findings.html", context, status=400 if form_error else 200)
