"""What an empty page of a year says to do next, with the links (issue 16): a year without its
plan (map, cruscotti, cycle page), a year without common objectives. Asked only where the page
already found nothing to show, so a year with its plan pays no query for it."""

from django import template

from accounts import permissions as perms
from core.models import Cycle

register = template.Library()


@register.inclusion_tag("includes/next_steps.html", takes_context=True)
def next_steps(context, cycle: Cycle, part: str = "plan", only_if_empty: bool = False):
    """``part``: what the page lacks, ``plan`` (the year's plan) or ``common`` (the common
    objectives: the plan's next step if the plan itself is missing). ``only_if_empty``: the
    page does not know whether the plan is there (the cycle page): nothing is said if it is."""
    request = context.get("request")
    user = getattr(request, "user", None)
    plan_missing = part == "plan" and not only_if_empty
    if not plan_missing:
        plan_missing = not cycle.perspectives.exists()
    if only_if_empty and not plan_missing:
        return {"show": False}
    return {
        "show": True,
        "cycle": cycle,
        "plan_missing": plan_missing,
        "internal": perms.is_internal(user, cycle),
        "planning": cycle.state == Cycle.State.PLANNING,
        "can_import_plan": (
            perms.can_import_plan(user, cycle) and cycle.state == Cycle.State.PLANNING
        ),
        "can_plan_admin": perms.can_view_plan_admin(user),
    }
