"""Images the demo draws itself (Pillow) and keeps in the Wagtail image library: abstract hero art, illustrated
portrait placeholders, logo marks from initials. Nothing is copied from anyone; idempotent (looked up by title)."""

import hashlib
import io
import math

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images.models import Filter, Image

# Dark, saturated colours: white initials stay readable on each (the same family as the track colours).
PALETTE = ["#1f5f8b", "#8a2b4a", "#1d6b35", "#7a4b00", "#4b3a8c", "#0f6e6e", "#9b3d12", "#3d4f5c"]
SKIN_TONES = ["#f1c9a5", "#e0ac82", "#c68863", "#a0674b", "#7a4a34", "#5c3826"]
HAIR_COLOURS = ["#2b1d14", "#4a3020", "#6b4a2b", "#a7a7a7", "#1c1c1c", "#8c5a2b"]


def _seed(key):
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def _pick(options, key, salt=""):
    return options[_seed(key + salt) % len(options)]


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _save(picture, *, title, description, file_name, image_format):
    """Store `picture` as a Wagtail image titled `title`, or return the stored one (idempotent)."""
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        if existing.description != description:
            existing.description = description
            existing.save(update_fields=["description"])
        return existing
    buffer = io.BytesIO()
    if image_format == "JPEG":
        picture.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
    else:
        picture.save(buffer, image_format, optimize=True)
    image = Image(title=title, description=description)
    image.file = ImageFile(buffer, name=file_name)
    image.save()
    return image


def hero_art(key, width=1600, height=900):
    """Abstract art: a diagonal two-colour gradient with translucent circles and bands."""
    first, second = _rgb(_pick(PALETTE, key, "a")), _rgb(_pick(PALETTE, key, "b"))
    # A diagonal ramp: the mean of a left-to-right and a top-to-bottom gradient.
    across = PILImage.linear_gradient("L").rotate(90).resize((width, height))
    down = PILImage.linear_gradient("L").resize((width, height))
    mask = PILImage.blend(across, down, 0.5)
    picture = PILImage.composite(PILImage.new("RGB", mask.size, second), PILImage.new("RGB", mask.size, first), mask)
    overlay = PILImage.new("RGBA", picture.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    seed = _seed(key)
    for n in range(7):
        radius = 80 + (seed >> (n * 4)) % 260
        x = (seed >> (n * 3)) % width
        y = (seed >> (n * 5)) % height
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, 22 + 6 * (n % 3)))
    for n in range(4):
        offset = n * height // 3
        draw.line([(0, height - offset), (width, height // 3 - offset)], fill=(255, 255, 255, 40), width=18)
    return PILImage.alpha_composite(picture.convert("RGBA"), overlay).convert("RGB")


def portrait_illustration(key, size=400):
    """A flat, plainly drawn figure (head and shoulders) on a coloured ground: an illustration, not a photo."""
    picture = PILImage.new("RGB", (size, size), _rgb(_pick(PALETTE, key)))
    draw = ImageDraw.Draw(picture)
    skin, hair = _pick(SKIN_TONES, key, "skin"), _pick(HAIR_COLOURS, key, "hair")
    shirt = _pick(["#f2e8cf", "#d9e4ec", "#f6d6ad", "#e3e3e3", "#cfe8d5"], key, "shirt")
    centre = size // 2
    draw.ellipse((centre - 150, size - 150, centre + 150, size + 150), fill=shirt)  # shoulders
    draw.rectangle((centre - 28, size - 190, centre + 28, size - 140), fill=skin)  # neck
    head = (centre - 78, 90, centre + 78, 270)
    if _seed(key) % 2:
        draw.ellipse((centre - 96, 70, centre + 96, 300), fill=hair)  # long hair behind the head
    else:
        draw.pieslice((centre - 84, 78, centre + 84, 240), 180, 360, fill=hair)  # short hair
    draw.ellipse(head, fill=skin)
    for eye in (-30, 30):
        draw.ellipse((centre + eye - 7, 175, centre + eye + 7, 189), fill="#2b2b2b")
    draw.arc((centre - 28, 195, centre + 28, 235), 20, 160, fill="#2b2b2b", width=5)
    return picture


def logo_mark(initials, key, width=400, height=200):
    """A rounded badge with the organisation's initials, on a transparent ground."""
    picture = PILImage.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    colour = _rgb(_pick(PALETTE, key))
    draw.rounded_rectangle((4, 4, width - 4, height - 4), radius=36, fill=(*colour, 255))
    # Capitals about 0.7 em wide: the text fills at most 85 % of the badge.
    size = min(110, math.floor(0.85 * width / (0.72 * max(len(initials), 1))))
    font = ImageFont.load_default(size=size)
    draw.text((width // 2, height // 2), initials, font=font, fill=(255, 255, 255, 255), anchor="mm")
    return picture


# The filter specs of templates/conference/conference_page.html, includes/speaker_avatar.html and
# includes/organisation_logo.html: load_demo renders them ahead (keep in step with those templates).
HERO_RENDITIONS = "format-{webp,jpeg}|fill-{480x270,960x540,1600x900}"
PORTRAIT_RENDITIONS = ("format-{webp,jpeg}|fill-{96x96,192x192}", "format-{webp,jpeg}|fill-{160x160,320x320}")
LOGO_RENDITIONS = "format-{webp,png}|max-{160x80,320x160}"


def _render_ahead(image, *patterns):
    for pattern in patterns:
        image.get_renditions(*Filter.expand_spec(pattern))
    return image


def hero_image(key, description):
    return _render_ahead(
        _save(
            hero_art(key),
            title=f"Demo hero art: {key}",
            description=description,
            file_name=f"demo-hero-{key}.jpg",
            image_format="JPEG",
        ),
        HERO_RENDITIONS,
    )


def portrait_image(slug, name):
    return _render_ahead(
        _save(
            portrait_illustration(slug),
            title=f"Demo portrait: {slug}",
            description=f"Illustrated placeholder portrait of {name}, not a photograph",
            file_name=f"demo-portrait-{slug}.png",
            image_format="PNG",
        ),
        *PORTRAIT_RENDITIONS,
    )


def logo_image(initials, name):
    return _render_ahead(
        _save(
            logo_mark(initials, name),
            title=f"Demo logo mark: {initials}",
            description=f"Logo mark with the letters {initials} (demo, drawn for {name})",
            file_name=f"demo-logo-{initials.lower().replace(' ', '-')}.png",
            image_format="PNG",
        ),
        LOGO_RENDITIONS,
    )
