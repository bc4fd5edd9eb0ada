"""The invitation of a person to the app: an e-mail with the link to set the password (Django's
password reset confirmation), queued after the commit through the task queue as every e-mail
of the app (:mod:`workflow.tasks`). Sent to each new person of a body set up by
:mod:`workflow.onboarding`, and again on request (the command ``send_invitation``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Membership, Role
from core.models import Body

logger = logging.getLogger(__name__)


def invitation_link(user: User, site_url: str = "") -> str:
    """The page where the person sets a password (Django's password reset confirmation): valid
    until it is used, the password changes, or ``PASSWORD_RESET_TIMEOUT`` passes."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{site_url.rstrip('/')}{path}"


def invitation_message(user: User, role: str, body: Body | None, link: str) -> list[object]:
    """The e-mail (subject, text, sender, recipients) inviting ``user`` to ``body``."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    where = f" di {body.name}" if body is not None else ""
    subject = f"[Relazione] Accesso{f' per {body.short_name or body.name}' if body else ''}"
    text = (
        f"Gentile {user.get_full_name() or user.email},\n\n"
        f"è stato creato il suo accesso all'applicazione della Relazione sulla Performance"
        f"{where}, con il ruolo «{Role(role).label}».\n\n"
        f"Per scegliere la password apra questo indirizzo (valido {days} giorni, una volta "
        f"sola):\n{link}\n\n"
        f"Il suo nome utente è: {user.username}\n"
    )
    return [subject, text, settings.DEFAULT_FROM_EMAIL, [user.email]]


def invitations_queue(messages: list[list[object]]) -> None:
    """The messages handed to the task queue once the current transaction commits."""
    if not messages:
        return

    def enqueue() -> None:
        from .tasks import notifications_send

        try:
            notifications_send.enqueue(messages)
        except Exception:  # the body exists: a queue down is logged, the links can be resent
            logger.exception("Inviti non messi in coda: %s", [m[3] for m in messages])

    transaction.on_commit(enqueue)


def invitation_send(*, email: str, site_url: str = "") -> str:
    """A new invitation for a person whose link expired or was lost (the command
    ``send_invitation``): the same e-mail, queued the same way; returns the link. The body
    named is the person's body (their first, if several)."""
    user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    membership = (
        Membership.objects.select_related("body").filter(user=user).order_by("pk").first()
        if user is not None
        else None
    )
    if user is None or membership is None:
        raise ValidationError(f"Nessun utente attivo con un ruolo e l'e-mail «{email}».")
    link = invitation_link(user, site_url)
    with transaction.atomic():
        invitations_queue([invitation_message(user, membership.role, membership.body, link)])
    return link
