"""Draw Træfbot's two Teams icons: `color.png` (192×192) and `outline.png` (32×32).

Our own simple design: a speech bubble with a "T" in it and, in the colour icon, three dots as
when someone is typing. The icons are committed; run this again only to change them:
`.venv/bin/python manifest/teams/draw_icons.py` (needs Pillow, a development dependency).
Shapes are drawn at a larger scale and shrunk, so the edges come out smooth.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

HERE = Path(__file__).resolve().parent
ACCENT = (0x1F, 0x6F, 0x78)  # the manifest's accentColor, #1F6F78
WARM = (0xF2, 0xA9, 0x00)
WHITE = (0xFF, 0xFF, 0xFF)

Box = tuple[float, float, float, float]


def _scaled(box: Box, scale: int) -> Box:
    left, top, right, bottom = box
    return (left * scale, top * scale, right * scale, bottom * scale)


def _bubble(
    size: int, scale: int, box: Box, radius: float, tail: list[tuple[float, float]]
) -> Image.Image:
    """A filled speech bubble as a mask, drawn `scale` times larger than `size`."""
    mask = Image.new("L", (size * scale, size * scale), 0)
    draw = ImageDraw.Draw(mask)
    draw.rounded_rectangle(_scaled(box, scale), radius=radius * scale, fill=255)
    draw.polygon([(x * scale, y * scale) for x, y in tail], fill=255)
    return mask


def _letter_t(mask: Image.Image, scale: int, bar: Box, stem: Box, fill: int) -> None:
    draw = ImageDraw.Draw(mask)
    draw.rectangle(_scaled(bar, scale), fill=fill)
    draw.rectangle(_scaled(stem, scale), fill=fill)


def colour_icon() -> Image.Image:
    """192×192: a white bubble with an accent "T" and three warm dots, on the accent colour."""
    size, scale = 192, 4
    bubble = _bubble(size, scale, (30, 40, 162, 134), 26, [(54, 126), (88, 126), (44, 160)])
    letter = Image.new("L", bubble.size, 0)
    _letter_t(letter, scale, (68, 58, 124, 74), (88, 58, 104, 116), 255)
    dots = Image.new("L", bubble.size, 0)
    draw = ImageDraw.Draw(dots)
    for centre_x in (122, 136, 150):
        box = (centre_x - 5, 104, centre_x + 5, 114)
        draw.ellipse(_scaled(box, scale), fill=255)
    big = Image.new("RGB", bubble.size, ACCENT)
    big.paste(WHITE, mask=bubble)
    big.paste(ACCENT, mask=letter)
    big.paste(WARM, mask=dots)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def outline_icon() -> Image.Image:
    """32×32: the bubble's outline and the "T", white on a fully transparent background."""
    size, scale = 32, 8
    outer = _bubble(size, scale, (2, 4, 30, 23), 5, [(7, 21), (13, 21), (5, 29)])
    inner = _bubble(size, scale, (4, 6, 28, 21), 3.5, [(8.5, 19), (11, 19), (7.5, 24.5)])
    shape = ImageChops.subtract(outer, inner)
    _letter_t(shape, scale, (10, 9, 22, 11.5), (14.75, 9, 17.25, 18), 255)
    alpha = shape.resize((size, size), Image.Resampling.LANCZOS)
    alpha = alpha.point(lambda value: 0 if value < 8 else value)  # no near-invisible haze
    icon = Image.new("RGBA", (size, size), (*WHITE, 0))
    icon.putalpha(alpha)
    return icon


def main() -> None:
    colour_icon().save(HERE / "color.png", optimize=True)
    outline_icon().save(HERE / "outline.png", optimize=True)
    print(f"Ikonerne er tegnet i {HERE}.")


if __name__ == "__main__":
    main()
