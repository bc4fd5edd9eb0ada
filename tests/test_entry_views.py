# ruff: noqa: F811 - pytest fixtures imported from tests.people
"""Data entry through the pages: cruscotto edit mode, concurrent edits, history, lockout,
check --deploy, demo accounts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators import services
from indicators.models import Indicator
from tests.people import (  # noqa: F401 - fixtures
    log_in,
    open_cycle,
    people,
    unit_a_indicator,
    unit_b_indicator,
)

ROOT = Path(__file__).resolve().parent.parent


def _card_post(ind, actual, explanation="", version=None):
    return {
        f"actual-{ind.id}": actual,
        f"explanation-{ind.id}": explanation,
        f"version-{ind.id}": ind.version if version is None else version,
    }


def test_manager_saves_actuals_from_their_cruscotto(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.manager_a)
    url = reverse("indicators:scorecard", args=["cciaa-bergamo", 2023, "promozione"])
    page = client.get(url)
    assert page.status_code == 200
    assert f'name="actual-{unit_a_indicator.id}"'.encode() in page.content
    response = client.post(url, _card_post(unit_a_indicator, "1284"))
    assert response.status_code == 302
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.actual == "1.284"


def test_below_target_requires_explanation_and_nothing_is_lost(
    client, people, open_cycle, unit_a_indicator
):
    log_in(client, people.manager_a)
    url = reverse("indicators:scorecard", args=["cciaa-bergamo", 2023, "promozione"])
    response = client.post(url, _card_post(unit_a_indicator, "5"))  # target 13
    assert response.status_code == 400
    text = response.content.decode()
    assert "motivazione dello scostamento è obbligatoria" in text
    assert 'value="5"' in text  # what the person typed is shown again
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.actual == "14"
    response = client.post(url, _card_post(unit_a_indicator, "5", "Meno domande del previsto"))
    assert response.status_code == 302
    unit_a_indicator.refresh_from_db()
    assert (unit_a_indicator.actual, unit_a_indicator.explanation) == (
        "5",
        "Meno domande del previsto",
    )


def test_typed_value_errors_are_italian(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.manager_a)
    url = reverse("indicators:actual", args=["cciaa-bergamo", 2023, unit_a_indicator.id])
    response = client.post(url, {"actual": "1.5", "explanation": "", "version": 1})
    assert response.status_code == 400
    assert "numero in formato italiano" in response.content.decode()


def test_concurrent_edit_is_refused_with_the_newer_value(people, open_cycle, unit_a_indicator):
    # Two people open the same indicator (same version), both save.
    first = Indicator.objects.select_related("cycle__body").get(pk=unit_a_indicator.pk)
    second = Indicator.objects.select_related("cycle__body").get(pk=unit_a_indicator.pk)
    services.indicator_update_actual(
        user=people.manager_a, indicator=first, actual="20", explanation="", expected_version=1
    )
    with pytest.raises(services.StaleIndicator) as exc:
        services.indicator_update_actual(
            user=people.planning, indicator=second, actual="30", explanation="", expected_version=1
        )
    assert "«20»" in exc.value.messages[0]
    fresh = Indicator.objects.get(pk=unit_a_indicator.pk)
    assert (fresh.actual, fresh.version) == ("20", 2)


def test_concurrent_edit_through_the_page(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.manager_a)
    url = reverse("indicators:actual", args=["cciaa-bergamo", 2023, unit_a_indicator.id])
    stale = {"actual": "30", "explanation": "", "version": 1}
    assert client.post(url, {**stale, "actual": "20"}).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 400
    assert "modificato da un&#x27;altra persona" in response.content.decode()
    assert "«20»" in response.content.decode()
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.actual == "20"


def test_history_records_who_when_old_and_new(client, people, open_cycle, unit_a_indicator):
    services.indicator_update_actual(
        user=people.manager_a,
        indicator=unit_a_indicator,
        actual="15",
        explanation="",
        expected_version=1,
    )
    record = unit_a_indicator.history.order_by("-history_date").first()
    assert record.history_user == people.manager_a
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "actual"] == [
        ("actual", "14", "15")
    ]
    log_in(client, people.oiv)
    page = client.get(
        reverse("dashboards:indicator", args=["cciaa-bergamo", 2023, unit_a_indicator.id])
    )
    text = page.content.decode()
    assert "Storico delle modifiche" in text and "T-Promozione" in text and "15" in text


def test_plan_form_creates_an_indicator(client, people, open_cycle, unit_a_indicator):
    log_in(client, people.planning)
    response = client.post(
        reverse("indicators:indicator_create", args=["cciaa-bergamo", 2023]),
        {
            "operational_objective": unit_a_indicator.operational_objective_id,
            "name": "Nuovo indicatore di prova",
            "kind": "deadline",
            "direction": "higher",
            "target": "30/6/2023",
            "weight": "0,5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    ind = Indicator.objects.get(name="Nuovo indicatore di prova")
    assert (ind.target, str(ind.weight)) == ("30/06/2023", "0.500")
    assert ind.history.first().history_user == people.planning


def test_lockout_after_five_failures(client, people):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "t-promozione", "password": "wrong"})
    response = client.post(url, {"username": "t-promozione", "password": "pw-t-promozione-test"})
    assert response.status_code == 429
    assert "Accesso temporaneamente bloccato" in response.content.decode()


def test_login_works_before_the_lockout(client, people, open_cycle):
    response = client.post(
        reverse("login"), {"username": "t-planning", "password": "wrong"}, follow=False
    )
    assert response.status_code == 200
    response = client.post(
        reverse("login"), {"username": "t-pianificazione", "password": "pw-t-pianificazione-test"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workflow:home")


def test_password_change_page(client, people):
    log_in(client, people.oiv)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200 and "Cambio password" in page.content.decode()


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relazione.settings.production",
        "SECRET_KEY": "check-deploy-test-not-a-real-secret-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "relazione.example.it",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_accounts_one_per_role(db, cycle, capsys):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    call_command("load_demo", "--year", "2023", "--no-pdf")
    out = capsys.readouterr().out
    for name in ("pianificazione", "promozione", "registro", "oiv", "admin"):
        assert f"demo-{name}-2023" in out
    request = RequestFactory().post("/account/login/")
    user = authenticate(request, username="promozione", password="demo-promozione-2023")
    membership = user.memberships.get()
    assert membership.role == "manager" and membership.body.slug == "cciaa-bergamo"
    assert list(membership.units.values_list("slug", flat=True)) == ["promozione"]
    assert authenticate(request, username="admin", password="demo-admin-2023").is_superuser


def test_load_demo_without_accounts_prints_no_password(db, cycle, capsys):
    call_command("load_demo", "--year", "2023", "--no-accounts", "--no-pdf")
    out = capsys.readouterr().out
    assert "Dati dimostrativi caricati" in out
    assert "demo-pianificazione-2023" not in out


def test_set_actual_command_goes_through_the_service(people, open_cycle, unit_a_indicator):
    from django.core.management.base import CommandError

    args = ["set_actual", "--year", "2023", "--ente", "cciaa-bergamo"]
    args += ["--indicator", str(unit_a_indicator.id)]
    with pytest.raises(CommandError, match="permesso"):
        call_command(*args, "--value", "20", "--user", "t-registro")
    with pytest.raises(CommandError, match="formato italiano"):
        call_command(*args, "--value", "1.5", "--user", "t-promozione")
    call_command(*args, "--value", "1284", "--user", "t-promozione")
    unit_a_indicator.refresh_from_db()
    assert unit_a_indicator.actual == "1.284"
    assert unit_a_indicator.history.first().history_user == people.manager_a
