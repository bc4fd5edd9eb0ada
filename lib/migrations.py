"""A migration step for models moved between apps: their content types follow them, so the
admin's history and any permission granted on them stay attached (instead of a new content type
being created and the old one left orphaned)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _merge(apps: Any, source: Any, target: Any) -> None:
    """``target`` already exists (``migrate`` creates the content types of the models it knows
    after each run, so a partial or backward migration leaves one for the new label): what
    points to it moves to ``source``, then ``target`` goes and ``source`` takes its label."""
    permission = apps.get_model("auth", "Permission")
    apps.get_model("admin", "LogEntry").objects.filter(content_type=target).update(
        content_type=source
    )
    kept = set(permission.objects.filter(content_type=source).values_list("codename", flat=True))
    for perm in permission.objects.filter(content_type=target):
        if perm.codename in kept:
            old = permission.objects.get(content_type=source, codename=perm.codename)
            for group in perm.group_set.all():
                group.permissions.add(old)
            for user in perm.user_set.all():
                user.user_permissions.add(old)
            perm.delete()
        else:
            permission.objects.filter(pk=perm.pk).update(content_type=source)
    target.delete()


def content_types_moved(moves: dict[str, tuple[str, str]]) -> migrations.RunPython:
    """``moves``: model name -> (old app label, new app label). Reversible. The migration that
    uses it depends on ``admin`` and ``auth`` (it moves their rows)."""

    def relabel(apps: Any, forward: bool) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        for model, (old, new) in moves.items():
            source_label, target_label = (old, new) if forward else (new, old)
            source = content_type.objects.filter(app_label=source_label, model=model).first()
            if source is None:
                continue
            target = content_type.objects.filter(app_label=target_label, model=model).first()
            if target is not None:
                _merge(apps, source, target)
            content_type.objects.filter(pk=source.pk).update(app_label=target_label)

    return migrations.RunPython(
        lambda apps, schema_editor: relabel(apps, True),
        lambda apps, schema_editor: relabel(apps, False),
    )
