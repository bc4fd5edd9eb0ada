"""The main menu: the pages of a year with their labels and addresses. Which internal pages a
person sees is decided by :func:`accounts.permissions.menu_pages`; the data pages (map,
cruscotti, ...) are open to whoever may see the year."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.permissions import is_internal, menu_pages
from core import structure
from lib import links
from resources.structure import year_structure

# code -> (label, URL name taking the year)
INTERNAL_PAGES = {
    "todo": ("Da fare", "workflow:todo"),
    "cycle": ("Ciclo", "workflow:cycle"),
    "findings": ("Controlli di coerenza", "consistency:findings"),
    "oiv": ("Spazio OIV", "workflow:workspace"),
    "texts": ("Testi della Relazione", "reports:report"),
    "entry": ("Gestione", "indicators:index"),
    "resources": ("Contesto e risorse", "resources:index"),
}
# (label, URL name, the parts of the Relazione the page shows: None for every year, else shown
# when the year has any of them, core.structure)
DATA_PAGES = (
    ("Mappa strategica", "dashboards:map", None),
    ("Cruscotti", "dashboards:scorecards", None),
    ("Obiettivi comuni", "dashboards:common", (structure.COMMON,)),
    ("Risorse economiche", "reports:budget", (structure.BUDGET,)),
    ("Personale e genere", "reports:people", (structure.STAFF, structure.GENDER)),
)


def data_pages(parts: structure.Structure) -> list[tuple[str, str]]:
    """The data pages of a year with the parts its Relazione has (internal and public menus)."""
    return [
        (label, name)
        for label, name, keys in DATA_PAGES
        if keys is None or any(parts.has(key) for key in keys)
    ]


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Menu:
    internal: list[Link]
    data: list[Link]

    @property
    def grouped(self) -> bool:
        """Internal people get the data pages in one drop-down, beside their own pages."""
        return bool(self.internal)


def _current(path: str, urls: list[str]) -> str | None:
    """The page the path belongs to: the longest address it starts with (the map, at the
    year's root, only by itself)."""
    matches = [u for u in urls if path == u or (path.startswith(u) and u.count("/") > 2)]
    return max(matches, key=len, default=None)


def main_menu(user, cycle, path: str) -> Menu:
    codes = menu_pages(user, cycle) if is_internal(user, cycle) else []
    internal = [
        (label, links.url(name, cycle.body.slug, cycle.year))
        for code in codes
        for label, name in [INTERNAL_PAGES[code]]
    ]
    data = [
        (label, links.url(name, cycle.body.slug, cycle.year))
        for label, name in data_pages(year_structure(cycle))
    ]
    current = _current(path, [url for _label, url in internal + data])
    return Menu(
        [Link(label, url, url == current) for label, url in internal],
        [Link(label, url, url == current) for label, url in data],
    )
