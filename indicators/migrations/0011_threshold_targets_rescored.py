"""A target written as a threshold (``≥ 60``) under a Polarità «higher» or «lower» is scored by
the body's threshold rule, as under «sopra/sotto la soglia» (indicators.domain.is_threshold):
the stored figures of such indicators are recomputed, in the open years only. A validated or
published year keeps the figures its OIV validated (``rebuild_figures`` reports them)."""

from decimal import Decimal

from django.db import migrations

from core.machine import LOCKED_STATES
from core.measurement import Bands, MeasurementRules
from core.scoring_method import parse_scoring_method
from indicators.domain import parse_value, stored_figures


def rescore(apps, schema_editor):
    cycle_model = apps.get_model("core", "Cycle")
    indicator_model = apps.get_model("indicators", "Indicator")
    candidates = indicator_model.objects.filter(direction__in=["higher", "lower"]).exclude(
        target=""
    )
    cycle_ids = candidates.values_list("cycle_id", flat=True).distinct()
    for cycle in cycle_model.objects.filter(pk__in=cycle_ids).exclude(state__in=LOCKED_STATES):
        # The year's own rules, as core.selectors.measurement_rules reads them.
        rules = MeasurementRules(
            Bands(cycle.band_achieved_from, cycle.band_partial_from),
            cycle.missed_deadline_pct if cycle.missed_deadline_pct is not None else Decimal(0),
            parse_scoring_method(cycle.scoring_method or {}),
        )
        changed = []
        for ind in candidates.filter(cycle=cycle).only(
            "id", "kind", "direction", "target", "actual", "threshold_rule", "realization", "status"
        ):
            if not parse_value(ind.target).comparator:
                continue
            figures = stored_figures(
                ind.kind, ind.direction, ind.target, ind.actual, rules, ind.threshold_rule
            )
            if figures != (ind.realization, ind.status):
                ind.realization, ind.status = figures
                changed.append(ind)
        indicator_model.objects.bulk_update(changed, ["realization", "status"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_level_labels"),
        ("indicators", "0010_indicator_common_code"),
    ]

    operations = [migrations.RunPython(rescore, migrations.RunPython.noop)]
