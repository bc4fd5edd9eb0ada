"""Loads the demo data (the Relazione sulla Performance 2023 of the Camera di commercio di
Bergamo) from the YAML transcription in ``fixtures/<year>/``.

The units and the plan are read into the plan builder's spec (:mod:`demo.plan`) and built by
:mod:`indicators.plan_builder`, as every other path that builds a year; the context and
resources, with every printed total kept as a DeclaredFigure beside the computed value, by
:mod:`demo.resources`; the narratives by ``demo.narratives``; the workflow of the demo years
(2023 validated and published, 2024 opened from it) by :mod:`demo.workflow`.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from core.locking import unlocked  # the demo years are rebuilt even when validated
from core.models import Body, Cycle
from indicators.plan_builder import plan_build, units_build
from objectives.models import sync_unit_labels

from .narratives import narratives_load
from .plan import UNIT_SPECS, plan_spec, read_yaml
from .resources import resources_load
from .workflow import demo_after_load

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

BODY = {
    "name": "Camera di commercio, industria, artigianato e agricoltura di Bergamo",
    "short_name": "Camera di commercio di Bergamo",
    "slug": "cciaa-bergamo",
    "kind": "camera",
}


def demo_load(*, year: int = 2023, folder: Path | None = None) -> Cycle:
    """(Re)load the demo year. Idempotent: the year is rebuilt from the files in a transaction."""
    folder = folder or FIXTURES_DIR / str(year)
    plan = plan_spec(folder)  # every file read before anything is deleted
    with transaction.atomic(), unlocked():
        body, _ = Body.objects.update_or_create(slug=BODY["slug"], defaults=BODY)
        Cycle.objects.filter(body=body, year=year).delete()
        cycle = Cycle.objects.create(
            body=body,
            year=year,
            state=Cycle.State.PUBLISHED,
            plan_reference="PIAO 2023-2025 approvato con delibera n. 2/2023",
        )
        units_build(body=body, units=UNIT_SPECS)
        sync_unit_labels(cycle_ids=[cycle.pk])  # the year, built published, names its units
        plan_build(cycle=cycle, plan=plan)
        resources_load(cycle, read_yaml(folder / "context.yaml"))
        narratives_load(cycle, folder)
        demo_after_load(cycle)  # workflow: 2023 validated and published, 2024 open
    return cycle
