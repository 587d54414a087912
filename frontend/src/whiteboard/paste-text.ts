// Text pasted from another app becomes a text shape centred where it was pasted (moved back
// into view if it would stick out): as wide as its longest line, up to a width that still
// reads as a paragraph, and as tall as its wrapped lines. A link is pasted as its text.

import type { Point } from "./geometry";
import type { Shape } from "./model";
import type { Box } from "./selection";
import { textHeight, textStyle, type Measure } from "./text";

// The widest a pasted text shape starts (board px): longer lines wrap.
export const PASTED_TEXT_WIDTH = 480;
// The narrowest, so that a word or two can still be grabbed and edited.
const MIN_WIDTH = 40;

/** A text shape holding ``text``, centred on ``at`` but inside ``view`` where it fits (board
 * coordinates); its id and z are given when it is pasted. */
export function pastedTextShape(text: string, at: Point, view: Box, color: string, measure: Measure): Shape {
  const shape: Shape = { id: "", type: "text", x: 0, y: 0, w: 0, h: 0, color, text, points: [], z: 0 };
  const { size, padX } = textStyle(shape);
  const longest = Math.max(...text.split("\n").map((line) => measure(line, size)));
  shape.w = Math.ceil(Math.min(PASTED_TEXT_WIDTH, Math.max(MIN_WIDTH, longest + 2 * padX + 1)));
  shape.h = textHeight(shape, text, measure);
  shape.x = Math.round(within(at.x - shape.w / 2, shape.w, view.x, view.w));
  shape.y = Math.round(within(at.y - shape.h / 2, shape.h, view.y, view.h));
  return shape;
}

// How far inside the view's edge a pasted shape is kept.
const VIEW_MARGIN = 16;

/** ``start`` moved so that ``size`` from it lies in the view's span; what is too big for it
 * starts at the view's start (its beginning is what one reads first). */
function within(start: number, size: number, viewStart: number, viewSize: number): number {
  const low = viewStart + VIEW_MARGIN;
  const high = viewStart + viewSize - VIEW_MARGIN - size;
  return high < low ? low : Math.min(Math.max(start, low), high);
}
