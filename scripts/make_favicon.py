"""Draw Collab's icon: a white ring, open on the right (a "C"), on a blue rounded square.

Writes static/favicon.svg and static/favicon.ico (16 and 32 pixels). Standard library only;
run it again only to change the icon: ``python scripts/make_favicon.py``.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
BLUE = (0x1D, 0x70, 0xB8)  # GOV.UK blue, the colour of links
WHITE = (0xFF, 0xFF, 0xFF)

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#1d70b8"/>
<path d="M22.4 10.6A8.5 8.5 0 1 0 22.4 21.4" fill="none" stroke="#fff" stroke-width="4.5" stroke-linecap="round"/>
</svg>
"""


def _pixel(x: float, y: float, size: int) -> tuple[int, int, int, int]:
    """The colour at the centre of pixel (x, y), as blue, green, red, alpha (BMP order)."""
    scale = size / 32
    cx = cy = size / 2
    corner = 6 * scale
    # Outside the rounded square: transparent.
    dx = max(corner - x, 0, x - (size - corner))
    dy = max(corner - y, 0, y - (size - corner))
    if dx * dx + dy * dy > corner * corner:
        return (0, 0, 0, 0)
    r = math.hypot(x - cx, y - cy)
    angle = math.degrees(math.atan2(y - cy, x - cx))
    ring = 8.5 * scale - 2.4 * scale <= r <= 8.5 * scale + 2.4 * scale and abs(angle) > 40
    red, green, blue = WHITE if ring else BLUE
    return (blue, green, red, 255)


def _bitmap(size: int) -> bytes:
    """One ICO image: a BITMAPINFOHEADER, 32-bit pixels bottom-up, and an all-zero AND mask."""
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = b"".join(
        bytes(_pixel(x + 0.5, y + 0.5, size)) for y in reversed(range(size)) for x in range(size)
    )
    mask_row = ((size + 31) // 32) * 4
    return header + pixels + bytes(mask_row * size)


def ico(sizes: tuple[int, ...] = (16, 32)) -> bytes:
    images = [_bitmap(size) for size in sizes]
    directory = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return directory + entries + b"".join(images)


def main() -> None:
    (STATIC / "favicon.ico").write_bytes(ico())
    (STATIC / "favicon.svg").write_text(SVG)


if __name__ == "__main__":
    main()
