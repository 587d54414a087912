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

/** What a person shares of their view (awareness field ``viewport``): the board point at
 * its top-left corner, the zoom, and how much of the board it shows (board units). */
export interface SharedViewport {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
}

/** The viewport that ``view`` shows in a canvas of ``size``. */
export function sharedViewport(view: View, size: { w: number; h: number }): SharedViewport {
  return { x: -view.pan.x / view.zoom, y: -view.pan.y / view.zoom, zoom: view.zoom, width: size.w / view.zoom, height: size.h / view.zoom };
}

/** The view a follower with a canvas of ``size`` takes to show what ``leader`` sees: the same
 * centre, zoomed so all of the leader's area fits (the leader's own zoom on a canvas of the
 * same size). */
export function followView(leader: SharedViewport, size: { w: number; h: number }): View {
  const fit = leader.width > 0 && leader.height > 0 ? Math.min(size.w / leader.width, size.h / leader.height) : leader.zoom;
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, fit));
  const center = { x: leader.x + leader.width / 2, y: leader.y + leader.height / 2 };
  return { zoom, pan: { x: size.w / 2 - center.x * zoom, y: size.h / 2 - center.y * zoom } };
}

/** A peer's ``viewport`` awareness field, or null if it is not a whole one. */
export function readViewport(value: unknown): SharedViewport | null {
  if (typeof value !== "object" || value === null) return null;
  const viewport = value as Record<string, unknown>;
  const finite = (key: string) => typeof viewport[key] === "number" && Number.isFinite(viewport[key]);
  if (!["x", "y", "zoom", "width", "height"].every(finite) || (viewport.zoom as number) <= 0) return null;
  return { x: viewport.x as number, y: viewport.y as number, zoom: viewport.zoom as number, width: viewport.width as number, height: viewport.height as number };
}
