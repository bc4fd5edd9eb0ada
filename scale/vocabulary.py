"""The words and values of a synthetic plan: plausible Italian names of objectives, units and
indicators, and the targets and actuals of every kind and direction (thresholds, deadlines,
NV, monitoring), all drawn from the generator's one ``random.Random``."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from indicators import domain
from lib.italian import format_date, format_number

PERSPECTIVES = [
    "SVILUPPO ECONOMICO DELLE IMPRESE E DEL TERRITORIO",
    "SEMPLIFICAZIONE E INNOVAZIONE DEI PROCESSI",
    "APPRENDIMENTO E CRESCITA",
    "ECONOMICO-FINANZIARIA",
]

THEMES = [
    "digitalizzazione delle imprese",
    "internazionalizzazione",
    "transizione ecologica",
    "orientamento al lavoro e alle professioni",
    "turismo e cultura",
    "legalità e trasparenza del mercato",
    "semplificazione amministrativa",
    "qualità dei servizi anagrafici",
    "formazione del personale",
    "sostenibilità economico-finanziaria",
    "accesso al credito",
    "valorizzazione del patrimonio",
    "comunicazione istituzionale",
    "statistica e studi economici",
    "tutela del consumatore",
    "nuove imprese e start-up",
]
SO_VERBS = ["Sostenere", "Promuovere", "Rafforzare", "Favorire", "Sviluppare", "Garantire"]
OO_VERBS = [
    "Potenziare",
    "Realizzare",
    "Migliorare",
    "Consolidare",
    "Ampliare",
    "Razionalizzare",
    "Monitorare",
    "Diffondere",
]
OO_OBJECTS = [
    "i servizi di assistenza alle imprese",
    "le iniziative di formazione",
    "i tempi di evasione delle pratiche",
    "i controlli sulla qualità dei dati",
    "la comunicazione verso l'utenza",
    "i percorsi di accompagnamento",
    "le attività di vigilanza",
    "i bandi di contributo",
    "la gestione documentale",
    "i processi di riscossione",
]
UNIT_NAMES = [
    "Affari generali",
    "Promozione",
    "Registro Imprese",
    "Regolazione del mercato",
    "Risorse umane",
    "Risorse finanziarie",
    "Risorse strumentali",
    "Comunicazione e Studi",
    "Sportelli polifunzionali",
    "Diritto annuale",
    "Ambiente",
    "Metrologia legale",
    "Arbitrato e conciliazione",
    "Sviluppo d'impresa",
    "Protesti e marchi",
]
COMMON_GROUPS = [
    "Transizione digitale",
    "Accessibilità e trasparenza",
    "Salute economico-finanziaria",
    "Parità di genere",
]
STAFF_CATEGORIES = [
    "Dirigenti",
    "Funzionari ed Elevate Qualificazioni",
    "Istruttori",
    "Operatori esperti",
    "Operatori",
]


def _num(number, decimals=0) -> str:
    return format_number(Decimal(str(number)), decimals)


def _canonical(text: str) -> str:
    return domain.format_value(domain.parse_value(text))


def indicator_values(rng: random.Random, year: int, theme: str):
    """(name, algorithm, kind, direction, target, actual, unit of measure) of one indicator."""
    roll = rng.random()
    pick = rng.randrange(1_000_000)
    nv = rng.random() < 0.04
    if roll < 0.30:
        kind, direction = domain.Kind.NUMBER, domain.Direction.HIGHER
        target = rng.choice([2, 3, 4, 5, 8, 12, 20, 45, 60, 120, 250, 350, 650, 1200])
        actual = max(0, round(target * rng.uniform(0.55, 1.45)))
        name = rng.choice(
            [
                f"Numero di imprese coinvolte nelle iniziative di {theme}",
                f"Numero di eventi e seminari su {theme}",
                f"Numero di pratiche istruite in materia di {theme}",
                f"Numero di incontri con le associazioni su {theme}",
            ]
        )
        values = (_num(target), _num(actual), "numero")
    elif roll < 0.36:
        kind, direction = domain.Kind.NUMBER, domain.Direction.LOWER
        target = rng.choice([5, 10, 15, 30, 45, 60])
        actual = max(1, round(target * rng.uniform(0.6, 1.5)))
        name = f"Tempo medio di evasione delle pratiche di {theme} (giorni)"
        values = (_num(target), _num(actual), "giorni")
    elif roll < 0.40:
        kind, direction = domain.Kind.NUMBER, domain.Direction.AT_MOST
        target = rng.choice([10, 20, 30, 50])
        actual = max(0, round(target * rng.uniform(0.5, 1.2)))
        name = f"Numero di reclami ricevuti sui servizi di {theme}"
        values = (f"<{_num(target)}", _num(actual), "numero")
    elif roll < 0.60:
        kind, direction = domain.Kind.PERCENTAGE, domain.Direction.HIGHER
        target = Decimal(rng.choice([60, 75, 80, 85, 90, 95, 100]))
        actual = min(Decimal(100), target * Decimal(str(round(rng.uniform(0.7, 1.2), 4))))
        name = rng.choice(
            [
                f"Percentuale di pratiche di {theme} evase entro 5 giorni",
                f"Grado di soddisfazione degli utenti dei servizi di {theme}",
                f"Percentuale di imprese raggiunte dalle azioni di {theme}",
            ]
        )
        values = (_num(target) + "%", _num(actual, 2) + "%", "%")
    elif roll < 0.63:
        kind, direction = domain.Kind.PERCENTAGE, domain.Direction.AT_LEAST
        target = rng.choice([30, 40, 50])
        actual = round(target * rng.uniform(0.8, 1.4), 2)
        name = f"Quota di procedimenti di {theme} gestiti in modalità telematica"
        values = (f">{_num(target)}%", _num(actual, 2) + "%", "%")
    elif roll < 0.66:
        kind, direction = domain.Kind.RATIO, domain.Direction.LOWER
        target = round(rng.uniform(1.5, 4.0), 2)
        actual = round(target * rng.uniform(0.8, 1.25), 2)
        name = f"Indice di incidenza dei costi di struttura ({theme})"
        values = (_num(target, 2), _num(actual, 2), "indice")
    elif roll < 0.70:
        kind, direction = domain.Kind.CURRENCY, domain.Direction.HIGHER
        target = rng.choice([50_000, 120_000, 250_000, 1_000_000])
        actual = round(target * rng.uniform(0.7, 1.15))
        name = f"Risorse erogate per i bandi di {theme}"
        values = ("€ " + _num(target), "€ " + _num(actual), "euro")
    elif roll < 0.86:
        kind, direction = domain.Kind.DEADLINE, domain.Direction.HIGHER
        deadline = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(60, 364))
        done = deadline + dt.timedelta(days=rng.randrange(-90, 30))
        name = rng.choice(
            [
                f"Rispetto del termine per l'avvio del piano di {theme}",
                f"Approvazione del programma annuale di {theme} entro la scadenza",
                f"Pubblicazione del rapporto su {theme} entro il termine",
            ]
        )
        values = (format_date(deadline), format_date(done), "data")
    elif roll < 0.92:
        kind, direction = domain.Kind.BOOLEAN, domain.Direction.HIGHER
        name = f"Adozione del regolamento in materia di {theme}"
        values = ("SI", "SI" if rng.random() < 0.85 else "NO", "sì/no")
    elif roll < 0.98:
        kind, direction = domain.Kind.PROJECT, domain.Direction.HIGHER
        name = f"Progetto di {theme}: stato di avanzamento"
        values = ("100%", _num(rng.choice([40, 60, 75, 80, 90, 100, 100, 100])) + "%", "%")
    else:
        kind, direction = domain.Kind.NUMBER, domain.Direction.MONITORING
        name = f"Numero di richieste di informazioni su {theme} (monitoraggio)"
        values = ("monitoraggio", _num(rng.randrange(10, 900)), "numero")
    target, actual, unit_of_measure = values
    if nv:
        actual = "NV"
    name = f"{name} #{pick:06d}"[:500]
    algorithm = f"Rilevazione dal gestionale: {unit_of_measure} per {theme}"
    return name, algorithm, kind, direction, _canonical(target), _canonical(actual), unit_of_measure
