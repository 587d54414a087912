"""A whiteboard's shapes read for drawing on the server, and their geometry, the way the web
app reads and lays them out (frontend/src/whiteboard/model.ts, connector.ts, curve.ts,
text.ts): a field that is missing, not finite or out of range reads as its default, colours
are parsed (they go into SVG attributes and Pillow), bound connector ends are routed to
their shapes' outlines, and text is wrapped in its shape with a measure it is given."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PIL import ImageColor

DEFAULT_COLOR = (27, 34, 48, 1.0)  # #1b2230
TYPES = ("frame", "rect", "ellipse", "line", "arrow", "pen", "text", "sticky", "image")
ROTATES = {"rect", "ellipse", "text", "sticky", "pen", "image"}
BINDABLE = {"rect", "ellipse", "text", "sticky", "image", "frame"}
LINE_SPACING = 1.3
CURVE_REACH = 0.4
CURVE_SAMPLES = 32
ANCHORS = {"left": "start", "center": "middle", "right": "end"}

Color = tuple[int, int, int, float]
Point = tuple[float, float]
Measure = Callable[[str, float], float]
_RGB = re.compile(r"^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$")


def parse_color(value: Any) -> Color | None:
    """A CSS colour as red, green, blue (0 to 255) and alpha (0 to 1); None if it is not one."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    text = value.strip().lower()
    match = _RGB.match(text)
    if match:
        r, g, b = (min(255, round(float(part))) for part in match.groups()[:3])
        alpha = min(1.0, float(match.group(4))) if match.group(4) else 1.0
        return r, g, b, alpha
    try:
        rgb = ImageColor.getrgb(text)
    except ValueError:
        return None
    alpha = rgb[3] / 255 if len(rgb) == 4 else 1.0
    return rgb[0], rgb[1], rgb[2], alpha


@dataclass(frozen=True)
class Binding:
    shape_id: str
    anchor: Point


@dataclass(frozen=True)
class Shape:
    id: str
    type: str
    x: float
    y: float
    w: float
    h: float
    color: Color
    text: str
    points: list[float]
    z: float
    stroke_width: float = 2
    dash: str = "solid"
    fill: Color | None = None
    opacity: float = 1
    start_binding: Binding | None = None
    end_binding: Binding | None = None
    start_head: str = "none"
    end_head: str | None = None
    route: str = "straight"
    rotation: float = 0
    frame_id: str | None = None
    image_id: str | None = None
    alt: str = ""
    font_size: float | None = None
    align: str | None = None
    exits: tuple[Point | None, Point | None] = (None, None)  # a routed curve's, see ``routed``

    def box(self) -> tuple[float, float, float, float]:
        """Left, top, width, height (positive), like the web app's ``bounds``."""
        if self.type == "pen" and len(self.points) >= 2:
            xs = [self.x + p for p in self.points[0::2]]
            ys = [self.y + p for p in self.points[1::2]]
            return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
        return min(self.x, self.x + self.w), min(self.y, self.y + self.h), abs(self.w), abs(self.h)

    def center(self) -> Point:
        x, y, w, h = self.box()
        return x + w / 2, y + h / 2

    @property
    def turn(self) -> float:
        """The rotation it is drawn with (lines, arrows and frames never turn)."""
        return self.rotation if self.type in ROTATES else 0.0

    @property
    def arrow_heads(self) -> tuple[bool, bool]:
        end = (
            self.end_head
            if self.end_head is not None
            else ("arrow" if self.type == "arrow" else "none")
        )
        return self.start_head == "arrow", end == "arrow"


def _number(value: Any, default: float = 0.0) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return float(value) if ok and math.isfinite(value) else default


def _within(value: Any, low: float, high: float) -> float | None:
    number = _number(value, math.nan)
    return number if low <= number <= high else None


def _choice(value: Any, choices: tuple[str, ...]) -> str | None:
    return value if value in choices else None


