// The board's pan and zoom: board coordinates are canvas coordinates minus the pan, divided
// by the zoom.

import type { Point } from "./geometry";
import type { Box } from "./selection";

export interface View {
  pan: Point;
  zoom: number;
}

export const MIN_ZOOM = 0.2;
export const MAX_ZOOM = 4;
const ZOOM_STEP = 1.25;

/** The view zoomed to ``zoom`` (clamped) so that the board point under ``at`` (canvas
 * coordinates) stays under it. */
export function zoomAround(view: View, zoom: number, at: Point): View {
  const clamped = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
  return {
    pan: { x: at.x - ((at.x - view.pan.x) * clamped) / view.zoom, y: at.y - ((at.y - view.pan.y) * clamped) / view.zoom },
    zoom: clamped,
  };
}

/** One step of the zoom buttons and the +/- keys. */
export function steppedZoom(zoom: number, direction: "in" | "out"): number {
  return direction === "in" ? zoom * ZOOM_STEP : zoom / ZOOM_STEP;
}

/** The zoom after a ctrl/cmd + wheel turn: smooth, and the same for each notch either way. */
export function wheelZoom(zoom: number, deltaY: number): number {
  return zoom * Math.exp(-deltaY * 0.002);
}

/** The board point under ``at`` (canvas coordinates). */
export function toBoardPoint(view: View, at: Point): Point {
  return { x: (at.x - view.pan.x) / view.zoom, y: (at.y - view.pan.y) / view.zoom };
}

/** The view that shows all of ``box`` in a canvas of ``size``, centred with ``margin`` canvas
 * pixels around it, never zoomed in past 100 %. */
export function fitView(box: Box, size: { w: number; h: number }, margin = 40): View {
  const zoom = Math.min(1, Math.max(MIN_ZOOM, Math.min((size.w - 2 * margin) / Math.max(box.w, 1), (size.h - 2 * margin) / Math.max(box.h, 1))));
  return { zoom, pan: { x: size.w / 2 - (box.x + box.w / 2) * zoom, y: size.h / 2 - (box.y + box.h / 2) * zoom } };
}
