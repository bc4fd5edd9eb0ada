# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""The context tables of section 1.1, entered by the planning office: pasted from a spreadsheet,
previewed, saved, printed in the Relazione; a new year copies the previous year's structure;
bad pastes, stale saves, other roles and locked years change nothing."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Cycle
from reports.selectors import relazione_document
from resources import context_services as services
from resources import selectors
from resources.models import ContextTable
from tests.people import log_in, open_cycle, people  # noqa: F401 - fixtures

FIRMS = (
    "Settore\tImprese\tVariazione %\n"
    "Agricoltura\t4.884\t-1,4\n"
    "Industria\t10.631\tn.d.\n"
    "Servizi\t18.859\t\n"
)
FIRMS_ROWS = [["Agricoltura", 4884, -1.4], ["Industria", 10631, "n.d."], ["Servizi", 18859, None]]


@pytest.fixture
def y2024(cycle):
    return Cycle.objects.select_related("body").get(body=cycle.body, year=2024)


def _list(year):
    return reverse("resources:context_list", args=["cciaa-bergamo", year])


def _edit(year, key):
    return reverse("resources:context_edit", args=["cciaa-bergamo", year, key])


def _delete(year, key):
    return reverse("resources:context_delete", args=["cciaa-bergamo", year, key])


def _copy(year):
    return reverse("resources:context_copy", args=["cciaa-bergamo", year])


def _tables(cycle):
    """Everything stored for the year's tables, to compare before and after a refusal."""
    return list(
        ContextTable.objects.filter(cycle=cycle)
        .order_by("key")
        .values_list("key", "title", "source", "columns", "rows", "order", "version")
    )


def _new(key="imprese", title="Imprese per settore", source="Infocamere", text=FIRMS):
    return {"key": key, "title": title, "source": source, "text": text}


# --- Create, preview, print ----------------------------------------------------------------


