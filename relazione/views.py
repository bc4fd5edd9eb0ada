from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.encoding import iri_to_uri
from django.views.decorators.http import require_safe

from accounts import permissions as perms
from accounts.selectors import body_list, cycle_latest, cycle_list, request_body
from core.models import Body
from core.selectors import only_body


def home(request):
    """The bodies a person may work on or read: one leads to its latest year, several are
    listed for the person to choose (a body is never picked for them)."""
    bodies = body_list(user=request.user)
    if len(bodies) == 1:  # the year chosen in an old link (?anno=) is kept
        url = reverse("body_home", args=[bodies[0].slug])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    if not bodies:
        return _empty(request, None)
    return render(request, "relazione/bodies.html", {"bodies": bodies})


def body_home(request):
    """Year selector target: ?anno=YYYY goes to that year's map, otherwise the latest year."""
    body = request_body(request)
    year = request.GET.get("anno", "")
    visible = cycle_list(body=body, user=request.user)
    if year.isdigit() and visible.filter(year=int(year)).exists():
        return redirect("dashboards:map", ente=body.slug, year=int(year))
    cycle = cycle_latest(body=body, user=request.user)
    if cycle is None and not perms.is_internal(request.user, body):
        raise Http404("Ente senza anni pubblicati.")
    if cycle is None:
        return _empty(request, body)
    return redirect("dashboards:map", ente=body.slug, year=cycle.year)


def _empty(request, body):
    """No year to show: each person is told the next step and given its link (issue 16). An
    installation without a body takes its administrator to *Configura l'ente*."""
    user = request.user
    configured = body is not None or Body.objects.exists()
    if not configured and perms.can_setup_body(user):
        return redirect("workflow:body_setup")
    return render(
        request,
        "relazione/empty.html",
        {
            "body": body,
            "configured": configured,
            "internal": body is not None and perms.is_internal(user, body),
            "can_setup": perms.can_setup_body(user),
            "can_import_plan": body is not None and perms.can_import_plan(user, body),
            "can_plan_admin": perms.can_view_plan_admin(user),
        },
    )


@require_safe
def body_logo(request):
    """The body's logo, for its pages' header (public: the logo is the body's own face)."""
    body = request_body(request)
    if not body.logo:
        raise Http404("L'ente non ha un logo.")
    suffix = body.logo.name.rsplit(".", 1)[-1].lower()
    content_type = "image/png" if suffix == "png" else "image/jpeg"
    response = FileResponse(body.logo.open("rb"), content_type=content_type)
    patch_cache_control(response, public=True, max_age=3600)
    return response


def short_url(request, rest):
    """An address without the body (``/2023/…``, the releases before bodies had their own):
    in an installation with one body it still leads to that body's page; with several it
    cannot be guessed."""
    return redirect(_with_only_body(request, "/{slug}/" + rest))


def short_public_url(request, rest):
    return redirect(_with_only_body(request, "/trasparenza/{slug}/" + rest))


def _with_only_body(request, template: str) -> str:
    body = only_body()
    if body is None:
        raise Http404("Indirizzo senza l'ente: sceglierlo dalla pagina iniziale.")
    query = request.META.get("QUERY_STRING", "")
    return iri_to_uri(template.format(slug=body.slug)) + (f"?{query}" if query else "")


def accessibility(request):
    return render(request, "relazione/accessibility.html")
