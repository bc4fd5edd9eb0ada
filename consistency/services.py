"""Running the consistency checks and justifying their findings."""

from __future__ import annotations

import gc
import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import can_justify_findings, is_planning_office
from core import dataversion
from core.locking import YearLocked
from core.models import Cycle

from . import rules, selectors
from .models import FindingJustification
from .rules.incremental import IncrementalRun, IndicatorMemo

JUSTIFICATION_MAX_LENGTH = 4000


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A run builds a snapshot of some 200.000 small objects (a 17.000-indicator year) that
    hold no reference cycles: the cyclic collector's passes, triggered by their allocation,
    scanned the whole process each time and cost a fifth of the run. Reference counting still
    frees everything; the collector is back on (if it was) when the run ends, even by an
    error."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Queries of consistency_run: the data version, then (unless the findings of that version are
# cached) the snapshot.
RUN_QUERIES = 1 + selectors.YEAR_DATA_QUERIES
FINDINGS_TTL = 300  # seconds: bounds the staleness after a write by raw SQL (core.dataversion)
FINDINGS_COUNT_TTL = FINDINGS_TTL


def consistency_run(*, cycle: Cycle, fresh: bool = False) -> list[rules.Finding]:
    """Every finding of the cycle, errors first (see :mod:`consistency.rules`). Cached per
    state of the year's data (:func:`_data_fingerprint`): the consistency page and the
    justifications read the same findings until something changes. ``fresh``: run the rules
    whatever the cache holds (the submission to the OIV decides on them; the per-indicator
    memo keeps it cheap) and leave the result there for the pages."""
    return list(_findings(cycle, _data_fingerprint(cycle), fresh))


def _findings(cycle: Cycle, fingerprint: str, fresh: bool = False) -> list[rules.Finding]:
    cache = caches["consistency"]
    key = f"consistency:findings:{cycle.pk}:{fingerprint}"
    found: list[rules.Finding] | None = None if fresh else cache.get(key)
    if found is None:
        found = _run(cycle)
        cache.set(key, found, FINDINGS_TTL)
    return found


class _Memos:
    """What the last run of each cycle leaves for the next, in this process: the snapshot's
    memo (:class:`selectors.SnapshotMemo`: the indicators' rows read and what was made of
    them) and the per-indicator checks' (rules.incremental: their input and findings), some
    50 MB together for a 17.000-indicator year (tracemalloc), which a shared cache would
    pickle and unpickle at each run for more than it saves (the measure in bench/checks.py).
    Exact whatever they hold (every row is read again and compared whole, every input
    compared whole), so a process that never ran a cycle, or ran it long ago, only builds and
    evaluates more. Each run replaces its cycle's memos with new ones (threads share them,
    never change them).

    Kept: the last ``SIZE`` cycles run, and of those only the most recent that hold at most
    ``INDICATORS`` indicators together (the last run's always): a web worker serving several
    large years would otherwise hold 50 MB for each, eight times over."""

    SIZE = 8
    INDICATORS = 40_000  # two 100x years, or the ten years of many ordinary bodies: ~120 MB

    def __init__(self) -> None:
        self._memos: dict[int, _CycleMemo] = {}
        self._lock = threading.Lock()

    def get(self, cycle_id: int) -> _CycleMemo:
        return self._memos.get(cycle_id, (None, None))

    def put(self, cycle_id: int, memo: _CycleMemo) -> None:
        with self._lock:
            self._memos.pop(cycle_id, None)
            self._memos[cycle_id] = memo  # the most recent last
            held = sum(_memo_indicators(m) for m in self._memos.values())
            while len(self._memos) > 1 and (len(self._memos) > self.SIZE or held > self.INDICATORS):
                held -= _memo_indicators(self._memos.pop(next(iter(self._memos))))

    def cycles(self) -> list[int]:
        """The cycles held, the least recent first."""
        return list(self._memos)

    def clear(self) -> None:
        with self._lock:
            self._memos.clear()


def _memo_indicators(memo: _CycleMemo) -> int:
    snapshot_memo, indicator_memo = memo
    return max(
        len(snapshot_memo.indicators) if snapshot_memo else 0,
        len(indicator_memo.entries) if indicator_memo else 0,
    )


_CycleMemo = tuple[selectors.SnapshotMemo | None, IndicatorMemo | None]
_memos = _Memos()


def _run(cycle: Cycle) -> list[rules.Finding]:
    """The rules on a snapshot of the year as it is now, made again only where its rows
    differ from those of this process's last run of the cycle (selectors.year_data_snapshot);
    the per-indicator checks only on the indicators whose input changed (rules.incremental)."""
    snapshot_memo, indicator_memo = _memos.get(cycle.pk)
    run = IncrementalRun(indicator_memo)
    with _without_cycle_collection():
        # The snapshot is freed before the collector is back (no name holds it): it would
        # otherwise be scanned, all of it, at the first allocation after the run.
        data, snapshot_memo = selectors.year_data_snapshot(cycle=cycle, previous=snapshot_memo)
        found = rules.run_rules(data, indicator_findings=run)
        del data
        _memos.put(cycle.pk, (snapshot_memo, run.memo))
    return found


