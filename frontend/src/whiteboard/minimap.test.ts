import { describe, expect, it } from "vitest";
import { boxOnMinimap, fromMinimap, keptFrame, minimapFrame, panToCentre, toMinimap, visibleBox } from "./minimap";
import { toBoardPoint } from "./viewport";

describe("the minimap's maths", () => {
  it("knows the board area the canvas shows", () => {
    expect(visibleBox({ pan: { x: -100, y: 50 }, zoom: 2 }, { w: 800, h: 600 })).toEqual({ x: 50, y: -25, w: 400, h: 300 });
  });

  it("fits the shapes and the view in the minimap, centred, inside its padding", () => {
    const frame = minimapFrame({ x: 0, y: 0, w: 1000, h: 200 }, { x: 100, y: 100, w: 400, h: 300 }, { w: 200, h: 100 }, 10);
    // The area is 1000 x 400: the width limits the scale to 180 / 1000.
    expect(frame.scale).toBeCloseTo(0.18);
    expect(toMinimap(frame, { x: 0, y: 0 })).toEqual({ x: 10, y: 14 });
    const view = boxOnMinimap(frame, { x: 100, y: 100, w: 400, h: 300 });
    expect(view.x).toBeCloseTo(28);
    expect(view.w).toBeCloseTo(72);
    const corner = toMinimap(frame, { x: 1000, y: 400 });
    expect(corner.x).toBeCloseTo(190);
    expect(corner.y).toBeCloseTo(86);
  });

  it("shows just the view on an empty board", () => {
    const frame = minimapFrame(null, { x: -50, y: -50, w: 100, h: 100 }, { w: 120, h: 120 }, 10);
    expect(frame.scale).toBe(1);
    expect(toMinimap(frame, { x: -50, y: -50 })).toEqual({ x: 10, y: 10 });
  });

  it("maps a minimap point back to the board point drawn there", () => {
    const frame = minimapFrame({ x: -300, y: 40, w: 500, h: 900 }, { x: 0, y: 0, w: 100, h: 100 }, { w: 180, h: 120 });
    const point = { x: 123, y: -45 };
    const back = fromMinimap(frame, toMinimap(frame, point));
    expect(back.x).toBeCloseTo(point.x);
    expect(back.y).toBeCloseTo(point.y);
  });

  it("centres the canvas on a picked board point at the same zoom", () => {
    const view = { pan: { x: 0, y: 0 }, zoom: 0.5 };
    const pan = panToCentre(view, { w: 800, h: 600 }, { x: 1000, y: 200 });
    expect(toBoardPoint({ pan, zoom: 0.5 }, { x: 400, y: 300 })).toEqual({ x: 1000, y: 200 });
  });

  describe("keptFrame", () => {
    const size = { w: 200, h: 100 };
    const content = { x: 0, y: 0, w: 1000, h: 500 };
    const inside = { x: 100, y: 100, w: 200, h: 100 };

    it("starts as the fitted frame", () => {
      expect(keptFrame(null, content, inside, size)).toEqual(minimapFrame(content, inside, size));
    });

    it("is kept while the view pans and zooms inside it", () => {
      const first = keptFrame(null, content, inside, size);
      expect(keptFrame(first, content, { x: 600, y: 300, w: 300, h: 150 }, size)).toBe(first);
    });

    it("grows with room to spare once the view leaves it, then is kept a while", () => {
      const first = keptFrame(null, content, inside, size);
      const out = { x: 900, y: 100, w: 300, h: 150 };
      const grown = keptFrame(first, content, out, size);
      expect(grown).not.toBe(first);
      expect(grown.scale).toBeLessThan(minimapFrame(content, out, size).scale);
      // Every shape and the view are still inside its padding.
      const corner = toMinimap(grown, { x: 1200, y: 500 });
      expect(corner.x).toBeLessThanOrEqual(192);
      expect(toMinimap(grown, { x: 0, y: 0 }).x).toBeGreaterThanOrEqual(8);
      expect(keptFrame(grown, content, { ...out, x: 950 }, size)).toBe(grown);
    });

    it("fits closely again once far bigger than needed", () => {
      const wide = keptFrame(null, content, { x: -4000, y: -2000, w: 9000, h: 4500 }, size);
      expect(keptFrame(wide, content, inside, size)).toEqual(minimapFrame(content, inside, size));
    });
  });
});
