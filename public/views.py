from django.shortcuts import render

from relazione.selectors import cycle_list


def index(request):
    """Amministrazione trasparente: the published years only, whoever asks."""
    cycles = list(cycle_list(user=None))
    return render(
        request,
        "public/index.html",
        {"cycles": cycles, "cycle": cycles[0] if cycles else None, "public": True},
    )
