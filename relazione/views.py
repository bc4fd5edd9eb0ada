from django.shortcuts import redirect, render

from .selectors import cycle_latest


def home(request):
    cycle = cycle_latest()
    if cycle is None:
        return render(request, "relazione/empty.html")
    return redirect("objectives:map", year=cycle.year)
