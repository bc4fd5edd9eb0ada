"""The demo's units and plan, read from the transcription in ``fixtures/<year>/`` into the plan
builder's spec (:mod:`indicators.plan_spec`).

The transcription keeps every row as the document prints it; this reader turns it into the
model: one indicator per real indicator (rows repeated in several cruscotti with the same
values become one indicator with several rows), the printed % realization kept as the
*declared* one. Reads files only: the builder writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml
from django.utils.text import slugify

from indicators import domain
from indicators.plan_spec import (
    GroupSpec,
    IndicatorSpec,
    OperationalSpec,
    PerspectiveSpec,
    PlanSpec,
    RowSpec,
    ScorecardSpec,
    StrategicSpec,
    UnitSpec,
)
from objectives import sections

PERSPECTIVES = [
    "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO",
    "SEMPLIFICAZIONE E INNOVAZIONE DEI PROCESSI",
    "APPRENDIMENTO E CRESCITA",
    "ECONOMICO-FINANZIARIA",
]

# The organigram of the document is an image; this hierarchy is our reading of the cruscotti
# (section 3: the Segretario Generale and one Dirigente; the Dirigente's cruscotto covers the
# registry, the front offices and market regulation). See fixtures/2023/README.md.
UNITS = [
    # slug, name, kind, parent slug, printed cruscotto title
    ("segreteria-generale", "Segreteria Generale", "secretariat", None, None),
    (
        "area-affari-generali-promozione-risorse",
        "Area Affari generali, Promozione e Risorse",
        "area",
        "segreteria-generale",
        None,
    ),
    (
        "area-anagrafe-regolazione",
        "Area Anagrafe e Regolazione del mercato",
        "area",
        "segreteria-generale",
        None,
    ),
    (
        "affari-generali",
        "Affari generali",
        "service",
        "area-affari-generali-promozione-risorse",
        "AFFARI GENERALI",
    ),
    (
        "promozione",
        "Promozione",
        "service",
        "area-affari-generali-promozione-risorse",
        "PROMOZIONE",
    ),
    (
        "comunicazione-studi",
        "Comunicazione e Studi",
        "service",
        "area-affari-generali-promozione-risorse",
        "COMUNICAZIONE E STUDI",
    ),
    (
        "registro-imprese",
        "Registro Imprese",
        "service",
        "area-anagrafe-regolazione",
        "REGISTRO IMPRESE",
    ),
    (
        "sportelli-polifunzionali",
        "Sportelli polifunzionali",
        "service",
        "area-anagrafe-regolazione",
        "SPORTELLI POLIFUNZIONALI",
    ),
    (
        "regolazione-mercato",
        "Regolazione del mercato",
        "service",
        "area-anagrafe-regolazione",
        "REGOLAZIONE DEL MERCATO",
    ),
    (
        "risorse-strumentali",
        "Risorse strumentali",
        "service",
        "area-affari-generali-promozione-risorse",
        "RISORSE STRUMENTALI",
    ),
    (
        "risorse-finanziarie",
        "Risorse finanziarie",
        "service",
        "area-affari-generali-promozione-risorse",
        "RISORSE FINANZIARIE",
    ),
    (
        "risorse-umane",
        "Risorse umane",
        "service",
        "area-affari-generali-promozione-risorse",
        "RISORSE UMANE",
    ),
    (
        "azienda-speciale",
        "Bergamo Sviluppo - Azienda Speciale",
        "agency",
        "segreteria-generale",
        "AZIENDA SPECIALE",
    ),
]
UNIT_SPECS = [
    UnitSpec(slug=slug, name=name, kind=kind, parent=parent, order=order)
    for order, (slug, name, kind, parent, _title) in enumerate(UNITS)
]

INDIVIDUAL = {
    "SEGRETARIO GENERALE": ("segretario-generale", "Segretario Generale", "segreteria-generale"),
    "DIRIGENTE": ("dirigente", "Dirigente", "area-anagrafe-regolazione"),
}

SECTION_FILES = {  # in the order the files are read (the indicators are numbered in it)
    sections.UNIT: ["s24_a.yaml", "s24_b.yaml", "s24_c.yaml"],
    sections.STRATEGIC: ["s22_a.yaml", "s22_b.yaml", "s22_c.yaml"],
    sections.INDIVIDUAL: ["s3.yaml"],
    sections.COMMON: ["s23.yaml"],
}
# Sections in the order the Relazione prints them (for scorecard ordering).
SECTION_ORDER = {section: i for i, section in enumerate(sections.LABELS)}


def read_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def norm(text: str) -> str:
    text = re.sub(r"\s+", " ", (text or "").strip())
    return text.replace("’", "'")


def _identity(value: domain.Value) -> tuple:
    return (value.type, value.machine() or value.raw, value.comparator, value.percent)


@dataclass
class _Reader:
    """The spec being read, with what the rows of later cruscotti look up."""

    spec: PlanSpec
    strategic: dict[str, StrategicSpec] = field(default_factory=dict)
    operational: dict[tuple[str, str], int] = field(default_factory=dict)  # index in the spec
    indicators: dict[tuple, int] = field(default_factory=dict)  # first index of each identity
    placed: set[tuple[str, int]] = field(default_factory=set)  # (cruscotto slug, indicator)

    def scorecard(self, section: str, title: str, order: int) -> ScorecardSpec:
        title = norm(title)
        if section == sections.STRATEGIC:
            so = self.strategic[title]
            return ScorecardSpec(
                section=section,
                title=f"{so.code} {so.name}",
                slug=f"obiettivo-{so.code.replace('.', '-')}",
                strategic=so.code,
                order=order,
            )
        if section == sections.COMMON:
            groups = self.spec.common_groups
            if title not in {g.name for g in groups}:
                groups.append(GroupSpec(name=title, order=len(groups)))
            slug = f"comuni-{slugify(title)[:60]}"
            return ScorecardSpec(section=section, title=title, slug=slug, order=order)
        if section == sections.UNIT:
            slug = next(u[0] for u in UNITS if u[4] == title)
            return ScorecardSpec(section=section, title=title, slug=slug, unit=slug, order=order)
        slug, holder, unit_slug = INDIVIDUAL[title]
        return ScorecardSpec(
            section=section, title=title, slug=slug, holder=holder, unit=unit_slug, order=order
        )

    def operational_key(self, row: dict, card: ScorecardSpec) -> tuple[str, str]:
        so = self.strategic[str(row["strategic_objective"])]
        key = (so.code, norm(row["operational_objective"]))
        index = self.operational.get(key)
        if index is None:
            index = self.operational[key] = len(self.spec.operational)
            self.spec.operational.append(
                OperationalSpec(strategic=key[0], name=key[1], order=index)
            )
        op = self.spec.operational[index]
        if card.section == sections.UNIT and card.unit and card.unit not in op.units:
            self.spec.operational[index] = replace(op, units=(*op.units, card.unit))
        return key

    def row(self, card: ScorecardSpec, order: int, row: dict) -> RowSpec:
        name = norm(row["indicator"])
        target = norm(str(row.get("target") or ""))
        actual = norm(str(row.get("actual") or ""))
        target_value, actual_value = domain.parse_value(target), domain.parse_value(actual)
        # Rows are one indicator when they mean the same figures: "85,60%" and "85,6%" are equal.
        same = (_identity(target_value), _identity(actual_value))
        if card.section == sections.COMMON:
            key: tuple = (sections.COMMON, card.title, name, *same)
            group = [g.name for g in self.spec.common_groups].index(card.title)
            parent: dict = {"common_group": card.title, "common_code": common_code(group, order)}
        else:
            op_key = self.operational_key(row, card)
            key = (op_key[0], name, *same)
            parent = {"operational": op_key}
        index = self.indicators.get(key)
        if index is None or (card.slug, index) in self.placed:
            index = len(self.spec.indicators)
            self.spec.indicators.append(
                IndicatorSpec(
                    name=name,
                    algorithm=norm(row.get("algorithm") or ""),
                    kind=row.get("kind") or domain.infer_kind(name, target_value, actual_value),
                    direction=row.get("direction") or domain.infer_direction(target_value),
                    target=target,
                    actual=actual,
                    order=index + 1,
                    **parent,
                )
            )
            self.indicators.setdefault(key, index)
        self.placed.add((card.slug, index))
        return RowSpec(
            indicator=index,
            order=order,
            declared_realization=norm(str(row.get("realization") or "")),
            source_note=row.get("note") or "",
        )


def common_code(group: int, row: int) -> str:
    """The demo's code of a shared indicator (Indicator.common_code), from its place in
    section 2.3: ``OC<group>.<row>``, the group's place among the groups (1-based, in the
    document's order) and the row's in its group's table. The reference prints no Unioncamere
    numbering (lines 3397-3526 of the source), so the code is derived, not transcribed: the
    same place gives the same code in every year transcribed alike."""
    return f"OC{group + 1}.{row + 1}"


def plan_spec(folder: Path) -> PlanSpec:
    """The plan of the demo year in ``folder``: the cruscotti read in the order of
    :data:`SECTION_FILES` (the order the indicators are numbered in), placed in the Relazione's."""
    reader = _Reader(
        PlanSpec(
            perspectives=[
                PerspectiveSpec(name=name, order=i + 1) for i, name in enumerate(PERSPECTIVES)
            ]
        )
    )
    narratives = folder / "narratives"
    for order, item in enumerate(read_yaml(folder / "strategic_objectives.yaml")):
        narrative_file = narratives / f"obiettivo_{item['code']}.md"
        so = StrategicSpec(
            code=item["code"],
            perspective=item["perspective"],
            name=norm(item["name"]),
            narrative=narrative_file.read_text("utf-8") if narrative_file.exists() else "",
            order=order,
        )
        reader.spec.strategic.append(so)
        reader.strategic[so.code] = so
    count = 0
    for section in SECTION_FILES:
        for filename in SECTION_FILES[section]:
            data = read_yaml(folder / filename)
            assert str(data["section"]) == section, filename
            for table in data["tables"]:
                count += 1
                order = SECTION_ORDER[section] * 100 + count
                card = reader.scorecard(section, table["cruscotto"], order)
                rows = [reader.row(card, i, row) for i, row in enumerate(table["rows"])]
                reader.spec.scorecards.append(replace(card, rows=tuple(rows)))
    return reader.spec