def _binding(value: Any) -> Binding | None:
    if not isinstance(value, dict) or not isinstance(value.get("shapeId"), str):
        return None
    anchor = value.get("anchor")
    if not isinstance(anchor, dict):
        return None
    ax, ay = _within(anchor.get("x"), 0, 1), _within(anchor.get("y"), 0, 1)
    return Binding(value["shapeId"], (ax, ay)) if ax is not None and ay is not None else None


def shape_of(key: str, raw: dict[str, Any]) -> Shape:
    """A stored shape's JSON read as the web app reads it."""
    text, points, fill = raw.get("text"), raw.get("points"), raw.get("fill")

    def string(name: str) -> str | None:
        value = raw.get(name)
        return value if isinstance(value, str) and value else None

    return Shape(
        id=key,
        type=raw["type"],
        x=_number(raw.get("x")),
        y=_number(raw.get("y")),
        w=_number(raw.get("w")),
        h=_number(raw.get("h")),
        color=parse_color(raw.get("color")) or DEFAULT_COLOR,
        text=text if isinstance(text, str) else "",
        points=[_number(p) for p in points] if isinstance(points, list) else [],
        z=_number(raw.get("z")),
        stroke_width=_within(raw.get("strokeWidth"), 0.001, 64) or 2,
        dash=_choice(raw.get("dash"), ("solid", "dashed", "dotted")) or "solid",
        fill=parse_color(fill) if fill else None,
        opacity=_within(raw.get("opacity"), 0.1, 1) or 1,
        start_binding=_binding(raw.get("startBinding")),
        end_binding=_binding(raw.get("endBinding")),
        start_head=_choice(raw.get("startHead"), ("none", "arrow")) or "none",
        end_head=_choice(raw.get("endHead"), ("none", "arrow")),
        route=_choice(raw.get("route"), ("straight", "elbow", "curved")) or "straight",
        rotation=_number(raw.get("rotation")),
        frame_id=string("frameId"),
        image_id=string("imageId"),
        alt=raw["alt"] if isinstance(raw.get("alt"), str) else "",
        font_size=_within(raw.get("fontSize"), 8, 160),
        align=_choice(raw.get("align"), ("left", "center", "right")),
    )


def shapes_of(shapes: dict[str, Any]) -> list[Shape]:
    """The drawable shapes of a whiteboard's JSON with connectors routed, bottom first: frames
    under everything (they hold shapes), then by ``z``, then id."""
    found = [
        shape_of(key, raw)
        for key, raw in shapes.items()
        if isinstance(raw, dict) and raw.get("type") in TYPES
    ]
    found.sort(key=lambda shape: (shape.type != "frame", shape.z, shape.id))
    return routed(found)


# --- connectors ----------------------------------------------------------------------------


def _outline_point(shape: Shape, through: Point, toward: Point) -> Point:
    """Where the ray from the shape's centre through ``through`` leaves its outline."""
    x, y, w, h = shape.box()
    cx, cy = x + w / 2, y + h / 2
    dx, dy = through[0] - cx, through[1] - cy
    if math.hypot(dx, dy) < 1e-6:
        dx, dy = toward[0] - cx, toward[1] - cy
    if math.hypot(dx, dy) < 1e-6 or w <= 0 or h <= 0:
        return cx, cy
    rx, ry = w / 2, h / 2
    if shape.type == "ellipse":
        t = 1 / math.hypot(dx / rx, dy / ry)
    else:
        t = min(rx / abs(dx) if dx else math.inf, ry / abs(dy) if dy else math.inf)
    return cx + t * dx, cy + t * dy


