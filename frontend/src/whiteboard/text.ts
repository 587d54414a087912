// Text inside a shape (a text shape, a sticky note, a rectangle's or ellipse's label): broken
// into lines that fit the shape's text box (by words, and inside a word too long for a line),
// aligned and placed in it, measured with a canvas so the SVG needs neither foreignObject nor
// inline styles (the page's Content-Security-Policy).

import { bounds, type Align, type Shape, type ShapeType, type TextStyle } from "./model";
import type { Box } from "./selection";

export type Measure = (text: string, fontSize: number) => number;

export const LINE_SPACING = 1.3;

/** The shapes that hold text: their own, a label, a note's. */
export const TEXT_TYPES: ShapeType[] = ["text", "sticky", "rect", "ellipse", "line", "arrow"];

export function holdsText(type: ShapeType): boolean {
  return TEXT_TYPES.includes(type);
}

/** Whether a double click edits text of ``shape``: its own or its label, a frame's title, an
 * image's alt text. */
export function hasEditableText(shape: Shape): boolean {
  return holdsText(shape.type) || shape.type === "frame" || shape.type === "image";
}

/** The text an edit of ``shape`` changes (an image's is its alt text). */
export function editableText(shape: Shape): string {
  return shape.type === "image" ? (shape.alt ?? "") : shape.text;
}

/** How a shape sets its text: size and alignment (the shape's own or its type's default),
 * padding inside its box, and whether the lines sit in the middle of the box or at its top. */
export interface TextFrame {
  size: number;
  align: Align;
  padX: number;
  padY: number;
  middle: boolean;
}

// A text shape reads like a paragraph (top left); notes and labels are centred, as in tldraw.
const FRAMES: Partial<Record<ShapeType, TextFrame>> = {
  text: { size: 18, align: "left", padX: 4, padY: 4, middle: false },
  sticky: { size: 16, align: "center", padX: 12, padY: 10, middle: true },
  rect: { size: 16, align: "center", padX: 8, padY: 8, middle: true },
  ellipse: { size: 16, align: "center", padX: 4, padY: 4, middle: true },
};
const LABEL: TextFrame = { size: 16, align: "center", padX: 0, padY: 0, middle: true };

export function textStyle(shape: Shape): TextFrame {
  const frame = FRAMES[shape.type] ?? LABEL;
  return { ...frame, size: shape.fontSize ?? frame.size, align: shape.align ?? frame.align };
}

/** The font size and alignment a shape of ``type`` with ``style`` draws its text with. */
export function resolvedTextStyle(type: ShapeType, style: TextStyle): Required<TextStyle> {
  const frame = FRAMES[type] ?? LABEL;
  return { fontSize: style.fontSize ?? frame.size, align: style.align ?? frame.align };
}

/** The box a shape's text wraps in: its box inside the padding; for an ellipse, inside the
 * largest box the ellipse holds (w and h over √2, centred). */
export function textBox(shape: Shape): Box {
  const box = bounds(shape);
  const { padX, padY } = textStyle(shape);
  const inner = shape.type === "ellipse" ? { x: box.x + (box.w - box.w / Math.SQRT2) / 2, y: box.y + (box.h - box.h / Math.SQRT2) / 2, w: box.w / Math.SQRT2, h: box.h / Math.SQRT2 } : box;
  return { x: inner.x + padX, y: inner.y + padY, w: Math.max(0, inner.w - 2 * padX), h: Math.max(0, inner.h - 2 * padY) };
}

/** ``text`` as lines no wider than ``width`` (its own line breaks kept). */
export function wrapLines(text: string, width: number, size: number, measure: Measure): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/(?<=\s)/)) {
      if (measure(line + word.trimEnd(), size) <= width) {
        line += word;
        continue;
      }
      if (line) lines.push(line.trimEnd());
      line = "";
      // A word wider than the line is cut where it no longer fits.
      let rest = word;
      while (measure(rest.trimEnd(), size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && measure(rest.slice(0, cut), size) > width) cut -= 1;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

export interface TextLayout {
  x: number; // where each line is anchored
  anchor: "start" | "middle" | "end"; // SVG's text-anchor for the alignment
  size: number;
  lines: { text: string; y: number }[]; // each with its baseline
  /** The block the lines fill: the text box's left and width, the first line's top, and the
   * height of one line (the in-place editor sits on it, text-place.ts). */
  block: { x: number; y: number; w: number; lineHeight: number; align: Align };
}

const ANCHORS: Record<Align, TextLayout["anchor"]> = { left: "start", center: "middle", right: "end" };

function wrapped(shape: Shape, text: string, measure: Measure): { frame: TextFrame; box: Box; lines: string[] } {
  const frame = textStyle(shape);
  const box = textBox(shape);
  return { frame, box, lines: wrapLines(text, Math.max(frame.size, box.w), frame.size, measure) };
}

/** How far below the top of its line box a line's baseline sits, for letters centred in it. */
export function baselineOffset(size: number): number {
  return (size * LINE_SPACING + 0.7 * size) / 2;
}

/** The lines of ``text`` laid out in ``shape``: aligned in its text box, at its top or in its
 * middle (overflowing evenly above and below when the box is too small). */
export function layoutText(shape: Shape, text: string, measure: Measure): TextLayout {
  const { frame, box, lines } = wrapped(shape, text, measure);
  const lineHeight = frame.size * LINE_SPACING;
  const top = frame.middle ? box.y + (box.h - lines.length * lineHeight) / 2 : box.y;
  const x = frame.align === "left" ? box.x : frame.align === "center" ? box.x + box.w / 2 : box.x + box.w;
  const baseline = baselineOffset(frame.size);
  const block = { x: box.x, y: top, w: box.w, lineHeight, align: frame.align };
  return { x, anchor: ANCHORS[frame.align], size: frame.size, lines: lines.map((line, index) => ({ text: line, y: top + index * lineHeight + baseline })), block };
}

/** The height ``shape`` needs to show ``text`` wrapped in its width. */
export function textHeight(shape: Shape, text: string, measure: Measure): number {
  const { frame, lines } = wrapped(shape, text, measure);
  const needed = 2 * frame.padY + lines.length * frame.size * LINE_SPACING;
  return Math.ceil(shape.type === "ellipse" ? needed * Math.SQRT2 : needed);
}

let context: CanvasRenderingContext2D | null = null;

/** Text width as the browser draws it (the board's font). */
export const canvasMeasure: Measure = memoized((text, size) => {
  context ??= document.createElement("canvas").getContext("2d");
  if (!context) return text.length * size * 0.6;
  context.font = `${size}px system-ui, sans-serif`;
  return context.measureText(text).width;
});

/** ``measure`` remembering its answers (line breaking asks for the same prefixes again and
 * again); forgets them all past ``limit`` entries. */
export function memoized(measure: Measure, limit = 20_000): Measure {
  const widths = new Map<string, number>();
  return (text, size) => {
    const key = `${size} ${text}`;
    let width = widths.get(key);
    if (width === undefined) {
      if (widths.size >= limit) widths.clear();
      width = measure(text, size);
      widths.set(key, width);
    }
    return width;
  };
}
