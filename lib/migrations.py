"""A migration step for models moved between apps: their content types follow them, so the
admin's history and any permission granted on them stay attached (instead of a new content type
being created and the old one left orphaned)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def content_types_moved(moves: dict[str, tuple[str, str]]) -> migrations.RunPython:
    """``moves``: model name -> (old app label, new app label). Reversible."""

    def relabel(apps: Any, forward: bool) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        for model, (old, new) in moves.items():
            source, target = (old, new) if forward else (new, old)
            if not content_type.objects.filter(app_label=target, model=model).exists():
                content_type.objects.filter(app_label=source, model=model).update(app_label=target)

    return migrations.RunPython(
        lambda apps, schema_editor: relabel(apps, True),
        lambda apps, schema_editor: relabel(apps, False),
    )
