from django.shortcuts import render

from relazione.selectors import cycle_get


def strategic_map(request, year):
    cycle = cycle_get(year=year)
    return render(request, "objectives/map.html", {"cycle": cycle})
