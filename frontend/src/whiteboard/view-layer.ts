// Pan and zoom without laying the board out again. The shapes and the overlay are laid out for
// one view (the "laid" view) in an SVG of their own, a composited layer; a CSS transform of that
// layer shows them at the current view, so a pan or zoom step is the compositor's work alone.
// The layout follows the zoom once the view rests, or at once when the zoom has drifted twice
// either way from the laid one: until then strokes, laid out at one screen width, scale with the
// layer. A pan alone never lays anything out again.

import type { Point } from "./geometry";
import type { View } from "./viewport";

/** How far (a factor, either way) the zoom may drift from the laid one during a gesture. */
export const MAX_DRIFT = 2;
/** How long (ms) the view must rest before the layout follows the zoom. */
export const REST_MS = 150;

/** What the layer's CSS transform does: scale about the layer's top-left corner, then move. */
export interface LayerTransform {
  x: number;
  y: number;
  scale: number;
}

/** The transform that shows content laid out for ``laid`` as ``view`` shows the board: a board
 * point at ``laid.pan + laid.zoom * p`` in the layer lands at ``view.pan + view.zoom * p``. */
export function layerTransform(laid: View, view: View): LayerTransform {
  const scale = view.zoom / laid.zoom;
  return { x: view.pan.x - laid.pan.x * scale, y: view.pan.y - laid.pan.y * scale, scale };
}

/** ``transform`` as a CSS ``transform`` value (with ``transform-origin: 0 0``). */
export function cssTransform(transform: LayerTransform): string {
  return `translate(${transform.x}px, ${transform.y}px) scale(${transform.scale})`;
}

/** What the layout inside the layer adds back for the layer's place at ``origin`` (CSS px,
 * ``ratio`` device pixels each): a composited layer is drawn at whole device pixels (Chromium
 * drops the fraction of its place), which would draw and hit every shape up to half a pixel
 * away from where the layout puts it. */
export function pixelSnap(origin: Point, ratio = 1): Point {
  return { x: origin.x - Math.round(origin.x * ratio) / ratio, y: origin.y - Math.round(origin.y * ratio) / ratio };
}

/** Whether ``view``'s zoom has drifted more than ``limit`` times either way from ``laid``'s. */
export function drifted(laid: View, view: View, limit = MAX_DRIFT): boolean {
  const ratio = view.zoom / laid.zoom;
  return ratio > limit || ratio < 1 / limit;
}

/** What the view layer drives: the layout inside the layer and the layer's transform. */
export interface LayerTarget {
  /** Lays the content out for ``view`` (the SVG transform of the board's group). */
  layout(view: View): void;
  /** Sets the layer's CSS transform. */
  place(transform: LayerTransform): void;
}

/** A timer, given so that tests run it by hand: ``after(ms, run)`` returns its cancel. */
export type Timer = (ms: number, run: () => void) => () => void;

export const browserTimer: Timer = (ms, run) => {
  const id = window.setTimeout(run, ms);
  return () => window.clearTimeout(id);
};

export interface ViewLayer {
  /** Shows ``view``: moves the layer, laying the content out again only when the zoom has
   * drifted too far; the layout follows the zoom once the view rests. */
  show(view: View): void;
  /** The view the content is laid out for. */
  laid(): View;
}

export function viewLayer(target: LayerTarget, initial: View, timer: Timer = browserTimer): ViewLayer {
  let laid: View = { pan: { ...initial.pan }, zoom: initial.zoom };
  let current: View = laid;
  let cancelRest: (() => void) | null = null;
  target.layout(laid);
  target.place(layerTransform(laid, laid));
  const layOut = (view: View) => {
    laid = { pan: { ...view.pan }, zoom: view.zoom };
    target.layout(laid);
  };
  const rested = () => {
    cancelRest = null;
    if (current.zoom === laid.zoom) return;
    layOut(current);
    target.place(layerTransform(laid, current));
  };
  return {
    show(view) {
      current = { pan: { ...view.pan }, zoom: view.zoom };
      if (drifted(laid, current)) layOut(current);
      target.place(layerTransform(laid, current));
      cancelRest?.();
      cancelRest = current.zoom === laid.zoom ? null : timer(REST_MS, rested);
    },
    laid: () => laid,
  };
}
