"""Checks of an uploaded image (a body's logo) before anything is stored: a clear Italian
message for what is refused, and bounded work (the size first, then Pillow reads the header,
then verifies the data), never a decompression bomb decoded."""

from __future__ import annotations

from typing import IO

from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_SIDE = 2000
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}


def logo_errors(file: IO[bytes], size: int) -> tuple[list[str], str]:
    """The errors of a logo file (none: valid), and its extension by its real format."""
    if size > MAX_LOGO_BYTES:
        return [f"Logo: {size // 1024} kB, al massimo {MAX_LOGO_BYTES // 1024} kB."], ""
    try:
        file.seek(0)
        with Image.open(file) as image:
            fmt, (width, height) = image.format or "", image.size
            if fmt not in LOGO_FORMATS:
                return ["Logo: solo immagini PNG o JPEG."], ""
            if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
                return [f"Logo: {width}×{height} pixel, al massimo {MAX_LOGO_SIDE} per lato."], ""
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return ["Logo: il file non è un'immagine PNG o JPEG leggibile."], ""
    finally:
        file.seek(0)
    return [], LOGO_FORMATS[fmt]
