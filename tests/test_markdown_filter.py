"""The narratives' Markdown filter: sanitized HTML, with footnotes that still link."""

import re

from relazione.templatetags.relazione_tags import markdown


def test_scripts_handlers_and_foreign_ids_are_stripped():
    html = markdown("Testo <b id='x' onclick='alert(1)'>b</b><script>alert(1)</script>")
    assert "<b>b</b>" in html
    assert "onclick" not in html and "<script" not in html and 'id="x"' not in html


def test_footnote_reference_and_note_link_each_other():
    html = markdown("Indicatore[^1].\n\n[^1]: Calcolato secondo il D.P.C.M. 22/9/2014.")
    ref_id = re.search(r'<sup id="(fnref-[0-9a-f]{8}-1)">', html).group(1)
    note_id = re.search(r'<li id="(fn-[0-9a-f]{8}-1)">', html).group(1)
    assert f'href="#{note_id}"' in html and f'href="#{ref_id}"' in html
    assert 'class="footnote-ref"' in html and 'class="footnote"' in html
    assert "Torna al richiamo della nota 1 nel testo" in html  # Italian, not "Jump back"


def test_two_narratives_in_one_document_have_distinct_footnote_ids():
    first = markdown("Uno[^1].\n\n[^1]: Prima nota.")
    second = markdown("Due[^1].\n\n[^1]: Seconda nota.")
    ids = lambda html: set(re.findall(r'id="([^"]+)"', html))  # noqa: E731
    assert ids(first) and ids(second) and not ids(first) & ids(second)


def test_unrelated_classes_are_stripped():
    html = markdown('<div class="footnote alert">x</div><a class="btn" href="/">y</a>')
    assert 'class="footnote"' in html and "alert" not in html and "btn" not in html
