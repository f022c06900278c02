"""The installable app's icons, drawn without any imaging library: a yellow star on the party red.

`python manage.py make_handbook_icons` writes them to handbook/static/handbook/ (they are committed).
The star stays inside the central 80% circle, so the 512 px icon also serves as a "maskable" icon.
"""

import math
from pathlib import Path

from common.images import png_bytes

RED = (0xB3, 0x12, 0x1B)
YELLOW = (0xFF, 0xD7, 0x00)
STATIC_FOLDER = Path(__file__).resolve().parent / "static" / "handbook"


def _star(size: int) -> list[tuple[float, float]]:
    centre, outer = size / 2, size * 0.30
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(54))
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = math.radians(-90 + index * 36)
        points.append((centre + radius * math.cos(angle), centre + size * 0.02 + radius * math.sin(angle)))
    return points


def _inside(x: float, y: float, polygon: list[tuple[float, float]]) -> bool:
    """Even-odd rule."""
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def icon_png(size: int) -> bytes:
    """A size×size RGB PNG: the star drawn with 2×2 samples per pixel for smooth edges."""
    star = _star(size)

    def pixel(x: int, y: int) -> tuple:
        hits = sum(_inside(x + dx, y + dy, star) for dx in (0.25, 0.75) for dy in (0.25, 0.75))
        return tuple(round((RED[i] * (4 - hits) + YELLOW[i] * hits) / 4) for i in range(3))

    return png_bytes(size, size, pixel)


def write_icons(folder: Path = STATIC_FOLDER, sizes=(192, 512)) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for size in sizes:
        path = folder / f"icon-{size}.png"
        path.write_bytes(icon_png(size))
        written.append(path)
    return written
