"""Reads for Amministrazione trasparente: only published years exist here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.http import Http404
from django.utils import timezone

from core.models import Body, Cycle

from .models import Publication


def published_cycle_get(*, body_slug: str, year: int) -> Cycle:
    """One query: the published year with its body and publication (version, date); 404 for
    any other state, so a draft, submitted or returned year does not exist publicly."""
    cycle = (
        Cycle.objects.select_related("body", "publication")
        .filter(body__slug=body_slug, year=year, state=Cycle.State.PUBLISHED)
        .first()
    )
    if cycle is None:
        raise Http404("Anno non pubblicato.")
    return cycle


def published_years(*, body_id: int) -> list[int]:
    return list(
        Cycle.objects.filter(body_id=body_id, state=Cycle.State.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def publication_of(cycle: Cycle):
    """The Publication row, or None for a year published before public/ was migrated."""
    try:
        return cycle.publication
    except Cycle.publication.RelatedObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class PublishedVersion:
    """What a cached public response depends on: the year, its publication version and date."""

    body_slug: str
    year: int
    version: int
    published_at: dt.datetime | None

    @property
    def token(self) -> str:
        stamp = int(self.published_at.timestamp()) if self.published_at else 0
        return f"{self.version}.{stamp}"


def published_version_get(*, body_slug: str, year: int) -> PublishedVersion:
    """One small query, on the hot path of every cached public response (no ORM compilation:
    it would cost more than serving the cached body); 404 unless the year is published."""
    cycle_table = Cycle._meta.db_table
    publication_table = Publication._meta.db_table
    body_table = Body._meta.db_table
    sql = (
        f'SELECT p.version, p.published_at FROM "{cycle_table}" c '  # noqa: S608 - table names
        f'JOIN "{body_table}" b ON b.id = c.body_id '
        f'LEFT JOIN "{publication_table}" p ON p.cycle_id = c.id '
        "WHERE b.slug = %s AND c.year = %s AND c.state = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [body_slug, year, Cycle.State.PUBLISHED.value])
        row = cursor.fetchone()
    if row is None:
        raise Http404("Anno non pubblicato.")
    version, published_at = row
    if isinstance(published_at, str):  # SQLite returns the text of the column
        published_at = dt.datetime.fromisoformat(published_at)
    if published_at is not None and timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at, dt.UTC)
    return PublishedVersion(body_slug, year, version or 0, published_at)


@dataclass(frozen=True)
class PublishedYear:
    """A published year as a page across bodies depends on it."""

    body_slug: str
    body_name: str
    body_kind: str
    year: int
    version: int
    published_at: dt.datetime | None


def published_installation() -> tuple[PublishedYear, ...]:
    """One query: every published year of the installation, by body name and year."""
    rows = (
        Cycle.objects.filter(state=Cycle.State.PUBLISHED)
        .order_by("body__name", "year")
        .values_list(
            "body__slug",
            "body__name",
            "body__kind",
            "year",
            "publication__version",
            "publication__published_at",
        )
    )
    return tuple(
        PublishedYear(slug, name, kind, year, version or 0, published_at)
        for slug, name, kind, year, version, published_at in rows
    )