def open_errors(cycle: Cycle, *, fresh: bool = False) -> list[rules.Finding]:
    """The error-level findings with no justification: what blocks the submission to the OIV
    (which asks them ``fresh``: no cached list decides it)."""
    justified = selectors.justifications_by_key(cycle=cycle)
    return [
        f
        for f in consistency_run(cycle=cycle, fresh=fresh)
        if f.severity is rules.Severity.ERROR and f.key not in justified
    ]


def _data_fingerprint(cycle: Cycle) -> str:
    """Changes whenever anything the checks read changes: the year's data version
    (core.dataversion: raised in the same transaction by every write to a row of the year, by
    any path, by a transition and by a change of its rules), read from the row itself its state
    and rules, and the day (deadlines pass). One indexed read, whatever the size of the year."""
    version = dataversion.current(cycle.pk)
    return (
        f"{version}:{cycle.state}:{cycle.band_achieved_from}:{cycle.band_partial_from}"
        f":{cycle.missed_deadline_pct}:{json.dumps(cycle.scoring_method, sort_keys=True)}"
        f":{timezone.localdate().isoformat()}"
    )


def findings_count(cycle: Cycle) -> dict[str, int]:
    """Counts per severity (``error``, ``warning``, ``info``) and ``open_errors`` (errors not
    yet justified), for the OIV workspace. Cached per state of the year's data: the full run
    costs a second on a plan of tens of thousands of indicators, the fingerprint one query."""
    cache = caches["consistency"]
    fingerprint = _data_fingerprint(cycle)
    key = f"consistency:count:{cycle.pk}:{fingerprint}"
    result = cache.get(key)
    if result is None:
        result = _findings_count(cycle, fingerprint)
        cache.set(key, result, FINDINGS_COUNT_TTL)
    return result


def _findings_count(cycle: Cycle, fingerprint: str) -> dict[str, int]:
    findings = _findings(cycle, fingerprint)
    justified = selectors.justifications_by_key(cycle=cycle)
    counts = Counter(str(f.severity) for f in findings)
    result = {str(s): counts.get(str(s), 0) for s in rules.Severity}
    result["open_errors"] = sum(
        1 for f in findings if f.severity is rules.Severity.ERROR and f.key not in justified
    )
    return result


def _clean_justification(user: User, cycle: Cycle, text: str) -> str:
    if not is_planning_office(user, cycle):
        raise PermissionDenied(
            "Solo l'ufficio pianificazione e controllo può giustificare un rilievo."
        )
    if not can_justify_findings(user, cycle):
        # Checked first for a clear message; the year lock refuses the write anyway.
        raise YearLocked(cycle.year)
    text = (text or "").strip()
    if not text:
        raise ValidationError(
            "La giustificazione non può essere vuota: spiegare perché il rilievo non è un errore "
            "o come è stato risolto.",
            code="required",
        )
    if len(text) > JUSTIFICATION_MAX_LENGTH:
        raise ValidationError(
            f"La giustificazione non può superare {JUSTIFICATION_MAX_LENGTH} caratteri.",
            code="max_length",
        )
    return text


def finding_justify(*, user: User, cycle: Cycle, key: str, text: str) -> FindingJustification:
    """Attach (or replace) the planning office's justification of a current finding."""
    text = _clean_justification(user, cycle, text)
    if key not in {f.key for f in consistency_run(cycle=cycle)}:
        raise ValidationError(
            "Il rilievo indicato non esiste (più) per questo ciclo: ricaricare la pagina.",
            code="unknown",
        )
    rule, object_key = rules.split_key(key)
    with transaction.atomic():
        justification, _created = FindingJustification.objects.update_or_create(
            cycle=cycle,
            rule=rule,
            object_key=object_key,
            defaults={"text": text, "created_by": user},
        )
    return justification


def findings_justify_rule(*, user: User, cycle: Cycle, rule: str, text: str) -> int:
    """Justify at once every open error finding of one rule (e.g. the 90 indicators of a year
    closed without an actual): one reason, recorded on each finding. Returns how many."""
    text = _clean_justification(user, cycle, text)
    open_keys = [
        f.key
        for f in consistency_run(cycle=cycle)
        if f.rule == rule and f.severity is rules.Severity.ERROR
    ]
    existing = set(
        FindingJustification.objects.filter(cycle=cycle, rule=rule).values_list(
            "object_key", flat=True
        )
    )
    created = [
        FindingJustification(
            cycle=cycle, rule=rule, object_key=rules.split_key(key)[1], text=text, created_by=user
        )
        for key in open_keys
        if rules.split_key(key)[1] not in existing
    ]
    if not created:
        raise ValidationError(
            "Non ci sono rilievi di livello errore da giustificare per questo controllo.",
            code="none_open",
        )
    with transaction.atomic():
        FindingJustification.objects.bulk_create(created)
    return len(created)
