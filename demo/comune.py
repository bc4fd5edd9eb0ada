"""A synthetic Comune beside the demo Camera: a body of another kind whose plan is written as
Comuni write theirs, loaded through the paths a new body takes (``workflow.onboarding
.body_setup``, the plan workbook and its import, the managers' data entry), never by writing
rows directly.

Its plan has the DUP's missions as its first level (the body calls it «Missione»), then its
strategic objectives, coded as the DUP numbers its programmes (0107: Missione 01, Programma
07; free codes, not «1.1»): one with operational objectives (four levels there), two with their
indicators placed directly on them (three levels there, as a DUP often writes them: the
indicators under the objective, the unit that answers for them beside), weights at every
level, targets written as
plans write them («≥ 60%», «<= 10 gg.», «= 45.000», «maggiore o uguale a 90%», «entro il
31.12.2025»), a qualitative indicator on the body's scale, thresholds scored in proportion and
the overall score converted into points by bands: its SMVP. ``tests/test_comune_demo.py``
computes the year's score by hand. The year stays in monitoring and is never published."""

from __future__ import annotations

from io import BytesIO

from django.contrib.auth import get_user_model
from django.db import transaction
from openpyxl import Workbook

from core.models import Body, BodyKind, Cycle
from indicators import plan_workbook
from indicators.models import Indicator
from indicators.plan_columns import COLUMNS
from indicators.plan_import import plan_import_apply
from indicators.services import indicator_update_actual
from workflow.onboarding import body_setup
from workflow.services import cycle_transition

from .accounts import demo_password

SLUG, YEAR = "comune-esempio", 2025
TAX_CODE = "00987654324"  # made up, with the right check digit
METHOD = {
    "aggregation": "weighted_mean",
    "thresholds": "proportional",
    "nv": "zero",
    "conversion": "points",
    "points": [
        {"from": 0, "to": 59, "points": [0, 0]},
        {"from": 60, "to": 75, "points": [10, 14]},
        {"from": 76, "to": 90, "points": [15, 18]},
        {"from": 91, "to": 100, "points": [19, 20]},
    ],
}
UNITS = (
    "segreteria; Segreteria generale; segreteria generale;\n"
    "demografici; Settore servizi demografici; area; segreteria\n"
    "tributi; Settore tributi; area; segreteria\n"
    "sociale; Settore servizi sociali; area; segreteria"
)
# e-mail (the username, as for every person invited at setup), name, role, unit codes
ACCOUNTS = (
    ("pianificazione@comune-esempio.example", "Paola Esempio", "pianificazione", ()),
    ("demografici@comune-esempio.example", "Marco Esempio", "responsabile", ("demografici",)),
    ("tributi@comune-esempio.example", "Anna Esempio", "responsabile", ("tributi",)),
    ("sociale@comune-esempio.example", "Luca Esempio", "responsabile", ("sociale",)),
    ("oiv@comune-esempio.example", "Olga Esempio", "OIV", ()),
)
PEOPLE = "\n".join(f"{m}; {n}; {r}; {', '.join(u)}" for m, n, r, u in ACCOUNTS)
M01 = "01 – Servizi istituzionali, generali e di gestione"
M12 = "12 – Diritti sociali, politiche sociali e famiglia"
# The names of its levels (body_setup, as the command setup_body takes them).
LEVELS = {"perspective_label": "Missione", "perspective_label_plural": "Missioni"}
DIGITAL, TIMES = "Digitalizzare le pratiche anagrafiche", "Ridurre i tempi di rilascio"
# The plan as the template's sheets (indicators.plan_columns): what a planning office fills.
SHEETS: dict[str, list[list[str]]] = {
    "Prospettive": [["1", M01, "2"], ["2", M12, "1"]],
    "Obiettivi strategici": [
        ["0107", M01, "Semplificare i servizi ai cittadini", "3"],
        ["0104", M01, "Rendere sostenibile il bilancio", "1"],
        ["1204", M12, "Sostenere le famiglie fragili", "1"],
    ],
    # An empty operational objective: the row gives the units of the strategic objective's
    # own indicators (0104 and 1204 have no operational objectives).
    "Obiettivi operativi": [
        ["0107", DIGITAL, "demografici", "2"],
        ["0107", TIMES, "demografici", "1"],
        ["0104", "", "tributi", ""],
        ["1204", "", "sociale", ""],
    ],
    # strategic, operational (empty: directly on the strategic objective), name, algorithm,
    # kind, direction (empty for a threshold: scored
    # as one, by the body's rule), target, weight, unit of
    # measure, source, threshold rule, weight in the unit's cruscotto, the triennial plan's
    # targets for N+1 and N+2, the baseline and its year (empty: the year before)
    "Indicatori": [
        ["0107", DIGITAL, "Pratiche anagrafiche presentate online", "", "number", "",
         "≥ 60%", "2", "%", "Gestionale anagrafe", "", "", "≥ 65%", "≥ 70%", "48%", "2024"],
        ["0107", DIGITAL, "Servizi anagrafici disponibili online", "", "number", "higher",
         "10", "1", "servizi", "Portale del Comune", "", "", "12", "15", "6", ""],
        ["0107", TIMES, "Tempo medio di rilascio della carta d'identità", "", "number", "",
         "<= 10 gg.", "1", "", "Gestionale anagrafe", "", "", "<= 8 gg.", "<= 7 gg.", "14", ""],
        ["0107", TIMES, "Giudizio degli utenti sullo sportello", "", "qualitative", "higher",
         "ottimo", "1", "", "Indagine di gradimento", "", ""],
        ["0104", "", "Importo riscosso dal recupero dell'evasione", "", "number", "higher",
         "= 45.000", "1", "euro", "Contabilità", "", "", "= 50.000", "= 55.000", "", ""],
        ["1204", "", "Nuclei presi in carico entro 30 giorni", "", "number", "",
         "maggiore o uguale a 90%", "1", "%", "Cartella sociale", "", "", "≥ 92%", "≥ 95%",
         "70%", "2024"],
        ["1204", "", "Avvio del servizio di assistenza domiciliare", "", "deadline",
         "higher", "entro il 31.12.2025", "2", "", "Determina di avvio", "", ""],
    ],
}  # fmt: skip
# The values the managers enter, by indicator name.
ACTUALS = {
    "Pratiche anagrafiche presentate online": "54%",
    "Servizi anagrafici disponibili online": "8",
    "Tempo medio di rilascio della carta d'identità": "12",
    "Giudizio degli utenti sullo sportello": "buono",
    "Importo riscosso dal recupero dell'evasione": "40.500",
    "Nuclei presi in carico entro 30 giorni": "72%",
    "Avvio del servizio di assistenza domiciliare": "30/11/2025",
}


