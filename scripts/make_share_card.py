#!/usr/bin/env python3
"""Draw the site's share card: the picture a shared link shows (WeChat, QQ, Weibo, Facebook…) for
a page that has no photo of its own (the home page, lists, the map, the retrospective).

1200×630 (the 1.91:1 of Open Graph's og:image), the site's own teal #00695c and orange #bf360c, the
"life circle" rings of the placeholders around a white disc with 15, and the site's name in both
languages, read from site_templates/strings.yaml (site_name), in Noto Sans CJK SC (Debian's
fonts-noto-cjk, which scripts/setup.sh installs). WeChat shows a small square cut from the middle
of the card in a chat: the disc sits there, so the card is recognisable at that size too.

Run it again after changing the site's name or colours, and commit the result:

    .venv/bin/python scripts/make_share_card.py            # writes assets/images/share-card.png

The picture depends only on the name, the colours and the font: re-running gives the same bytes
with the same Pillow and font files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "images" / "share-card.png"
WIDTH, HEIGHT = 1200, 630
TEAL = (0x00, 0x69, 0x5C)  # --md-primary-fg-color in assets/stylesheets/showcase.css
TEAL_DARK = (0x00, 0x4D, 0x40)
RING = (0x1A, 0x7E, 0x72)  # a lighter teal: the rings stay in the background
ORANGE = (0xBF, 0x36, 0x0C)  # the accent
WHITE = (0xFF, 0xFF, 0xFF)
FONT_DIRS = [Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts")]


def cjk_font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC from Debian's collection file (the SC face's index varies by release)."""
    name = f"NotoSansCJK-{weight}.ttc"
    for folder in FONT_DIRS:
        for path in sorted(folder.rglob(name)) if folder.exists() else []:
            for index in range(10):
                try:
                    face = ImageFont.truetype(str(path), size, index=index)
                except OSError:
                    break
                if face.getname()[0] == "Noto Sans CJK SC":
                    return face
    sys.exit(f"{name} (Noto Sans CJK SC) not found: apt-get install fonts-noto-cjk (scripts/setup.sh does)")


def fit(text: str, weight: str, size: int, width: int) -> ImageFont.FreeTypeFont:
    """The font at `size`, or smaller until `text` fits `width`."""
    while True:
        face = cjk_font(weight, size)
        if face.getlength(text) <= width or size <= 16:
            return face
        size -= 2


def draw(name_zh: str, name_en: str) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), TEAL)
    d = ImageDraw.Draw(image)
    cx, cy = WIDTH // 2, 232
    for radius, width in ((330, 5), (250, 6), (170, 7)):
        d.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=RING, width=width)
    d.rectangle([0, 390, WIDTH, HEIGHT], fill=TEAL)  # the text band: the rings end above it
    d.line([(0, 390), (WIDTH, 390)], fill=RING, width=5)
    disc = 108
    d.ellipse([cx - disc, cy - disc, cx + disc, cy + disc], fill=WHITE)
    d.text((cx, cy - 14), "15", font=cjk_font("Bold", 112), fill=TEAL_DARK, anchor="mm")
    d.text((cx, cy + 58), "分钟", font=cjk_font("Regular", 32), fill=TEAL_DARK, anchor="mm")
    margin = 72
    d.text((cx, 462), name_zh, font=fit(name_zh, "Bold", 58, WIDTH - 2 * margin), fill=WHITE, anchor="mm")
    d.text((cx, 536), name_en, font=fit(name_en, "Regular", 34, WIDTH - 2 * margin), fill=WHITE, anchor="mm")
    d.rectangle([cx - 60, 584, cx + 60, 590], fill=ORANGE)
    return image


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()
    strings = yaml.safe_load((ROOT / "site_templates" / "strings.yaml").read_text(encoding="utf-8"))
    image = draw(strings["site_name"]["zh"], strings["site_name"]["en"])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # a palette PNG: flat colours and anti-aliased text in 64 shades stay sharp and small
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(args.output, optimize=True)
    print(f"{args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}: "
          f"{WIDTH}×{HEIGHT}, {args.output.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
