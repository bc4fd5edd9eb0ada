"""The page *Configura l'ente* (the system administrator's): the form of
:func:`workflow.onboarding.body_setup`. An installation without a body leads here from its home
page (``relazione.views.home``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import permissions as perms
from accounts.models import Role
from lib.xlsx import XlsxError

from .onboarding import SetupResult, body_setup, units_sheet
from .onboarding_forms import BodySetupForm


def _setup(request, form: BodySetupForm) -> tuple[SetupResult | None, list[str]]:
    """Call the service: the body set up, or the errors it lists (all of them)."""
    data = form.cleaned_data
    try:
        units = units_sheet(data["units_file"]) if data.get("units_file") else data["units"]
        result = body_setup(
            user=request.user,
            name=data["name"],
            short_name=data["short_name"],
            tax_code=data["tax_code"],
            slug=data["slug"],
            kind=data["kind"],
            logo=data.get("logo"),
            first_year=data["first_year"],
            band_achieved_from=data["band_achieved_from"],
            band_partial_from=data["band_partial_from"],
            missed_deadline_pct=data["missed_deadline_pct"],
            units=units,
            people=data["people"],
            site_url=request.build_absolute_uri("/"),
        )
    except XlsxError as exc:
        return None, [str(exc)]
    except ValidationError as exc:
        return None, list(exc.messages)
    messages.success(
        request,
        f"Ente «{result.body.name}» configurato: {len(result.units)} unità, "
        f"{len(result.users)} persone invitate per e-mail, anno {result.cycle.year} in "
        "pianificazione. Il prossimo passo è il piano dell'anno.",
    )
    return result, []


@login_required
@require_http_methods(["GET", "POST"])
def body_setup_page(request):
    perms.ensure(
        perms.can_setup_body(request.user), "Solo l'amministratore di sistema configura un ente."
    )
    form = BodySetupForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        result, errors = _setup(request, form)
        if result is not None:  # the body's code: derived from the name if left empty
            return redirect("workflow:cycle", ente=result.body.slug, year=result.cycle.year)
    return render(
        request,
        "workflow/body_setup.html",
        {"form": form, "errors": errors, "roles": Role.choices},
        status=400 if errors or form.errors else 200,
    )
