"""Faults: the database fails in the middle of an import, and nothing of it is applied."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from simple_history.manager import HistoryManager

from indicators import services
from indicators.entry import RowInput
from indicators.models import Indicator, ScorecardRow
from tests.people import *  # noqa: F403

pytestmark = pytest.mark.django_db

FAIL_AT = 3  # the row whose write fails (1-based): rows before it were already written


def _number_indicators(cycle, count=6):
    return list(
        Indicator.objects.filter(cycle=cycle, kind="number", direction="higher")
        .exclude(actual="")
        .order_by("id")[:count]
    )


def _state(ids):
    """Values, versions and history of the indicators: what a failed import must not touch."""
    return {
        ind.id: (ind.actual, ind.explanation, ind.version, ind.history.count())
        for ind in Indicator.objects.filter(id__in=ids)
    }


def _failing_after(k):
    """The batch has written every value (one UPDATE per row) and the history of its first
    k-1 rows when the database fails on the history of row k."""
    real = HistoryManager.bulk_history_create
    calls = {"n": 0}

    def write(self, objs, *args, **kwargs):
        objs = list(objs)
        calls["n"] = min(k, len(objs))
        real(self, objs[: k - 1], *args, **kwargs)
        raise OperationalError("database is locked (fault injected by the test)")

    return write, calls


def _rows(indicators):
    return [
        RowInput(
            row=n,
            indicator_id=ind.id,
            version=ind.version,
            actual=str(int(ind.actual.replace(".", "")) + 7),
            explanation="Valore aggiornato dal foglio",
        )
        for n, ind in enumerate(indicators, start=2)
    ]


def test_db_failure_mid_import_applies_nothing(open_cycle, people):
    indicators = _number_indicators(open_cycle)
    assert len(indicators) == 6
    ids = [i.id for i in indicators]
    before = _state(ids)
    write, calls = _failing_after(FAIL_AT)
    with (
        mock.patch.object(HistoryManager, "bulk_history_create", autospec=True, side_effect=write),
        pytest.raises(OperationalError),
    ):
        services.actuals_import_apply(
            user=people.planning, cycle=open_cycle, rows=_rows(indicators)
        )
    assert calls["n"] == FAIL_AT  # the first rows were really written, then rolled back
    assert _state(ids) == before


def test_same_import_without_fault_applies_everything(open_cycle, people):
    """The control: the same batch with no fault writes every row (so the test above can
    fail if the rollback is broken, not only if nothing is ever written)."""
    indicators = _number_indicators(open_cycle)
    ids = [i.id for i in indicators]
    before = _state(ids)
    result = services.actuals_import_apply(
        user=people.planning, cycle=open_cycle, rows=_rows(indicators)
    )
    assert result.count == 6
    after = _state(ids)
    for ind in indicators:
        assert after[ind.id][0] != before[ind.id][0]
        assert after[ind.id][2] == before[ind.id][2] + 1
        assert after[ind.id][3] == before[ind.id][3] + 1


def test_db_failure_during_cruscotto_save_over_http(client, open_cycle, people):
    """The real endpoint (cruscotto edit mode): the failure is a server error, and still
    nothing of the batch is in the database."""
    card = "promozione"
    rows = ScorecardRow.objects.filter(scorecard__cycle=open_cycle, scorecard__slug=card)
    indicators = [
        r.indicator
        for r in rows.select_related("indicator").order_by("order")
        if r.indicator.kind == "number" and r.indicator.direction == "higher" and r.indicator.actual
    ]
    assert len(indicators) >= FAIL_AT
    ids = [i.id for i in indicators]
    before = _state(ids)
    data = {}
    for ind in indicators:
        data[f"version-{ind.id}"] = ind.version
        data[f"actual-{ind.id}"] = str(int(ind.actual.replace(".", "")) + 1)
        data[f"explanation-{ind.id}"] = "Aggiornato"
    client.force_login(people.manager_a)
    client.raise_request_exception = False
    write, calls = _failing_after(FAIL_AT)
    with mock.patch.object(HistoryManager, "bulk_history_create", autospec=True, side_effect=write):
        response = client.post(
            reverse("indicators:scorecard", args=["cciaa-bergamo", open_cycle.year, card]), data
        )
    assert response.status_code == 500
    assert calls["n"] == FAIL_AT
    assert _state(ids) == before
