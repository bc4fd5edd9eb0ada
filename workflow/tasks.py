"""E-mails of the workflow, sent by the task queue (Django's tasks framework) rather than in
the request: a slow or unreachable mail server neither delays nor undoes a transition, and a
failed send stays in the queue with its error."""

from django.core.mail import send_mass_mail
from django.tasks import task


# No priority over the PDFs: the Redis backend (TASKS_BACKEND=rq) refuses tasks that set one.
@task
def notifications_send(messages: list[list]) -> int:
    """``messages``: [subject, body, sender, [recipient]] each; returns how many were sent."""
    return send_mass_mail(
        [(subject, body, sender, list(to)) for subject, body, sender, to in messages],
        fail_silently=False,
    )
