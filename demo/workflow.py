"""The demo years as they went: 2023 validated by the OIV and published (transitions,
checklist, a Validation with the real snapshot), and 2024 opened from it, in data entry, with
half of the actuals filled in (every other indicator, deterministic).

Dates follow the timetable printed in the Relazione 2023 (validation by May 2024,
publication by June 2024); they are plausible demo dates, not the body's real acts.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import machine
from core.locking import unlocked
from core.models import Body, Cycle, Transition
from indicators import domain
from workflow import services
from workflow.checklist import checklist_default_create
from workflow.models import ChecklistAnswer, ChecklistItem, TargetProposal

STATEMENT_2023 = (
    "L'OIV, esaminata la Relazione sulla Performance 2023 e verificata la coerenza tra i "
    "risultati rendicontati e gli obiettivi del Piano, ne attesta la validazione ai sensi "
    "dell'art. 14, comma 4, lett. c) del D.Lgs. 150/2009."
)


def _aware(year, month, day, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


def _user(role: str):
    """An active user with the role (the demo accounts, when loaded first); otherwise an
    inactive placeholder that cannot log in, so the history has an author and no password is
    ever created here."""
    from accounts.models import Membership

    from .loader import BODY

    user_model = get_user_model()
    body = Body.objects.get(slug=BODY["slug"])
    held = user_model.objects.filter(memberships__body=body, memberships__role=role)
    user = held.filter(is_active=True).order_by("pk").first()
    if user is not None:
        return user
    user, created = user_model.objects.get_or_create(
        username=f"storico-{role}",
        defaults={"is_active": False, "first_name": "Utente storico", "last_name": role},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, body=body, defaults={"role": role})
    return user


def demo_checklist(body) -> list[ChecklistItem]:
    """The demo body's checklist: the default every new body gets (workflow.checklist)."""
    return checklist_default_create(body)


def demo_after_load(cycle: Cycle) -> None:
    """Called at the end of demo.loader.demo_load (inside its transaction)."""
    if cycle.year != 2023:
        return
    demo_validate_2023(cycle)
    demo_open_2024(cycle)


def demo_validate_2023(cycle: Cycle) -> None:
    planning, oiv = _user("planning"), _user("oiv")
    with unlocked():
        Transition.objects.filter(cycle=cycle).delete()
        Cycle.objects.filter(pk=cycle.pk).update(state=machine.PLANNING)
        cycle.state = machine.PLANNING
        steps = [
            (machine.MONITORING, planning, _aware(2023, 1, 31), "Piano approvato, dati aperti."),
            (machine.CLOSED, planning, _aware(2024, 3, 29), ""),
            (machine.SUBMITTED, planning, _aware(2024, 4, 30), "Relazione approvata dalla Giunta."),
        ]
        for target, user, at, note in steps:
            services._apply(cycle, target, user=user, note=note, at=at)
        for item in demo_checklist(cycle.body):
            ChecklistAnswer.objects.update_or_create(
                cycle=cycle, item=item, defaults={"checked": True, "user": oiv, "text": item.text}
            )
        services._validate(cycle, user=oiv, statement=STATEMENT_2023, date=dt.date(2024, 5, 28))
        services._apply(
            cycle, machine.VALIDATED, user=oiv, note=STATEMENT_2023, at=_aware(2024, 5, 28)
        )
        services._apply(cycle, machine.PUBLISHED, user=planning, note="", at=_aware(2024, 6, 20))


def demo_open_2024(source: Cycle) -> Cycle:
    planning = _user("planning")
    with unlocked():
        Cycle.objects.filter(body_id=source.body_id, year=source.year + 1).delete()
        new = services._open_next(source, planning)
        TargetProposal.objects.filter(indicator__cycle=new).update(
            confirmed_by=planning, confirmed_at=_aware(2024, 1, 25)
        )
        new.plan_reference = "PIAO 2024-2026 (dati dimostrativi)"
        new.save(update_fields=["plan_reference"])
        services._apply(
            new, machine.MONITORING, user=planning, note="Piano approvato.", at=_aware(2024, 1, 31)
        )
        proposals = list(
            TargetProposal.objects.filter(indicator__cycle=new)
            .select_related("indicator", "source_indicator")
            .order_by("indicator__order", "indicator_id")
        )
        for index, proposal in enumerate(proposals):
            if index % 2 or proposal.source_indicator is None:
                continue
            indicator = proposal.indicator
            # 2023's dates as 2024's: a deadline met on 15/06/2023 was met on 15/06/2024.
            indicator.actual = domain.shift_value_years(proposal.source_indicator.actual, 1)
            indicator.explanation = proposal.source_indicator.explanation
            indicator.save(update_fields=["actual", "explanation"])
    return new
