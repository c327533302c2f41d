"""Pictures in a format every reading system shows: EPUB 3.2's core image types, others redrawn as PNG.

Zhihu serves WebP, and an image folder may hold AVIF or BMP; EPUB 3.2 (what
epubcheck 4 checks, and what older e-readers know) shows only JPEG, PNG, GIF
and SVG without a fallback.  Pillow decodes the others; PNG keeps them
lossless, and Pillow writes it without a time stamp, so the same picture is
the same bytes.
"""
from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError


def as_png(data: bytes) -> bytes | None:
    """*data* (a picture in any format Pillow reads) as PNG; None when it cannot be read (the book shows the box)."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.seek(0)  # the first frame of an animation
            frame = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "PA", "P") or "transparency" in picture.info else "RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    out = io.BytesIO()
    frame.save(out, format="PNG", optimize=True)
    return out.getvalue()
