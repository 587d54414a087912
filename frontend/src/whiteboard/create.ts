// Finishing a newly drawn shape: a click without a drag still gives a usable shape, and a
// text shape left empty is not kept.

import type { Shape, ShapeType } from "./model";

// Below this on both axes, the pointer only clicked.
const CLICK_SIZE = 8;

const CLICK_DEFAULTS: Partial<Record<ShapeType, { w: number; h: number }>> = {
  rect: { w: 160, h: 100 },
  ellipse: { w: 160, h: 100 },
  line: { w: 160, h: 0 },
  arrow: { w: 160, h: 0 },
  text: { w: 200, h: 32 },
  sticky: { w: 180, h: 140 },
  frame: { w: 400, h: 300 },
};

/** The size a shape created by a click gets; null if it was dragged out (or is a pen stroke). */
export function sizeAfterClick(shape: Shape): { w: number; h: number } | null {
  const clicked = Math.abs(shape.w) < CLICK_SIZE && Math.abs(shape.h) < CLICK_SIZE;
  return (clicked && CLICK_DEFAULTS[shape.type]) || null;
}

/** Whether a new text shape or sticky note stays once its edit ended with ``text``. An
 * empty sticky note is still a note; an empty text shape would be invisible. */
export function keepsNewText(type: ShapeType, text: string): boolean {
  return type !== "text" || text.trim() !== "";
}
