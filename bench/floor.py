"""The floor page every bench ratio is taken against: one query (100 indicators of the year),
a bare template, through the project's middleware, no session read. One definition, for
bench/scale.py and bench/fixed_cost.py (imported by file name: both run as scripts)."""

FLOOR_NAME = "bench-floor"
FLOOR_PATH = "_bench/floor/<int:year>/"


def floor_view():
    from django.http import HttpResponse
    from django.template import Context, Template

    from indicators.models import Indicator

    template = Template(
        "<table>{% for i in rows %}<tr><td>{{ i.name }}</td><td>{{ i.target }}</td>"
        "<td>{{ i.actual }}</td></tr>{% endfor %}</table>"
    )

    def floor(request, year):
        rows = list(
            Indicator.objects.filter(cycle__year=year, cycle__body__slug=request.GET["ente"])
            .order_by("order", "id")
            .values("name", "target", "actual")[:100]
        )
        return HttpResponse(template.render(Context({"rows": rows})))

    return floor
