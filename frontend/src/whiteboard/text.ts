// Text inside a text shape or sticky note: broken into lines that fit the shape's width (by
// words, and inside a word too long for a line), measured with a canvas so the SVG needs
// neither foreignObject nor inline styles (the page's Content-Security-Policy).

import { bounds, type Shape } from "./model";

export type Measure = (text: string, fontSize: number) => number;

const LINE_SPACING = 1.3;

/** Font size and inner padding of the shapes that hold text. */
export function textStyle(shape: Shape): { size: number; padX: number; padY: number } {
  return shape.type === "sticky" ? { size: 16, padX: 12, padY: 10 } : { size: 18, padX: 4, padY: 4 };
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

/** The lines of ``text`` laid out in ``shape``, each with its baseline. */
export function layoutText(shape: Shape, text: string, measure: Measure): { x: number; size: number; lines: { text: string; y: number }[] } {
  const box = bounds(shape);
  const { size, padX, padY } = textStyle(shape);
  const lines = wrapLines(text, Math.max(size, box.w - 2 * padX), size, measure);
  return { x: box.x + padX, size, lines: lines.map((line, index) => ({ text: line, y: box.y + padY + size + index * size * LINE_SPACING })) };
}

/** The height ``shape`` needs to show ``text`` wrapped in its width. */
export function textHeight(shape: Shape, text: string, measure: Measure): number {
  const { size, padY } = textStyle(shape);
  const count = wrapLines(text, Math.max(size, Math.abs(shape.w) - 2 * textStyle(shape).padX), size, measure).length;
  return Math.ceil(2 * padY + count * size * LINE_SPACING);
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
