from django.shortcuts import redirect, render

from accounts import permissions as perms
from accounts.selectors import cycle_latest, cycle_list
from core.models import Body


def home(request):
    """Year selector target: ?anno=YYYY goes to that year's map, otherwise the latest year."""
    year = request.GET.get("anno", "")
    if year.isdigit() and cycle_list(user=request.user).filter(year=int(year)).exists():
        return redirect("dashboards:map", year=int(year))
    cycle = cycle_latest(user=request.user)
    if cycle is None:
        return _empty(request)
    return redirect("dashboards:map", year=cycle.year)


def _empty(request):
    """No year to show: each person is told the next step and given its link (issue 16). An
    installation without a body takes its administrator to *Configura l'ente*."""
    user = request.user
    configured = Body.objects.exists()
    if not configured and perms.can_setup_body(user):
        return redirect("workflow:body_setup")
    return render(
        request,
        "relazione/empty.html",
        {
            "configured": configured,
            "internal": perms.is_internal(user),
            "can_setup": perms.can_setup_body(user),
            "can_import_plan": perms.can_import_plan(user),
            "can_plan_admin": perms.can_view_plan_admin(user),
        },
    )


def accessibility(request):
    return render(request, "relazione/accessibility.html")
