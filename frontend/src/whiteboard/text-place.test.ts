import { describe, expect, it } from "vitest";
import { FRAME_TITLE_COLOR } from "./content-render";
import type { Shape } from "./model";
import { layoutText, type Measure } from "./text";
import { editorPlace, enterFinishes } from "./text-place";

// Every character 10 units wide, whatever the font size.
const mono: Measure = (text) => text.length * 10;
const still = { pan: { x: 0, y: 0 }, zoom: 1 };

function shape(changes: Partial<Shape> = {}): Shape {
  return { id: "s", type: "sticky", x: 0, y: 0, w: 124, h: 140, color: "#1b2230", text: "", points: [], z: 1, ...changes };
}

describe("editorPlace", () => {
  it("covers a note's text box, its one line in the middle, centred", () => {
    const place = editorPlace(shape(), "hi", still, mono);
    // Inside the 12 px padding; one 20.8 px line centred in the 120 px inner height.
    expect(place).toMatchObject({ x: 12, w: 100, fontSize: 16, align: "center", wraps: true, color: "#1b2230", angle: 0 });
    expect(place.y).toBeCloseTo(10 + (120 - 20.8) / 2);
    expect(place.h).toBeCloseTo(20.8);
    expect(place.lineHeight).toBeCloseTo(20.8);
  });

  it("starts each line where the drawn text starts it", () => {
    const note = shape({ w: 300 });
    const place = editorPlace(note, "one\ntwo\nthree", still, mono);
    const drawn = layoutText(note, "one\ntwo\nthree", mono);
    expect(place.h).toBeCloseTo(3 * 20.8);
    // The first baseline lies as far below the editor's top as text.ts puts it below the line's.
    expect(drawn.lines[0].y - place.y).toBeCloseTo((20.8 + 0.7 * 16) / 2);
  });

  it("sets a text shape's editor at its top left, with its font size and alignment", () => {
    const place = editorPlace(shape({ type: "text", x: 40, y: 30, w: 200, h: 200, fontSize: 24, align: "right" }), "", still, mono);
    expect(place).toMatchObject({ x: 44, y: 34, w: 192, fontSize: 24, align: "right" });
    expect(place.h).toBeCloseTo(24 * 1.3); // an empty text still has its one line
  });

  it("follows the pan and zoom of the view", () => {
    const place = editorPlace(shape({ x: 100, y: 100 }), "hi", { pan: { x: 50, y: -20 }, zoom: 2 }, mono);
    expect(place.x).toBe(50 + 112 * 2);
    expect(place.w).toBe(200);
    expect(place.fontSize).toBe(32);
    expect(place.lineHeight).toBeCloseTo(41.6);
    expect(place.y).toBeCloseTo(-20 + (110 + (120 - 20.8) / 2) * 2);
  });

  it("turns with a rotated shape about the shape's centre", () => {
    const place = editorPlace(shape({ rotation: Math.PI / 2 }), "hi", { pan: { x: 0, y: 0 }, zoom: 2 }, mono);
    expect(place.angle).toBeCloseTo(90);
    // The note's centre (62, 70) from the editor's top-left (12, 59.6), at zoom 2.
    expect(place.origin.x).toBeCloseTo(100);
    expect(place.origin.y).toBeCloseTo((70 - 59.6) * 2);
  });

  it("puts a connector's label on its path's middle, as wide as its longest line", () => {
    const arrow = shape({ type: "arrow", x: 0, y: 0, w: 200, h: 0 });
    const place = editorPlace(arrow, "go\nback", still, mono);
    // 40 units for "back" and 16 more for the caret, centred on (100, 0).
    expect(place).toMatchObject({ x: 72, w: 56, align: "center", wraps: false, angle: 0 });
    expect(place.y).toBeCloseTo(-20.8);
  });

  it("puts a frame's title above its top-left corner, on the drawn title's baseline", () => {
    const frame = shape({ type: "frame", x: 100, y: 200, w: 400, h: 300, text: "Frame 1" });
    const place = editorPlace(frame, "Frame 1", still, mono);
    const baseline = 200 - Math.round(14 * 0.4);
    expect(place).toMatchObject({ x: 100, w: 400, fontSize: 14, align: "left", wraps: false, color: FRAME_TITLE_COLOR });
    expect(baseline - place.y).toBeCloseTo((14 * 1.3 + 0.7 * 14) / 2);
  });

  it("sets an image's alt text in the image's middle", () => {
    const place = editorPlace(shape({ type: "image", x: 0, y: 0, w: 200, h: 100 }), "A chart", still, mono);
    expect(place).toMatchObject({ x: 0, w: 200, align: "center", wraps: true });
    expect(place.y).toBeCloseTo((100 - 20.8) / 2);
  });
});

describe("enterFinishes", () => {
  it("ends a frame's title or an image's alt text, and breaks the line of any other text", () => {
    expect(enterFinishes(shape({ type: "frame" }))).toBe(true);
    expect(enterFinishes(shape({ type: "image" }))).toBe(true);
    expect(enterFinishes(shape({ type: "sticky" }))).toBe(false);
    expect(enterFinishes(shape({ type: "arrow" }))).toBe(false);
  });
});
