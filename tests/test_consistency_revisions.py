"""REV-001 on real data: a target changed after the plan was approved, by a path that skipped
the revision service (the ORM here), is reported until a revision record gives that target."""

import datetime as dt

from django.utils import timezone

from consistency import services
from core.locking import unlocked
from core.models import Transition
from indicators.models import Indicator, TargetRevision


def _rev(cycle):
    return [f for f in services.consistency_run(cycle=cycle) if f.rule == "REV-001"]


def test_unrecorded_target_change_is_reported_until_a_revision_exists(cycle, django_user_model):
    user = django_user_model.objects.create_user("pianif-rev")
    assert _rev(cycle) == []  # the demo changed no target after approval
    with unlocked():
        # The demo's approval is dated 2024, before its history: start the year afresh.
        Transition.objects.filter(cycle=cycle).delete()
        Transition.objects.create(
            cycle=cycle, source="planning", target="monitoring", user=user, at=timezone.now()
        )
        ind = Indicator.objects.get(cycle=cycle, name__startswith="N. Iniziative strategiche di")
        ind.target = "20"
        ind.save()
    (finding,) = _rev(cycle)
    assert finding.objects[0].id == ind.id and "20" in finding.message
    with unlocked():
        TargetRevision.objects.create(
            indicator=ind,
            old_target="13",
            new_target="20",
            reason="Nuove iniziative",
            act_reference="delibera di Giunta n. 45/2023",
            act_date=dt.date(2023, 6, 30),
            created_by=user,
        )
    assert _rev(cycle) == []