def _exit(shape: Shape, point: Point) -> Point | None:
    """The outward direction of the shape's outline at ``point``."""
    x, y, w, h = shape.box()
    if w <= 0 or h <= 0:
        return None
    if shape.type == "ellipse":
        nx, ny = (point[0] - x - w / 2) / (w / 2) ** 2, (point[1] - y - h / 2) / (h / 2) ** 2
        length = math.hypot(nx, ny)
        return (nx / length, ny / length) if length else None
    sides = [
        (abs(point[0] - x), (-1.0, 0.0)),
        (abs(x + w - point[0]), (1.0, 0.0)),
        (abs(point[1] - y), (0.0, -1.0)),
        (abs(y + h - point[1]), (0.0, 1.0)),
    ]
    return min(sides, key=lambda side: side[0])[1]


def routed(shapes: list[Shape]) -> list[Shape]:
    """The shapes with each bound connector's ends on its shapes' outlines (as the web app's
    ``withConnectorsRouted``); an end bound to a shape no longer there stays where stored."""
    by_id = {shape.id: shape for shape in shapes}

    def anchored(binding: Binding | None) -> tuple[Shape, Point] | None:
        bound = by_id.get(binding.shape_id) if binding else None
        if binding is None or bound is None or bound.type not in BINDABLE:
            return None
        x, y, w, h = bound.box()
        return bound, (x + binding.anchor[0] * w, y + binding.anchor[1] * h)

    out = []
    for shape in shapes:
        if shape.type not in ("line", "arrow") or not (shape.start_binding or shape.end_binding):
            out.append(shape)
            continue
        start, end = (shape.x, shape.y), (shape.x + shape.w, shape.y + shape.h)
        first, last = anchored(shape.start_binding), anchored(shape.end_binding)
        start_aim, end_aim = (last[1] if last else end), (first[1] if first else start)
        if first:
            start = _outline_point(first[0], first[1], start_aim)
        if last:
            end = _outline_point(last[0], last[1], end_aim)
        exits = (_exit(first[0], start) if first else None, _exit(last[0], end) if last else None)
        out.append(
            replace(
                shape, x=start[0], y=start[1], w=end[0] - start[0], h=end[1] - start[1], exits=exits
            )
        )
    return out


def curve(shape: Shape) -> tuple[Point, Point, Point, Point]:
    """A curved connector's cubic Bézier: it leaves a bound end perpendicular to its shape's
    outline, a free end along the axis on which the ends lie further apart."""
    start, end = (shape.x, shape.y), (shape.x + shape.w, shape.y + shape.h)
    reach = math.hypot(shape.w, shape.h) * CURVE_REACH
    if abs(shape.w) >= abs(shape.h):
        axis = (math.copysign(1, shape.w) if shape.w else 1.0, 0.0)
    else:
        axis = (0.0, math.copysign(1, shape.h) if shape.h else 1.0)
    out = shape.exits[0] or axis
    back = shape.exits[1] or (-axis[0], -axis[1])
    c1 = (start[0] + out[0] * reach, start[1] + out[1] * reach)
    c2 = (end[0] + back[0] * reach, end[1] + back[1] * reach)
    return start, c1, c2, end


def route_points(shape: Shape) -> list[Point]:
    """The points of a connector's path: straight, an elbow, or along its curve."""
    start, end = (shape.x, shape.y), (shape.x + shape.w, shape.y + shape.h)
    if shape.route == "curved":
        p0, p1, p2, p3 = curve(shape)
        points = []
        for i in range(CURVE_SAMPLES + 1):
            t = i / CURVE_SAMPLES
            u = 1 - t
            a, b, c, d = u**3, 3 * u * u * t, 3 * u * t * t, t**3
            points.append(
                (
                    a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
                )
            )
        return points
    if shape.route != "elbow":
        return [start, end]
    if abs(shape.w) >= abs(shape.h):
        middle = shape.x + shape.w / 2
        return [start, (middle, start[1]), (middle, end[1]), end]
    middle = shape.y + shape.h / 2
    return [start, (start[0], middle), (end[0], middle), end]


