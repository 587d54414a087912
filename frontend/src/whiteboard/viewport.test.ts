import { describe, expect, it } from "vitest";
import { fitView, followView, MAX_ZOOM, MIN_ZOOM, readViewport, sharedViewport, steppedZoom, toBoardPoint, wheelZoom, zoomAround, type View } from "./viewport";

const home: View = { pan: { x: 0, y: 0 }, zoom: 1 };

describe("toBoardPoint", () => {
  it("is the canvas point itself in the home view", () => {
    expect(toBoardPoint(home, { x: 40, y: 30 })).toEqual({ x: 40, y: 30 });
  });

  it("undoes the pan, then the zoom", () => {
    expect(toBoardPoint({ pan: { x: 100, y: -50 }, zoom: 2 }, { x: 140, y: 30 })).toEqual({ x: 20, y: 40 });
  });
});

describe("zoomAround", () => {
  it("keeps the board point under the pointer in place", () => {
    const view: View = { pan: { x: 30, y: -20 }, zoom: 1.5 };
    const at = { x: 200, y: 120 };
    const before = toBoardPoint(view, at);
    const zoomed = zoomAround(view, 3, at);
    expect(zoomed.zoom).toBe(3);
    const after = toBoardPoint(zoomed, at);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
  });

  it("clamps to the zoom limits and anchors at the clamped zoom", () => {
    const at = { x: 100, y: 100 };
    expect(zoomAround(home, 50, at)).toEqual({ pan: { x: 100 - 100 * MAX_ZOOM, y: 100 - 100 * MAX_ZOOM }, zoom: MAX_ZOOM });
    expect(zoomAround(home, 0.01, at).zoom).toBe(MIN_ZOOM);
  });

  it("does not move the view when already at the limit", () => {
    const max: View = { pan: { x: -300, y: -300 }, zoom: MAX_ZOOM };
    expect(zoomAround(max, MAX_ZOOM * 1.25, { x: 10, y: 400 })).toEqual(max);
  });
});

describe("steppedZoom", () => {
  it("zooms in and out by the same factor, so one step back returns", () => {
    expect(steppedZoom(1, "in")).toBe(1.25);
    expect(steppedZoom(1, "out")).toBe(0.8);
    expect(steppedZoom(steppedZoom(2, "in"), "out")).toBe(2);
  });
});

describe("wheelZoom", () => {
  it("zooms in when the wheel turns up, out when it turns down, symmetrically", () => {
    expect(wheelZoom(1, -100)).toBeGreaterThan(1);
    expect(wheelZoom(1, 100)).toBeLessThan(1);
    expect(wheelZoom(wheelZoom(1.7, -120), 120)).toBeCloseTo(1.7, 12);
    expect(wheelZoom(2, 0)).toBe(2);
  });
});

describe("fitView", () => {
  it("zooms out to show a large box whole, centred", () => {
    const view = fitView({ x: 0, y: 0, w: 2000, h: 1000 }, { w: 1080, h: 600 }, 40);
    expect(view.zoom).toBe(0.5);
    expect(toBoardPoint(view, { x: 540, y: 300 })).toEqual({ x: 1000, y: 500 });
  });

  it("centres a small box without zooming in past 100 %", () => {
    const view = fitView({ x: 100, y: 100, w: 10, h: 10 }, { w: 800, h: 600 });
    expect(view.zoom).toBe(1);
    expect(toBoardPoint(view, { x: 400, y: 300 })).toEqual({ x: 105, y: 105 });
  });
});

describe("follow mode", () => {
  const leaderView: View = { pan: { x: -200, y: 100 }, zoom: 2 };

  it("shares the board area a view shows", () => {
    expect(sharedViewport(leaderView, { w: 800, h: 600 })).toEqual({ x: 100, y: -50, zoom: 2, width: 400, height: 300 });
  });

  it("takes the leader's very view on a canvas of the same size", () => {
    const shared = sharedViewport(leaderView, { w: 800, h: 600 });
    expect(followView(shared, { w: 800, h: 600 })).toEqual(leaderView);
  });

  it("shows all of the leader's area, centred, on a canvas of another size", () => {
    const shared = sharedViewport(leaderView, { w: 800, h: 600 }); // the area x 100..500, y -50..250
    const view = followView(shared, { w: 400, h: 600 });
    expect(view.zoom).toBe(1); // the width is what limits it
    expect(toBoardPoint(view, { x: 200, y: 300 })).toEqual({ x: 300, y: 100 }); // the same centre
    expect(followView({ ...shared, width: 1, height: 1 }, { w: 800, h: 600 }).zoom).toBe(MAX_ZOOM);
  });

  it("reads only a whole viewport from a peer", () => {
    expect(readViewport({ x: 1, y: 2, zoom: 1, width: 3, height: 4 })).toEqual({ x: 1, y: 2, zoom: 1, width: 3, height: 4 });
    expect(readViewport({ x: 1, y: 2, zoom: 0, width: 3, height: 4 })).toBeNull();
    expect(readViewport({ x: 1, y: "2", zoom: 1, width: 3, height: 4 })).toBeNull();
    expect(readViewport(null)).toBeNull();
  });
});
