"""lib.authorship: who made a change, as the histories and the stale-save messages say it."""

import datetime as dt
from dataclasses import dataclass

from lib.authorship import change_author, user_label


@dataclass
class Person:
    full_name: str
    username: str

    def get_full_name(self) -> str:
        return self.full_name

    def get_username(self) -> str:
        return self.username


def test_user_label_names_the_person_or_the_data_load():
    assert user_label(Person("Mario Rossi", "mrossi")) == "Mario Rossi"
    assert user_label(Person("", "mrossi")) == "mrossi"
    assert user_label(None) == "sistema (caricamento)"


def test_change_author_says_who_and_when_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Rome"  # UTC+1 in March
    at = dt.datetime(2024, 3, 12, 23, 15, tzinfo=dt.UTC)
    assert change_author(Person("Mario Rossi", "mrossi"), at) == (
        "da Mario Rossi il 13/03/2024 alle 00:15"
    )
    assert change_author(None, None) == "da un'altra persona"
    assert change_author(Person("", ""), None) == "da un'altra persona"
