#!/usr/bin/env python3
"""Generate the placeholder images that the sample content in cases/ refers to.

For every entry file under cases/ (excellent/, competition/, milestones/, ...) each `media` item
marked `placeholder: true` names a JPEG in the entry's media folder (the folder named like the
entry file: cases/excellent/x.yaml -> cases/excellent/x/). Any such file that does not exist yet is
drawn here with Pillow: a 1200x800 calm background, a few simple geometric shapes (concentric
"life circle" rings, blocks, a path; a grid for plans, stacked blocks for models) and the Latin
text PLACEHOLDER with the entry id, in Pillow's default font. The picture depends only on the
entry id, the file name and the media kind, so re-running gives the same bytes.

Existing files are never touched unless --force is given (then every placeholder is redrawn;
real photographs, i.e. media without `placeholder: true`, are never written).

Usage:  python scripts/make_placeholders.py [--content cases] [--force] [--dry-run]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.collection import entry_files  # noqa: E402
from generator.load import read_yaml  # noqa: E402

WIDTH, HEIGHT = 1200, 800
QUALITY = 80
MAX_BYTES = 60 * 1024

# Calm background / shape colour pairs (muted greens, blues, sands, greys).
PALETTE = [
    ((226, 236, 228), (142, 178, 152)),
    ((224, 233, 240), (128, 160, 186)),
    ((240, 234, 222), (190, 164, 122)),
    ((232, 230, 238), (150, 144, 176)),
    ((236, 238, 232), (150, 162, 140)),
    ((241, 232, 228), (192, 150, 138)),
    ((226, 237, 238), (120, 170, 172)),
    ((236, 236, 236), (150, 150, 150)),
]
TEXT = (60, 64, 70)


def font(size: int) -> ImageFont.ImageFont:
    """Pillow's bundled default font, scaled when FreeType is available."""
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1: fixed-size bitmap font only
        return ImageFont.load_default()


def seed_for(*parts: str) -> bytes:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).digest()


def draw_placeholder(entry_id: str, file_name: str, kind: str) -> Image.Image:
    seed = seed_for(entry_id, file_name, kind)
    background, shape = PALETTE[seed[0] % len(PALETTE)]
    light = tuple(min(255, c + (255 - c) // 2) for c in shape)
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    d = ImageDraw.Draw(image)

    if kind == "plan":
        for x in range(0, WIDTH, 50):
            d.line([(x, 0), (x, HEIGHT)], fill=light, width=1)
        for y in range(0, HEIGHT, 50):
            d.line([(0, y), (WIDTH, y)], fill=light, width=1)

    # Concentric rings: the "life circle" around a centre point.
    cx = 300 + seed[1] % 600
    cy = 260 + seed[2] % 280
    for i, radius in enumerate((330, 240, 150)):
        d.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=shape, width=6 if i else 4)
    d.ellipse([cx - 26, cy - 26, cx + 26, cy + 26], fill=shape)

    # A few blocks (buildings) joined to the centre by a path drawn underneath them.
    blocks = []
    for i in range(4):
        bx = 80 + (seed[3 + i] * 7) % (WIDTH - 260)
        by = 80 + (seed[7 + i] * 5) % (HEIGHT - 300)
        blocks.append((bx, by, 80 + seed[11 + i] % 90, 60 + seed[15 + i] % 80))
    d.line([(cx, cy)] + [(bx + bw // 2, by + bh // 2) for bx, by, bw, bh in blocks], fill=shape, width=5, joint="curve")
    for bx, by, bw, bh in blocks:
        if kind == "plan":
            d.rectangle([bx, by, bx + bw, by + bh], fill=background, outline=shape, width=5)
        elif kind == "model":
            depth = 24
            d.polygon([(bx, by), (bx + depth, by - depth), (bx + bw + depth, by - depth), (bx + bw, by)], fill=light, outline=shape)
            d.polygon([(bx + bw, by), (bx + bw + depth, by - depth), (bx + bw + depth, by + bh - depth), (bx + bw, by + bh)], fill=shape)
            d.rectangle([bx, by, bx + bw, by + bh], fill=light, outline=shape, width=3)
        else:
            d.rectangle([bx, by, bx + bw, by + bh], fill=light, outline=shape, width=3)

    # Label panel.
    panel = [0, HEIGHT - 190, WIDTH, HEIGHT]
    d.rectangle(panel, fill=background)
    d.line([(0, HEIGHT - 190), (WIDTH, HEIGHT - 190)], fill=shape, width=4)
    d.text((60, HEIGHT - 165), "PLACEHOLDER", font=font(72), fill=TEXT)
    d.text((60, HEIGHT - 75), f"{entry_id}  /  {file_name}  ({kind})", font=font(30), fill=TEXT)
    return image


def encode(image: Image.Image) -> bytes:
    """Baseline JPEG without EXIF or other metadata, kept under MAX_BYTES."""
    quality = QUALITY
    while True:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)  # no exif= argument: no EXIF block
        data = buffer.getvalue()
        if len(data) <= MAX_BYTES or quality <= 40:
            return data
        quality -= 10


def placeholder_media(content: Path):
    """(yaml path, entry id, media folder, file name, kind) for every placeholder media item.

    Entries are found exactly as the build finds them (generator.collection.entry_files), and
    read without validation: the build refuses them until their placeholder files exist."""
    for _kind, path in entry_files(content):
        source, problems = read_yaml(path, content.parent)
        if source is None:
            for problem in problems:
                print(f"skip {problem.format('en')}", file=sys.stderr)
            continue
        data = source.data
        if not isinstance(data, dict):
            continue
        entry_id = str(data.get("id") or path.stem)
        for item in data.get("media") or []:
            if not isinstance(item, dict) or item.get("placeholder") is not True or not item.get("file"):
                continue
            name = str(item["file"])
            if "/" in name or "\\" in name or name.startswith("."):
                print(f"skip {path}: media file '{name}' must be a plain file name", file=sys.stderr)
                continue
            yield path, entry_id, path.with_suffix(""), name, str(item.get("kind") or "photo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path(__file__).resolve().parent.parent / "cases",
                        help="content folder (default: cases/ next to scripts/)")
    parser.add_argument("--force", action="store_true", help="redraw placeholder files that already exist")
    parser.add_argument("--dry-run", action="store_true", help="only list what would be written")
    args = parser.parse_args(argv)

    content = args.content.resolve()
    if not content.is_dir():
        print(f"no content folder at {content}", file=sys.stderr)
        return 1
    written = kept = 0
    for _source, entry_id, folder, name, kind in placeholder_media(content):
        target = folder / name
        if target.exists() and not args.force:
            kept += 1
            continue
        if args.dry_run:
            print(f"would write {target.relative_to(content.parent)}")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target.write_bytes(encode(draw_placeholder(entry_id, name, kind)))
        written += 1
        print(f"wrote {target.relative_to(content.parent)} ({target.stat().st_size // 1024} KB)")
    print(f"{written} written, {kept} already present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