def label_point(points: list[Point]) -> Point:
    """Halfway along a path."""
    lengths = [math.dist(a, b) for a, b in itertools.pairwise(points)]
    left = sum(lengths) / 2
    for (a, b), length in zip(itertools.pairwise(points), lengths, strict=True):
        if left <= length and length > 0:
            share = left / length
            return a[0] + (b[0] - a[0]) * share, a[1] + (b[1] - a[1]) * share
        left -= length
    return points[0]


def rotate_point(point: Point, center: Point, angle: float) -> Point:
    """``point`` turned clockwise (on screen) by ``angle`` radians about ``center``."""
    dx, dy = point[0] - center[0], point[1] - center[1]
    cos, sin = math.cos(angle), math.sin(angle)
    return center[0] + dx * cos - dy * sin, center[1] + dx * sin + dy * cos


def extent(shape: Shape) -> tuple[float, float, float, float]:
    """The area a shape covers when drawn (turned, a curve's bulge, a frame's title):
    left, top, right, bottom."""
    if shape.type in ("line", "arrow"):
        points = route_points(shape)
    else:
        x, y, w, h = shape.box()
        points = [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
        if shape.turn:
            points = [rotate_point(point, shape.center(), shape.turn) for point in points]
        if shape.type == "frame":
            points.append((x, y - (shape.font_size or 14) * 1.4))  # the title
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


# --- text ----------------------------------------------------------------------------------

# Size, alignment, padding and whether the lines sit in the box's middle, by type (text.ts).
_FRAMES: dict[str, tuple[float, str, float, float, bool]] = {
    "text": (18, "left", 4, 4, False),
    "sticky": (16, "center", 12, 10, True),
    "rect": (16, "center", 8, 8, True),
    "ellipse": (16, "center", 4, 4, True),
}


@dataclass(frozen=True)
class TextLayout:
    x: float  # where each line is anchored
    anchor: str  # SVG's text-anchor: start, middle or end
    size: float
    lines: list[tuple[str, float]]  # each line with its baseline


def wrap_lines(text: str, width: float, size: float, measure: Measure) -> list[str]:
    """``text`` as lines no wider than ``width`` (its own line breaks kept; a word too long
    for a line is cut where it no longer fits)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in re.split(r"(?<=\s)", paragraph):
            if measure(line + word.rstrip(), size) <= width:
                line += word
                continue
            if line:
                lines.append(line.rstrip())
            rest = word
            while measure(rest.rstrip(), size) > width and len(rest) > 1:
                cut = len(rest) - 1
                while cut > 1 and measure(rest[:cut], size) > width:
                    cut -= 1
                lines.append(rest[:cut])
                rest = rest[cut:]
            line = rest
        lines.append(line.rstrip())
    return lines


def layout_text(shape: Shape, text: str, measure: Measure) -> TextLayout:
    """The lines of a text shape's, sticky note's or rectangle's or ellipse's text laid out in
    it: wrapped in its text box, aligned, at its top (text) or in its middle."""
    size, align, pad_x, pad_y, middle = _FRAMES[shape.type]
    size = shape.font_size or size
    align = shape.align or align
    x, y, w, h = shape.box()
    if shape.type == "ellipse":
        x, y, w, h = (
            x + (w - w / math.sqrt(2)) / 2,
            y + (h - h / math.sqrt(2)) / 2,
            w / math.sqrt(2),
            h / math.sqrt(2),
        )
    x, y, w, h = x + pad_x, y + pad_y, max(0.0, w - 2 * pad_x), max(0.0, h - 2 * pad_y)
    lines = wrap_lines(text, max(size, w), size, measure)
    height = size * LINE_SPACING
    top = y + (h - len(lines) * height) / 2 if middle else y
    left = {"left": x, "center": x + w / 2, "right": x + w}[align]
    baseline = (height + 0.7 * size) / 2
    return TextLayout(
        x=left,
        anchor=ANCHORS[align],
        size=size,
        lines=[(line, top + index * height + baseline) for index, line in enumerate(lines)],
    )
