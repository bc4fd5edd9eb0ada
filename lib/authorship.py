"""Who made a change, in the words of the pages and of the messages of a refused stale save.

Any user object with Django's ``get_full_name``/``get_username`` will do: no models here."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.utils import timezone


class Author(Protocol):
    def get_full_name(self) -> str: ...

    def get_username(self) -> str: ...


def user_label(user: Author | None) -> str:
    """The author of a version in a history: the person's name, or the loading of the data
    (a row written by a command, with no user)."""
    if user is None:
        return "sistema (caricamento)"
    return user.get_full_name() or user.get_username()


def change_author(user: Author | None, at: dt.datetime | None) -> str:
    """«da Mario Rossi il 12/03/2024 alle 10:15», for the messages of a refused stale save."""
    who = (user.get_full_name() or user.get_username()) if user is not None else None
    text = f"da {who}" if who else "da un'altra persona"
    if at is not None:
        local = timezone.localtime(at)
        text += f" il {local:%d/%m/%Y} alle {local:%H:%M}"
    return text
