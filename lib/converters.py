"""Path converters of bounded integers: a year or an id out of the database column's range is
a 404 (no URL match), never an overflow in a query (a 500 on SQLite and PostgreSQL alike).

Registered once, on import; every ``urls.py`` imports this module and uses ``<year:year>``
and ``<id:pk>`` instead of ``<int:...>``.
"""

import re

from django.urls import register_converter

from .codes import CODE_PATTERN, code_allowed


class BoundedInt:
    """Digits only, and a value between ``minimum`` and ``maximum``: Django treats the
    ``ValueError`` of :meth:`to_python` as "no match"."""

    minimum = 0
    maximum = 0
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        if len(value) > len(str(self.maximum)):
            raise ValueError(value)
        number = int(value)
        if not self.minimum <= number <= self.maximum:
            raise ValueError(value)
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


class Year(BoundedInt):
    """The year of a cycle: ``Cycle.year`` accepts 2000–2100."""

    minimum, maximum = 2000, 2100
    regex = "[0-9]{4}"


class Id(BoundedInt):
    """A primary key: ``BigAutoField``, 1 … 2⁶³−1."""

    minimum, maximum = 1, 2**63 - 1
    regex = "[0-9]{1,19}"


class BodySlug:
    """The body's code at the head of its pages (``/<ente>/<anno>/…``): lowercase words joined
    by hyphens, never a word the installation uses for its own pages, never only digits (a year
    there is an old short address, redirected)."""

    regex = "[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        if not body_slug_allowed(value):
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class ObjectiveCode:
    """A strategic objective's code as the body writes it (lib.codes): "1.1", "0101", "A.1",
    "1/2". Anything else, or longer than the column, is no match: a 404."""

    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        if not code_allowed(value):
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return str(value)


# The first segments of the installation's own addresses: a body cannot take one as its code.
RESERVED_BODY_SLUGS = frozenset(
    {
        "account",
        "accessibilita",
        "admin",
        "api",
        "confronti",
        "enti",
        "gestione",
        "healthz",
        "media",
        "reports",
        "static",
        "trasparenza",
    }
)
BODY_SLUG_MAX_LENGTH = 50


def body_slug_allowed(value: str) -> bool:
    return (
        0 < len(value) <= BODY_SLUG_MAX_LENGTH
        and re.fullmatch(BodySlug.regex, value) is not None
        and not value.isdigit()
        and value not in RESERVED_BODY_SLUGS
    )


register_converter(Year, "year")
register_converter(Id, "id")
register_converter(BodySlug, "ente")
register_converter(ObjectiveCode, "objcode")
