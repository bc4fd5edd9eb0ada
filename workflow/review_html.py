"""The rows of the OIV workspace's list, written here rather than by a template loop: a page
prints a hundred rows of six cells, and the template engine spent two thirds of the page's
time on them (17.000 nodes, 20.000 variable lookups, an address worked out per row). The same
HTML as the loop wrote, escaped as ``{{ }}`` escapes; the target revisions, on a few rows,
still printed by their template (``workflow/_revision_badge.html``)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.template.loader import get_template
from django.utils.safestring import SafeString

from lib import bands, italian, links

from .review import ReviewItem


def _objective_cell(ind, units: list) -> str:
    """Its rows' units are their operational objective's (none for a group's)."""
    if ind.operational_objective_id:
        objective = (
            f"{escape(ind.strategic_code or '')} "
            f"{escape(italian.shorten(ind.objective_name or '', 80))}"
        )
    else:
        objective = escape(ind.group_name or "")
    written = f"<br><small>{', '.join(escape(u.year_name) for u in units)}</small>" if units else ""
    return f"{objective}\n        {written}"


def review_rows(items: Iterable[ReviewItem], ente: str, year: int, can_remark: bool) -> SafeString:
    before, after = links.url_filler("dashboards:indicator", ente, year)
    remark_new = escape(links.url("workflow:remark_new", ente, year))
    badge = get_template("workflow/_revision_badge.html")
    # A figure's band prints its band, % and whether the value is still to be entered, nothing
    # else: a page's hundred rows have a few of them (100%, 0%, NV), each written once.
    bands_written: dict[tuple, str] = {}
    objectives_written: dict[tuple, str] = {}
    rows = []
    for item in items:
        ind = item.indicator
        figure = item.figure
        key = (figure.band, str(figure.realization), figure.pending)  # 100 and 100.00 apart
        band = bands_written.get(key)
        if band is None:
            band = bands_written[key] = bands.band_html(figure)
        name = escape(ind.name)
        # The objective's cell (its codes, name and units) is the same for each of its
        # indicators, a few to a dozen rows of a page: written once.
        objective_key = (ind.operational_objective_id, ind.group_name)
        objective = objectives_written.get(objective_key)
        if objective is None:
            objective = objectives_written[objective_key] = _objective_cell(ind, item.units)
        revised = (
            badge.render({"revisions": item.revisions, "show_internal": True})
            if item.revisions
            else ""
        )
        remarks = f"{item.open_remarks} aperte su {item.remarks}" if item.remarks else "–"
        new_remark = (
            f'<br><a href="{remark_new}?indicator={ind.id}">Nuova osservazione'
            f'<span class="visually-hidden"> su {name}</span></a>'
            if can_remark
            else ""
        )
        rows.append(
            f'\n    <tr>\n      <th scope="row"><a href="{before}{ind.id}{after}">{name}</a></th>'
            f"\n      <td>{objective}</td>"
            f"\n      <td>{escape(ind.target) or '–'} {revised}</td>"
            f"\n      <td>{escape(ind.actual) or '–'}</td>"
            f"\n      <td>{band}</td>"
            f"\n      <td>{remarks}\n        {new_remark}</td>\n    </tr>\n  "
        )
    return SafeString("".join(rows))
