"""The codes a body gives its objectives, as it writes them: "1.1", "6", "0101", "01010601",
"A.1", "2.3-bis", "1/2". One definition of what is accepted (the database constraint, the plan
workbook, the forms and the URLs use it) and of their natural order: "2" before "10", "1.2"
before "1.10", "0101" kept as written.

The order is a stored key (``natural_key``) rather than a sort in Python so that every listing
ordered by the database (the admin, the filters, the selectors with fixed query counts) agrees:
the key is made of digits only, so PostgreSQL's collations (which skip punctuation) and SQLite's
byte order compare it alike."""

import re

CODE_MAX_LENGTH = 20
# Letters and digits, joined by ".", "-", "_" or a single "/": a code starts and ends with a
# letter or a digit, and a "/" never stands next to another separator, so that in an address
# (/obiettivi/<codice>/) no segment of it is empty, "." or "..".
CODE_PATTERN = r"[A-Za-z0-9]+(?:[._-]+[A-Za-z0-9]+|/[A-Za-z0-9]+)*"
CODE_REGEX = f"^{CODE_PATTERN}$"  # the database check constraint strategic_code_format
CODE_HELP = (
    "lettere, cifre e i separatori . - _ /, iniziando e finendo con una lettera o una cifra "
    f"(es. 1.1, 6, 0101, A.1); al massimo {CODE_MAX_LENGTH} caratteri"
)

_RUNS = re.compile(r"[0-9]+|[^0-9]")
# A run of digits: "1", its length in two digits, the number without its leading zeros.
# Any other character: "2" and its code point in three digits (the codes are ASCII).
NATURAL_KEY_MAX_LENGTH = 4 * CODE_MAX_LENGTH


def code_allowed(code: str) -> bool:
    return len(code) <= CODE_MAX_LENGTH and re.fullmatch(CODE_PATTERN, code) is not None


def natural_key(code: str) -> str:
    """A string of digits whose plain order is the natural order of the codes: numbers by
    value ("2" < "10"), then the other characters by code point, a shorter code before a longer
    one it begins. Codes equal but for leading zeros ("01", "1") tie: the code itself breaks the
    tie in the orderings."""
    parts = []
    for run in _RUNS.findall(code):
        if run[0] in "0123456789":
            number = run.lstrip("0") or "0"
            parts.append(f"1{len(number):02d}{number}")
        else:
            parts.append(f"2{min(ord(run), 999):03d}")
    return "".join(parts)[:NATURAL_KEY_MAX_LENGTH]