def plan_workbook_file() -> BytesIO:
    """The plan as a filled template (the headers are the template's own)."""
    book = Workbook()
    book.remove(book.active)
    for title, columns in COLUMNS.items():
        sheet = book.create_sheet(title)
        sheet.append([column.header for column in columns])
        for row in SHEETS[title]:
            sheet.append(row[: len(columns)])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, as a cell typed '= 45.000 is: not a formula
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _passwords() -> dict[str, object]:
    """The demo's known passwords instead of the invitations' links (a demo, never production)."""
    users = {}
    for user in get_user_model().objects.filter(username__in=[a[0] for a in ACCOUNTS]):
        user.set_password(demo_password(user.username.split("@")[0], YEAR))
        user.save(update_fields=["password"])
        users[user.username] = user
    return users


def comune_load() -> Cycle:
    """Set up the Comune, import its plan, open the year and enter the managers' values. Once:
    a body already there is left as it is (its people may have worked on it)."""
    existing = Cycle.objects.filter(body__slug=SLUG, year=YEAR).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        body = body_setup(
            name="Comune di Esempio (ente sintetico)",
            short_name="Comune di Esempio",
            slug=SLUG,
            kind=BodyKind.MUNICIPALITY,
            tax_code=TAX_CODE,
            first_year=YEAR,
            units=UNITS,
            people=PEOPLE,
            scoring_method=METHOD,
            levels=LEVELS,
        ).body
        users = _passwords()
        planning = users[ACCOUNTS[0][0]]
        sheets = plan_workbook.plan_read(plan_workbook_file())
        cycle = plan_import_apply(user=planning, body=body, year=YEAR, sheets=sheets)
        cycle_transition(user=planning, cycle=cycle, target=Cycle.State.MONITORING)
        for indicator in Indicator.objects.filter(cycle=cycle).prefetch_related(
            "operational_objective__units"
        ):
            unit = indicator.operational_objective.units.get()
            manager = next(users[name] for name, _f, _r, codes in ACCOUNTS if unit.slug in codes)
            indicator_update_actual(
                user=manager,
                indicator=indicator,
                actual=ACTUALS[indicator.name],
                explanation="Valore rilevato a fine anno.",
                expected_version=indicator.version,
            )
    return Cycle.objects.get(pk=cycle.pk)


def comune_accounts() -> list[tuple[str, str, str]]:
    """(username, password, role) of the Comune's people, for load_demo to print."""
    body = Body.objects.get(slug=SLUG)
    return [
        (mail, demo_password(mail.split("@")[0], YEAR), f"{role} ({body.short_name})")
        for mail, _name, role, _codes in ACCOUNTS
    ]
