"""A draft (not validated) Relazione says so on its cover and carries a drawn BOZZA on every
page. Rendered once, on a trimmed copy of the 2023 data (narratives emptied in a rolled-back
transaction) to stay fast."""

import re
import subprocess

import pytest
from django.db import transaction

from core.models import Cycle
from narratives.models import Narrative
from objectives.models import StrategicObjective
from reports.pdf import render_pdf, url_fetcher
from reports.selectors import is_draft
from tests.people import set_state

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def draft_pages(django_db_setup, django_db_blocker, tmp_path_factory):
    path = tmp_path_factory.mktemp("draft") / "bozza.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        cycle = Cycle.objects.select_related("body").get(body__slug="cciaa-bergamo", year=2023)
        set_state(cycle, Cycle.State.MONITORING)
        Narrative.objects.filter(cycle=cycle).update(body="Testo breve.")
        StrategicObjective.objects.filter(cycle=cycle).update(narrative="")
        result = render_pdf(cycle)
        transaction.set_rollback(True)
    path.write_bytes(result.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return result, [re.sub(r"\s+", " ", p) for p in text.split("\f") if p.strip()]


def test_draft_is_marked_on_every_page(draft_pages):
    result, pages = draft_pages
    assert result.draft
    assert len(pages) == result.pages > 10
    # The cover says it in words; the other pages carry a drawn mark, kept out of the text
    # (tests/test_reports_pdf_accessible.py looks at the pixels).
    assert "BOZZA" in pages[0] and "non ancora validato" in pages[0]
    assert all("BOZZA" not in page for page in pages[1:])


@pytest.mark.parametrize(
    ("state", "draft"),
    [
        (Cycle.State.PLANNING, True),
        (Cycle.State.SUBMITTED, True),
        (Cycle.State.RETURNED, True),
        (Cycle.State.VALIDATED, False),
        (Cycle.State.PUBLISHED, False),
    ],
)
def test_only_unvalidated_years_are_drafts(state, draft):
    assert is_draft(Cycle(state=state)) is draft


def test_fetcher_refuses_network_and_files_outside_static():
    fetcher = url_fetcher()
    with pytest.raises(ValueError, match="non consentita"):
        fetcher.fetch("https://fonts.example.org/font.woff2")
    with pytest.raises(ValueError, match="non consentita"):
        fetcher.fetch("file:///etc/passwd")
