// Where the in-place text editor (text-editor.ts) sits on the canvas: over the lines of a
// shape's text as they are drawn (text.ts lays out a box's text; a connector's label sits at
// its path's middle, a frame's title above its corner), at the view's zoom, turned with the
// shape about the centre it turns about when drawn.

import { connectorPoints, labelPoint } from "./connector";
import { FRAME_TITLE_COLOR, frameTitleAt, frameTitleSize } from "./content-render";
import { isLine, type Point } from "./geometry";
import { bounds, type Align, type Shape } from "./model";
import { centerOf, rotationOf } from "./rotate";
import { baselineOffset, layoutText, LINE_SPACING, textStyle, type Measure } from "./text";
import type { View } from "./viewport";

/** The editor's place in canvas pixels: its upright box, then turned by ``angle`` degrees
 * (clockwise) about ``origin`` (from the box's top-left corner). */
export interface EditorPlace {
  x: number;
  y: number;
  w: number;
  h: number;
  fontSize: number;
  lineHeight: number;
  align: Align;
  /** Whether the lines wrap at the box's width (a label or a title grows with its lines). */
  wraps: boolean;
  color: string;
  angle: number;
  origin: Point;
}

/** The block of lines in board units: top-left, width, one line's height, and how many. */
interface Block {
  x: number;
  y: number;
  w: number;
  size: number;
  lineHeight: number;
  lines: number;
  align: Align;
  wraps: boolean;
  color: string;
}

function blockOf(shape: Shape, text: string, measure: Measure): Block {
  if (isLine(shape.type)) {
    // A connector's label: its lines stacked with their middle on the path's middle.
    const size = textStyle(shape).size;
    const lines = text.split("\n");
    const at = labelPoint(connectorPoints(shape));
    const w = Math.max(...lines.map((line) => measure(line, size))) + size; // room for the caret
    const lineHeight = size * LINE_SPACING;
    return { x: at.x - w / 2, y: at.y - (lines.length * lineHeight) / 2, w, size, lineHeight, lines: lines.length, align: "center", wraps: false, color: shape.color };
  }
  if (shape.type === "frame") {
    const size = frameTitleSize(shape);
    const box = bounds(shape);
    const title = frameTitleAt(box, size);
    return { x: title.x, y: title.baseline - baselineOffset(size), w: Math.max(box.w, 40), size, lineHeight: size * LINE_SPACING, lines: 1, align: "left", wraps: false, color: FRAME_TITLE_COLOR };
  }
  // A box's text, a note's, and an image's alt text (set as a label is, in the image's middle).
  const layout = layoutText(shape, text, measure);
  const { x, y, w, lineHeight, align } = layout.block;
  return { x, y, w, size: layout.size, lineHeight, lines: layout.lines.length, align, wraps: true, color: shape.color };
}

/** Where the editor of ``shape``'s ``text`` goes on a canvas showing ``view``. */
export function editorPlace(shape: Shape, text: string, view: View, measure: Measure): EditorPlace {
  const block = blockOf(shape, text, measure);
  const { pan, zoom } = view;
  const center = centerOf(bounds(shape));
  return {
    x: pan.x + block.x * zoom,
    y: pan.y + block.y * zoom,
    w: block.w * zoom,
    h: block.lines * block.lineHeight * zoom,
    fontSize: block.size * zoom,
    lineHeight: block.lineHeight * zoom,
    align: block.align,
    wraps: block.wraps,
    color: block.color,
    angle: (rotationOf(shape) * 180) / Math.PI,
    origin: { x: (center.x - block.x) * zoom, y: (center.y - block.y) * zoom },
  };
}

/** Whether Enter ends the edit of a ``shape``'s text (a one-line title or alt text) rather
 * than starting a new line. */
export function enterFinishes(shape: Shape): boolean {
  return shape.type === "frame" || shape.type === "image";
}
