"""The vendored static files name only files that exist: the production storage
(CompressedManifestStaticFilesStorage) rewrites every reference of a CSS file to its hashed name
and fails collectstatic on a missing one (as the Bootstrap Italia source map did, issue 14)."""

import re
from pathlib import Path

from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "static"
SOURCE_MAP = re.compile(r"sourceMappingURL=([^\s*]+)")
CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:|#|https?:|/)([^'\")?#]+)")


def test_source_maps_named_by_static_files_exist():
    for path in [*STATIC.rglob("*.css"), *STATIC.rglob("*.js")]:
        for name in SOURCE_MAP.findall(path.read_text(encoding="utf-8", errors="replace")):
            assert (path.parent / name).is_file(), f"{path.relative_to(STATIC)}: {name}"


def test_files_named_by_static_css_exist():
    for path in STATIC.rglob("*.css"):
        for name in CSS_URL.findall(path.read_text(encoding="utf-8")):
            assert (path.parent / name).resolve().is_file(), f"{path.relative_to(STATIC)}: {name}"
