// Keeping text inside its shape: a box whose text needs more room grows taller (never
// shorter), written by whoever changed the text, its size or the box, in the same step; and the
// text style the panel sets, for the shapes it applies to.

import { isLine } from "./geometry";
import { bounds, type Shape, type ShapeType, type TextStyle } from "./model";
import { rotationOf } from "./rotate";
import type { Changes } from "./selection";
import { holdsText, textStyle } from "./text";

/** The height a shape needs to show ``text`` (text.ts's ``textHeight`` with a measure). */
export type FitHeight = (shape: Shape, text: string) => number;

/** The change that makes ``shape`` tall enough for ``text``, or null when it is. Only the
 * height is written (a box stored upside down, with a negative h, also gets its top), so a
 * concurrent move or restyle by someone else stays; a rotated box also moves, to keep its top. */
export function grownToFit(shape: Shape, text: string, fitHeight: FitHeight): Partial<Shape> | null {
  if (!holdsText(shape.type) || isLine(shape.type) || text === "") return null;
  const box = bounds(shape);
  const needed = fitHeight(shape, text);
  if (needed <= box.h) return null;
  const angle = rotationOf(shape);
  if (angle !== 0) {
    // A turned box grows along its own downward axis: its top edge stays where it is drawn.
    const grow = needed - box.h;
    const x = box.x - (Math.sin(angle) * grow) / 2;
    const y = box.y + ((Math.cos(angle) - 1) * grow) / 2;
    return { x: Math.round(x) + 0, y: Math.round(y) + 0, w: box.w, h: needed };
  }
  return shape.h < 0 ? { y: box.y, h: needed } : { h: needed };
}

/** ``changes`` to ``starts`` (a resize) with every box that holds text kept tall enough for it
 * at its new width. */
export function fittedAll(starts: Shape[], changes: Changes, fitHeight: FitHeight): Changes {
  const fitted: Changes = { ...changes };
  for (const shape of starts) {
    const change = changes[shape.id];
    const grown = change && grownToFit({ ...shape, ...change }, shape.text, fitHeight);
    if (grown) fitted[shape.id] = { ...change, ...grown };
  }
  return fitted;
}

/** The part of ``style`` a shape of ``type`` takes: a connector's label has a size but no
 * alignment; a shape without text takes none. */
export function textStyleFor(type: ShapeType, style: TextStyle): TextStyle {
  const taken: TextStyle = {};
  if (!holdsText(type)) return taken;
  if (style.fontSize !== undefined) taken.fontSize = style.fontSize;
  if (style.align !== undefined && !isLine(type)) taken.align = style.align;
  return taken;
}

/** The changes that give ``shapes`` (a selection) the text ``style``, each box grown to fit
 * its text at the new size. A text shape's width scales with its size, so its lines break
 * where they did (words are not cut); a note or label keeps its width and grows taller. */
export function restyledText(shapes: Shape[], style: TextStyle, fitHeight: FitHeight): Changes {
  const changes: Changes = {};
  for (const shape of shapes) {
    const taken: Partial<Shape> = textStyleFor(shape.type, style);
    if (Object.keys(taken).length === 0) continue;
    if (shape.type === "text" && taken.fontSize !== undefined && shape.w > 0) {
      taken.w = Math.round((shape.w * taken.fontSize) / textStyle(shape).size);
    }
    changes[shape.id] = { ...taken, ...grownToFit({ ...shape, ...taken }, shape.text, fitHeight) };
  }
  return changes;
}
