import { describe, expect, it } from "vitest";
import { PASTED_TEXT_WIDTH, pastedTextShape } from "./paste-text";
import { textStyle, wrapLines } from "./text";

// Every character 10 px wide at any size.
const measure = (text: string) => text.length * 10;
const center = { x: 500, y: 300 };
const view = { x: 0, y: 0, w: 1000, h: 600 };

describe("pasted text", () => {
  it("is a text shape as wide as its longest line, centred on the point", () => {
    const shape = pastedTextShape("short\nthe longest line", center, view, "#e03131", measure);
    const { padX } = textStyle(shape);
    expect(shape).toMatchObject({ type: "text", text: "short\nthe longest line", color: "#e03131", w: 160 + 2 * padX + 1 });
    expect(shape.x).toBe(Math.round(500 - shape.w / 2));
    expect(Math.abs(shape.y + shape.h / 2 - 300)).toBeLessThanOrEqual(0.5);
  });

  it("wraps long text within a paragraph's width and is tall enough for every line", () => {
    const long = "word ".repeat(200).trim();
    const shape = pastedTextShape(long, center, view, "#000000", measure);
    expect(shape.w).toBe(PASTED_TEXT_WIDTH);
    const { size, padX, padY } = textStyle(shape);
    const lines = wrapLines(long, shape.w - 2 * padX, size, measure);
    expect(lines.length).toBeGreaterThan(10);
    expect(shape.h).toBeGreaterThanOrEqual(lines.length * size + 2 * padY);
  });

  it("keeps a link whole on one line when it fits", () => {
    const link = "https://example.com/docs/page?id=42";
    const shape = pastedTextShape(link, center, view, "#000000", measure);
    const { size, padX } = textStyle(shape);
    expect(shape.text).toBe(link);
    expect(wrapLines(link, shape.w - 2 * padX, size, measure)).toEqual([link]);
  });

  it("moves back into view where it would stick out, and starts at the view's corner when too big", () => {
    const near = pastedTextShape("a note near the edge", { x: 990, y: 590 }, view, "#000000", measure);
    expect(near.x + near.w).toBe(1000 - 16);
    expect(near.y + near.h).toBe(600 - 16);
    const long = pastedTextShape("word ".repeat(2000).trim(), { x: 900, y: 500 }, { x: -200, y: 100, w: 1000, h: 300 }, "#000000", measure);
    // It fits across (kept inside the right edge) but not down: its top is in view.
    expect([long.x, long.y]).toEqual([800 - 16 - 480, 100 + 16]);
  });
});
