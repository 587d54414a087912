// The minimap's maths: the board area it shows (every shape and the current view, with a
// margin), the scale that fits that area in the minimap, and the pan that centres the view on
// a point picked in it.

import type { Point } from "./geometry";
import type { Box } from "./selection";
import { toBoardPoint, type View } from "./viewport";

export interface Size {
  w: number;
  h: number;
}

/** How board points map into the minimap: minimap = (board - origin) * scale + offset. */
export interface MinimapFrame {
  origin: Point;
  scale: number;
  offset: Point; // centres the area in the minimap
}

/** The board area a canvas of ``size`` shows at ``view``. */
export function visibleBox(view: View, size: Size): Box {
  const corner = toBoardPoint(view, { x: 0, y: 0 });
  return { x: corner.x, y: corner.y, w: size.w / view.zoom, h: size.h / view.zoom };
}

/** The frame that fits the shapes' bounds (null: none) and the visible box in a minimap of
 * ``size``, with a margin of ``padding`` minimap pixels. */
export function minimapFrame(content: Box | null, visible: Box, size: Size, padding = 8): MinimapFrame {
  const area = content ? union(content, visible) : visible;
  const scale = Math.min((size.w - 2 * padding) / Math.max(area.w, 1), (size.h - 2 * padding) / Math.max(area.h, 1));
  return { origin: { x: area.x, y: area.y }, scale, offset: { x: (size.w - area.w * scale) / 2, y: (size.h - area.h * scale) / 2 } };
}

/** How much bigger than needed a kept frame may show, and how much room a new one leaves
 * when the view has pushed out of the last. */
const KEPT_SLACK = 1.5;
const GROWTH = 1.25;

/** The frame for ``content`` and ``visible``: ``last`` while it still shows both inside its
 * padding and is not ``KEPT_SLACK`` times bigger than needed; when the view has left it, a
 * new one with room for the view to move on (so the shapes are drawn again only now and then
 * while someone pans and zooms), else ``minimapFrame``'s. */
export function keptFrame(last: MinimapFrame | null, content: Box | null, visible: Box, size: Size, padding = 8): MinimapFrame {
  const needed = content ? union(content, visible) : visible;
  const fitted = minimapFrame(content, visible, size, padding);
  if (!last) return fitted;
  if (holds(last, needed, size, padding) && last.scale * KEPT_SLACK >= fitted.scale) return last;
  if (last.scale * KEPT_SLACK < fitted.scale) return fitted; // zoomed in on: fit closely again
  const centre = { x: needed.x + needed.w / 2, y: needed.y + needed.h / 2 };
  const roomy = { x: centre.x - (needed.w * GROWTH) / 2, y: centre.y - (needed.h * GROWTH) / 2, w: needed.w * GROWTH, h: needed.h * GROWTH };
  return minimapFrame(roomy, roomy, size, padding);
}

/** Whether ``frame`` shows all of ``area`` inside ``padding``. */
function holds(frame: MinimapFrame, area: Box, size: Size, padding: number): boolean {
  const corner = toMinimap(frame, area);
  const eps = 1e-6;
  return corner.x >= padding - eps && corner.y >= padding - eps && corner.x + area.w * frame.scale <= size.w - padding + eps && corner.y + area.h * frame.scale <= size.h - padding + eps;
}

export function toMinimap(frame: MinimapFrame, point: Point): Point {
  return { x: (point.x - frame.origin.x) * frame.scale + frame.offset.x, y: (point.y - frame.origin.y) * frame.scale + frame.offset.y };
}

export function fromMinimap(frame: MinimapFrame, point: Point): Point {
  return { x: (point.x - frame.offset.x) / frame.scale + frame.origin.x, y: (point.y - frame.offset.y) / frame.scale + frame.origin.y };
}

/** A box on the board as it is drawn in the minimap. */
export function boxOnMinimap(frame: MinimapFrame, box: Box): Box {
  const corner = toMinimap(frame, box);
  return { x: corner.x, y: corner.y, w: box.w * frame.scale, h: box.h * frame.scale };
}

/** The pan that puts the board point ``target`` at the middle of a canvas of ``size``, at the
 * same zoom. */
export function panToCentre(view: View, size: Size, target: Point): Point {
  return { x: size.w / 2 - target.x * view.zoom, y: size.h / 2 - target.y * view.zoom };
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}