def test_a_pasted_table_is_previewed_saved_and_printed(client, people, y2024):
    log_in(client, people.planning)
    response = client.post(_list(2024), {**_new(), "anteprima": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Anteprima (non ancora salvata)" in page
    # As the PDF prints it: Italian numbers, a dash for the empty cell.
    assert re.search(r'<td class="num">4\.884</td>\s*<td class="num">-1,4</td>', page)
    assert re.search(r'<td class="num">18\.859</td>\s*<td class="">–</td>', page)
    assert not ContextTable.objects.filter(cycle=y2024).exists()  # a preview writes nothing

    response = client.post(_list(2024), _new())
    assert response.status_code == 302
    assert response["Location"] == _list(2024)
    table = ContextTable.objects.get(cycle=y2024, key="imprese")
    assert (table.title, table.source) == ("Imprese per settore", "Infocamere")
    assert table.columns == ["Settore", "Imprese", "Variazione %"]
    assert table.rows == FIRMS_ROWS
    assert (table.version, table.updated_by) == (1, people.planning)
    assert table.updated_at is not None

    doc = relazione_document(y2024)
    assert [t.key for t in doc.context_tables] == ["imprese"]
    assert doc.context_tables[0].rows == FIRMS_ROWS

    page = client.get(_list(2024)).content.decode()
    assert "Imprese per settore" in page and "3 righe × 3 colonne" in page
    assert "T-Pianificazione" in page  # who changed it last
    assert _edit(2024, "imprese") in page and _delete(2024, "imprese") in page


def test_new_tables_go_after_the_existing_ones_and_before_nothing_else(people, open_cycle):
    before = relazione_document(open_cycle)
    services.context_table_create(
        user=people.planning,
        cycle=open_cycle,
        key="",
        title="Turismo: arrivi",
        source="",
        text="Anno\tArrivi\n2023\t1.200\n",
    )
    after = relazione_document(open_cycle)
    keys = [t.key for t in before.context_tables]
    assert [t.key for t in after.context_tables] == [*keys, "turismo_arrivi"]  # key from title
    assert after.process_phases.pk == before.process_phases.pk


def test_a_key_already_used_or_reserved_is_refused(people, open_cycle):
    before = _tables(open_cycle)
    with pytest.raises(ValidationError) as info:
        services.context_table_create(
            user=people.planning,
            cycle=open_cycle,
            key="labour_force",
            title="X",
            source="",
            text=FIRMS,
        )
    assert info.value.message_dict["key"] == [
        "Il codice «labour_force» è già usato da un'altra tabella del 2023."
    ]
    with pytest.raises(ValidationError, match="riservato alle fasi del processo"):
        services.context_table_create(
            user=people.planning,
            cycle=open_cycle,
            key="process_phases",
            title="X",
            source="",
            text=FIRMS,
        )
    with pytest.raises(ValidationError, match="non valido"):
        services.context_table_create(
            user=people.planning,
            cycle=open_cycle,
            key="due parole",
            title="X",
            source="",
            text=FIRMS,
        )
    assert _tables(open_cycle) == before


def test_the_process_phases_table_is_not_listed_nor_editable_here(client, people, open_cycle):
    phases = ContextTable.objects.get(cycle=open_cycle, key="process_phases")
    log_in(client, people.planning)
    assert phases.title not in client.get(_list(2023)).content.decode()
    assert client.get(_edit(2023, "process_phases")).status_code == 404
    assert client.post(_delete(2023, "process_phases"), {"version": 1}).status_code == 404
    with pytest.raises(ValidationError, match="non è tra le tabelle di contesto"):
        services.context_table_update(
            user=people.planning,
            cycle=open_cycle,
            table=phases,
            title="X",
            source="",
            text=FIRMS,
            expected_version=phases.version,
        )
    with pytest.raises(ValidationError, match="non è tra le tabelle di contesto"):
        services.context_table_delete(
            user=people.planning, cycle=open_cycle, table=phases, expected_version=phases.version
        )
    assert ContextTable.objects.get(pk=phases.pk).rows == phases.rows


# --- A new year --------------------------------------------------------------------------------


def test_a_new_year_copies_the_structure_then_the_office_types_the_figures(
    client, people, cycle, y2024
):
    log_in(client, people.planning)
    page = client.get(_list(2024)).content.decode()
    assert "Nessuna tabella di contesto per il 2024" in page
    assert "Copia la struttura del 2023" in page

    response = client.post(_copy(2024))
    assert response.status_code == 302
    source = selectors.context_tables(cycle)
    copies = selectors.context_tables(y2024)
    assert len(source) == 4  # the demo's five tables less the process phases
    assert [(t.key, t.title, t.source, t.columns, t.order) for t in copies] == [
        (t.key, t.title, t.source, t.columns, t.order) for t in source
    ]
    for old, new in zip(source, copies, strict=True):
        assert [r[0] for r in new.rows] == [r[0] for r in old.rows]
        assert all(v is None for r in new.rows for v in r[1:])
    assert not ContextTable.objects.filter(cycle=y2024, key="process_phases").exists()
    # the source is untouched: its five tables and the two smart-working ones of objective 3.1
    assert ContextTable.objects.filter(cycle=cycle).count() == 7
    page = client.get(_list(2024)).content.decode()
    assert "Copia la struttura" not in page

    # The edit form shows the structure as text: labels, then empty cells.
    response = client.get(_edit(2024, "value_added"))
    text = response.context["form"]["text"].value()
    assert text.splitlines()[0] == "Anno\t2021\t2022\t2023"
    assert text.splitlines()[1] == "Valore aggiunto a prezzi costanti (1)\t\t\t"
    filled = text.replace(
        "Valore aggiunto a prezzi costanti (1)\t\t\t",
        "Valore aggiunto a prezzi costanti (1)\t2,6\t0,5\t0,9",
    )
    response = client.post(
        _edit(2024, "value_added"),
        {"title": copies[0].title, "source": copies[0].source, "text": filled, "version": 1},
    )
    assert response.status_code == 302
    saved = ContextTable.objects.get(cycle=y2024, key="value_added")
    assert saved.rows[0] == ["Valore aggiunto a prezzi costanti (1)", 2.6, 0.5, 0.9]
    assert saved.rows[1][1:] == [None, None, None]
    assert saved.version == 2
    doc = relazione_document(y2024)
    assert doc.context_tables[0].rows[0][1:] == [2.6, 0.5, 0.9]

    # A second copy would overwrite what was typed: refused, nothing changes.
    before = _tables(y2024)
    response = client.post(_copy(2024), follow=True)
    assert "ha già le sue tabelle di contesto" in response.content.decode()
    assert _tables(y2024) == before


# --- Bad input --------------------------------------------------------------------------------


def test_a_bad_paste_is_named_by_line_and_nothing_is_saved(client, people, open_cycle):
    before = _tables(open_cycle)
    log_in(client, people.planning)
    bad = "Settore\tImprese\tVariazione %\nAgricoltura\t4.884\t-1,4\nIndustria\t10.631\n"
    response = client.post(_list(2023), _new(text=bad))
    assert response.status_code == 400
    assert "Riga 3: 2 celle, ne servono 3." in response.content.decode()
    assert response.context["form"]["text"].value() == bad  # the typed text is kept

    response = client.post(
        _edit(2023, "labour_force"),
        {"title": "Forze di lavoro", "source": "Istat", "text": bad, "version": 1},
    )
    assert response.status_code == 400
    assert "Riga 3: 2 celle, ne servono 3." in response.content.decode()
    response = client.post(
        _edit(2023, "labour_force"),
        {"title": "", "source": "", "text": "A\tB\nx\t2.6\n", "version": 1},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "«2.6» non è un numero scritto all&#x27;italiana" in page
    assert _tables(open_cycle) == before

    with pytest.raises(ValidationError) as info:
        services.context_table_update(
            user=people.planning,
            cycle=open_cycle,
            table=ContextTable.objects.get(cycle=open_cycle, key="labour_force"),
            title="",
            source="",
            text=bad,
            expected_version=1,
        )
    assert info.value.message_dict == {
        "title": ["Il titolo è obbligatorio."],
        "text": ["Riga 3: 2 celle, ne servono 3."],
    }
    assert _tables(open_cycle) == before


# --- Two people on the same table ---------------------------------------------------------


def test_a_stale_save_is_refused_then_a_second_submit_overwrites_knowingly(
    client, people, open_cycle
):
    log_in(client, people.planning)
    form = client.get(_edit(2023, "legal_form")).context["form"]
    loaded_version = form["version"].value()
    mine = form["text"].value().replace("31.223", "31.300")
    assert mine != form["text"].value()
    # The administrator saves the same table meanwhile.
    table = ContextTable.objects.get(cycle=open_cycle, key="legal_form")
    theirs = services.context_table_update(
        user=people.admin,
        cycle=open_cycle,
        table=table,
        title=table.title,
        source="Infocamere, dati aggiornati",
        text=form["text"].value(),
        expected_version=loaded_version,
    )
    assert theirs.version == loaded_version + 1

    post = {"title": table.title, "source": table.source, "text": mine}
    response = client.post(_edit(2023, "legal_form"), {**post, "version": loaded_version})
    assert response.status_code == 409
    page = response.content.decode()
    assert "è stata modificata da T-Admin il" in page
    assert "Tabella ora registrata" in page and "Infocamere, dati aggiornati" in page
    assert response.context["form"]["text"].value() == mine  # the typed text is kept
    saved = ContextTable.objects.get(pk=table.pk)
    assert (saved.source, saved.version, saved.rows[0][1]) == (
        "Infocamere, dati aggiornati",
        loaded_version + 1,
        31223,
    )
    # The page now carries the saved version: submitting it again replaces theirs.
    rebased = response.context["form"]["version"].value()
    assert int(rebased) == saved.version
    response = client.post(_edit(2023, "legal_form"), {**post, "version": rebased})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.source, saved.rows[0][1], saved.updated_by) == (
        table.source,
        31300,
        people.planning,
    )

    with pytest.raises(services.StaleContextTable) as info:
        services.context_table_update(
            user=people.admin,
            cycle=open_cycle,
            table=saved,
            title="X",
            source="",
            text=mine,
            expected_version=loaded_version,
        )
    assert info.value.current.version == saved.version
    assert ContextTable.objects.get(pk=table.pk).title == table.title


def test_delete_asks_confirmation_and_refuses_a_stale_page(client, people, open_cycle):
    log_in(client, people.planning)
    response = client.get(_delete(2023, "legal_form"))
    assert response.status_code == 200
    assert "Eliminare la tabella" in response.content.decode()
    version = response.context["form"]["version"].value()
    table = ContextTable.objects.get(cycle=open_cycle, key="legal_form")
    services.context_table_update(
        user=people.admin,
        cycle=open_cycle,
        table=table,
        title="Nature giuridiche",
        source="",
        text="A\tB\nx\t1\n",
        expected_version=version,
    )
    response = client.post(_delete(2023, "legal_form"), {"version": version})
    assert response.status_code == 409
    assert "non è stata eliminata" in response.content.decode()
    assert ContextTable.objects.filter(pk=table.pk).exists()
    response = client.post(
        _delete(2023, "legal_form"), {"version": response.context["form"]["version"].value()}
    )
    assert response.status_code == 302
    assert not ContextTable.objects.filter(pk=table.pk).exists()
    assert "legal_form" not in [t.key for t in relazione_document(open_cycle).context_tables]


# --- Who may -------------------------------------------------------------------------------


def _every_page(year, key):
    return [
        ("get", _list(year), None),
        ("post", _list(year), _new()),
        ("get", _edit(year, key), None),
        ("post", _edit(year, key), {"title": "X", "source": "", "text": FIRMS, "version": 1}),
        ("get", _delete(year, key), None),
        ("post", _delete(year, key), {"version": 1}),
        ("post", _copy(year), {}),
    ]


@pytest.mark.parametrize("role", ["manager_a", "oiv"])
def test_managers_and_the_oiv_are_refused(client, people, open_cycle, role):
    user = people.all()[role]
    before = _tables(open_cycle)
    log_in(client, user)
    for method, url, data in _every_page(2023, "labour_force"):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert "ufficio pianificazione" in response.content.decode()
    table = ContextTable.objects.get(cycle=open_cycle, key="labour_force")
    for call in (
        lambda: services.context_table_create(
            user=user, cycle=open_cycle, key="x", title="X", source="", text=FIRMS
        ),
        lambda: services.context_table_update(
            user=user,
            cycle=open_cycle,
            table=table,
            title="X",
            source="",
            text=FIRMS,
            expected_version=table.version,
        ),
        lambda: services.context_table_delete(
            user=user, cycle=open_cycle, table=table, expected_version=table.version
        ),
        lambda: services.context_tables_copy_structure(user=user, cycle=open_cycle),
    ):
        with pytest.raises(PermissionDenied, match="Solo l'ufficio pianificazione"):
            call()
    assert _tables(open_cycle) == before


def test_anonymous_people_are_sent_to_the_login(client, open_cycle):
    for method, url, data in _every_page(2023, "labour_force"):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_locked_year_is_read_only(client, people, cycle):
    assert cycle.state == Cycle.State.PUBLISHED
    before = _tables(cycle)
    log_in(client, people.planning)
    response = client.get(_list(2023))
    assert response.status_code == 200
    page = response.content.decode()
    assert "le tabelle di contesto sono in sola lettura" in page
    assert "Forze di lavoro in provincia di Bergamo" in page
    assert "<textarea" not in page and "Nuova tabella" not in page
    assert _delete(2023, "labour_force") not in page
    response = client.get(_edit(2023, "labour_force"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<textarea" not in page and "la tabella è in sola lettura" in page
    assert '<td class="num">940,6</td>' in page  # the table itself, readable

    for method, url, data in _every_page(2023, "labour_force")[1:]:
        if method == "get" and url == _edit(2023, "labour_force"):
            continue
        assert getattr(client, method)(url, data).status_code == 403, (method, url)
    table = ContextTable.objects.get(cycle=cycle, key="labour_force")
    with pytest.raises(PermissionDenied, match="validato o pubblicato"):
        services.context_table_update(
            user=people.admin,
            cycle=cycle,
            table=table,
            title="X",
            source="",
            text=FIRMS,
            expected_version=table.version,
        )
    with pytest.raises(PermissionDenied, match="validato o pubblicato"):
        services.context_table_create(
            user=people.planning, cycle=cycle, key="x", title="X", source="", text=FIRMS
        )
    assert _tables(cycle) == before


def test_the_resources_page_links_the_tables_with_their_number(client, people, y2024):
    log_in(client, people.planning)
    page = client.get(reverse("resources:index", args=["cciaa-bergamo", 2023])).content.decode()
    assert f'<a href="{_list(2023)}">Tabelle di contesto (sezione 1.1): 4</a>' in page
    page = client.get(reverse("resources:index", args=["cciaa-bergamo", 2024])).content.decode()
    assert f'<a href="{_list(2024)}">Tabelle di contesto (sezione 1.1): 0</a>' in page


# --- Queries --------------------------------------------------------------------------------

LIST_QUERIES = [
    "session",
    "user",
    "the body of the address (the role is asked of it before the year: a 403 before a 404)",
    "user's memberships with their units (the role in the body)",
    "cycle (with body) for the year",
    "the year's tables with who changed each last",
    "visible years for the selector",
    "the year's parts for the menu (resources.structure.year_structure)",
]


def test_list_page_query_count_is_fixed(client, people, open_cycle, django_assert_num_queries):
    log_in(client, people.planning)
    with django_assert_num_queries(len(LIST_QUERIES)):
        assert client.get(_list(2023)).status_code == 200
    for n in range(3):
        services.context_table_create(
            user=people.admin,
            cycle=open_cycle,
            key=f"extra_{n}",
            title=f"Extra {n}",
            source="",
            text=FIRMS,
        )
    with django_assert_num_queries(len(LIST_QUERIES)):  # more tables, more authors: same count
        assert client.get(_list(2023)).status_code == 200


def test_a_year_without_tables_adds_one_query_for_the_year_to_copy(
    client, people, y2024, django_assert_num_queries
):
    log_in(client, people.planning)
    with django_assert_num_queries(len(LIST_QUERIES) + 1):  # + the latest year with tables
        response = client.get(_list(2024))
    assert response.context["copy_source"].year == 2023
