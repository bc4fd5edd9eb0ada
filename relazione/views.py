from django.shortcuts import redirect, render

from accounts.selectors import cycle_latest, cycle_list


def home(request):
    """Year selector target: ?anno=YYYY goes to that year's map, otherwise the latest year."""
    year = request.GET.get("anno", "")
    if year.isdigit() and cycle_list(user=request.user).filter(year=int(year)).exists():
        return redirect("dashboards:map", year=int(year))
    cycle = cycle_latest(user=request.user)
    if cycle is None:
        return render(request, "relazione/empty.html")
    return redirect("dashboards:map", year=cycle.year)


def accessibility(request):
    return render(request, "relazione/accessibility.html")
