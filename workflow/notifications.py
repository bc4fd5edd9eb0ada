"""E-mails to the people concerned (queued after the commit, sent by the task queue's worker:
workflow/tasks.py) and the reminder a unit manager gets at login about what is still missing
in their cruscotti."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.html import format_html

from accounts.models import Role
from core import machine

logger = logging.getLogger(__name__)

TRANSITION_AUDIENCE = {
    machine.MONITORING: (Role.PLANNING, Role.MANAGER),
    machine.CLOSED: (Role.PLANNING, Role.MANAGER),
    machine.SUBMITTED: (Role.OIV, Role.PLANNING),
    machine.RETURNED: (Role.PLANNING, Role.MANAGER),
    machine.VALIDATED: (Role.PLANNING, Role.MANAGER, Role.ADMIN),
    machine.PUBLISHED: (Role.PLANNING, Role.MANAGER, Role.OIV),
}
REOPEN_AUDIENCE = (Role.PLANNING, Role.MANAGER, Role.OIV, Role.ADMIN)


def _users(*, body_id, roles=(), unit_ids=(), extra_ids=()):
    """The people of one body with the roles, its managers of the units (a role in another
    body receives nothing of this one), and the extra people named."""
    from django.db.models import Q

    q = Q(memberships__body_id=body_id, memberships__role__in=list(roles))
    if unit_ids:
        q |= Q(
            memberships__body_id=body_id,
            memberships__role=Role.MANAGER,
            memberships__units__in=list(unit_ids),
        )
    if extra_ids:
        q |= Q(pk__in=list(extra_ids))
    return (
        get_user_model()
        .objects.filter(q, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _tag(cycle) -> str:
    """The subject's prefix: the year and whose (a person may work for several bodies)."""
    body = cycle.body
    return f"[Relazione {cycle.year} · {body.short_name or body.name}]"


def _site() -> str:
    return getattr(settings, "RELAZIONE", {}).get("SITE_URL", "").rstrip("/")


def _send(recipients, subject: str, body: str, *, exclude=None) -> None:
    addresses = sorted(
        {u.email for u in recipients if exclude is None or u.pk != getattr(exclude, "pk", None)}
    )
    if not addresses:
        return
    sender = settings.DEFAULT_FROM_EMAIL
    datatuple = [[subject, body, sender, [address]] for address in addresses]

    def enqueue():
        from .tasks import notifications_send

        try:
            notifications_send.enqueue(datatuple)
        except Exception:  # the queue unreachable must not turn a saved transition into a 500
            logger.exception("Notifiche non messe in coda: %s", subject)

    transaction.on_commit(enqueue)


def on_transition(record) -> None:
    cycle = record.cycle
    reopen = record.source in machine.LOCKED_STATES and record.target == machine.MONITORING
    roles = REOPEN_AUDIENCE if reopen else TRANSITION_AUDIENCE.get(record.target, ())
    who = record.user.get_full_name() or record.user.username if record.user else "il sistema"
    subject = f"{_tag(cycle)} {machine.label(record.target)}"
    if reopen:
        subject = f"{_tag(cycle)} Anno validato riaperto"
    lines = [
        f"Il ciclo della performance {cycle.year} è passato da «{machine.label(record.source)}» "
        f"a «{machine.label(record.target)}» ({who}, {record.at:%d/%m/%Y %H:%M}).",
    ]
    if record.note:
        lines += ["", f"Nota: {record.note}"]
    if reopen:
        lines += ["", "La validazione dell'OIV è stata annullata."]
    lines += [
        "",
        f"Dettagli: {_site()}{reverse('workflow:cycle', args=[cycle.body.slug, cycle.year])}",
    ]
    _send(
        _users(body_id=cycle.body_id, roles=roles), subject, "\n".join(lines), exclude=record.user
    )


def _remark_units(remark) -> set[int]:
    from .permissions import remark_unit_ids

    return remark_unit_ids(remark)


def _remark_link(remark) -> str:
    cycle = remark.cycle
    return f"{_site()}{reverse('workflow:remark', args=[cycle.body.slug, cycle.year, remark.pk])}"


def on_remark(remark) -> None:
    subject = f"{_tag(remark.cycle)} Nuova osservazione dell'OIV"
    body = (
        f"L'OIV ha lasciato un'osservazione su {remark.subject_label}:\n\n{remark.text}\n\n"
        f"Per rispondere: {_remark_link(remark)}"
    )
    recipients = _users(
        body_id=remark.cycle.body_id, roles=(Role.PLANNING,), unit_ids=_remark_units(remark)
    )
    _send(recipients, subject, body, exclude=remark.author)


def _participants(remark) -> set[int]:
    return {remark.author_id, *remark.replies.values_list("author_id", flat=True)}


def on_reply(reply) -> None:
    remark = reply.remark
    subject = f"{_tag(remark.cycle)} Risposta a un'osservazione dell'OIV"
    who = reply.author.get_full_name() or reply.author.username
    body = (
        f"{who} ha risposto all'osservazione su {remark.subject_label}:\n\n{reply.text}\n\n"
        f"Discussione: {_remark_link(remark)}"
    )
    recipients = _users(
        body_id=remark.cycle.body_id,
        roles=(Role.PLANNING,),
        unit_ids=_remark_units(remark),
        extra_ids=_participants(remark),
    )
    _send(recipients, subject, body, exclude=reply.author)


def on_remark_closed(remark) -> None:
    subject = f"{_tag(remark.cycle)} Osservazione chiusa dall'OIV"
    body = f"L'OIV ha chiuso l'osservazione su {remark.subject_label}.\n\n{_remark_link(remark)}"
    recipients = _users(
        body_id=remark.cycle.body_id,
        roles=(Role.PLANNING,),
        unit_ids=_remark_units(remark),
        extra_ids=_participants(remark),
    )
    _send(recipients, subject, body, exclude=remark.closed_by)


@receiver(user_logged_in, dispatch_uid="workflow-manager-todo")
def remind_manager(sender, request, user, **kwargs):
    """A unit manager sees at login what is still missing in their cruscotti, in each body
    where they manage units."""
    from accounts.models import Membership

    from .selectors import open_cycle_for_entry

    if request is None:
        return
    managed = Membership.objects.filter(user=user, role=Role.MANAGER).values_list("body_id")
    for (body_id,) in managed:
        cycle = open_cycle_for_entry(body_id)
        if cycle is not None:
            _remind(request, user, cycle)


def _remind(request, user, cycle) -> None:
    from .selectors import manager_todo

    todo = manager_todo(cycle, user)
    if not todo.total:
        return
    url = reverse("workflow:todo", args=[cycle.body.slug, cycle.year])
    messages.warning(
        request,
        format_html(
            "Anno {}: {} indicatori senza valore e {} sotto il risultato atteso senza "
            'motivazione nei suoi cruscotti. <a href="{}">Vedi cosa manca</a>.',
            cycle.year,
            len(todo.missing_actual),
            len(todo.missing_explanation),
            url,
        ),
        fail_silently=True,  # logins without the messages middleware (tests, scripts)
    )
