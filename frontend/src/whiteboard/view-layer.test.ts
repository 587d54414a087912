import { describe, expect, it } from "vitest";
import { cssTransform, drifted, layerTransform, MAX_DRIFT, pixelSnap, REST_MS, viewLayer, type LayerTransform, type Timer } from "./view-layer";
import type { View } from "./viewport";

/** Where a board point lands on screen: laid out for ``laid``, then moved by ``transform``. */
function onScreen(laid: View, transform: LayerTransform, point: { x: number; y: number }) {
  const inLayer = { x: laid.pan.x + laid.zoom * point.x, y: laid.pan.y + laid.zoom * point.y };
  return { x: transform.x + transform.scale * inLayer.x, y: transform.y + transform.scale * inLayer.y };
}

describe("layerTransform", () => {
  it("puts every board point where the current view shows it", () => {
    const laid = { pan: { x: 30, y: -20 }, zoom: 0.8 };
    const view = { pan: { x: -140, y: 75 }, zoom: 1.3 };
    const transform = layerTransform(laid, view);
    for (const point of [{ x: 0, y: 0 }, { x: 500, y: -250 }]) {
      const shown = onScreen(laid, transform, point);
      expect(shown.x).toBeCloseTo(view.pan.x + view.zoom * point.x);
      expect(shown.y).toBeCloseTo(view.pan.y + view.zoom * point.y);
    }
  });

  it("is the identity for the laid view", () => {
    const view = { pan: { x: 12, y: 34 }, zoom: 2 };
    expect(layerTransform(view, view)).toEqual({ x: 0, y: 0, scale: 1 });
  });

  it("is written as CSS", () => {
    expect(cssTransform({ x: 4, y: -2.5, scale: 0.5 })).toBe("translate(4px, -2.5px) scale(0.5)");
  });
});

describe("pixelSnap", () => {
  it("is what the layer loses to the whole pixel it is drawn at", () => {
    expect(pixelSnap({ x: 283.75, y: 349.25 })).toEqual({ x: -0.25, y: 0.25 });
    expect(pixelSnap({ x: 20, y: 0.5 })).toEqual({ x: 0, y: -0.5 });
  });
  it("counts in device pixels", () => {
    expect(pixelSnap({ x: 283.25, y: 10.75 }, 2)).toEqual({ x: -0.25, y: -0.25 });
    expect(pixelSnap({ x: 283.5, y: 10 }, 2)).toEqual({ x: 0, y: 0 });
  });
});

describe("drifted", () => {
  const laid = { pan: { x: 0, y: 0 }, zoom: 1 };
  it("holds within the drift either way", () => {
    expect(drifted(laid, { pan: { x: 900, y: -900 }, zoom: 1 })).toBe(false);
    expect(drifted(laid, { pan: { x: 0, y: 0 }, zoom: MAX_DRIFT * 0.99 })).toBe(false);
    expect(drifted(laid, { pan: { x: 0, y: 0 }, zoom: 1.01 / MAX_DRIFT })).toBe(false);
  });
  it("is over beyond it", () => {
    expect(drifted(laid, { pan: { x: 0, y: 0 }, zoom: MAX_DRIFT * 1.01 })).toBe(true);
    expect(drifted(laid, { pan: { x: 0, y: 0 }, zoom: 0.99 / MAX_DRIFT })).toBe(true);
  });
});

describe("viewLayer", () => {
  function harness(initial: View) {
    const layouts: View[] = [];
    const placed: LayerTransform[] = [];
    const timers: { ms: number; run: () => void; cancelled: boolean }[] = [];
    const timer: Timer = (ms, run) => {
      const entry = { ms, run, cancelled: false };
      timers.push(entry);
      return () => (entry.cancelled = true);
    };
    const layer = viewLayer({ layout: (view) => layouts.push(view), place: (transform) => placed.push(transform) }, initial, timer);
    const pending = () => timers.filter((entry) => !entry.cancelled);
    return { layer, layouts, placed, pending, lastPlaced: () => placed[placed.length - 1] };
  }
  const start = { pan: { x: 0, y: 0 }, zoom: 1 };

  it("lays out the first view once", () => {
    const { layouts, placed } = harness(start);
    expect(layouts).toEqual([start]);
    expect(placed).toEqual([{ x: 0, y: 0, scale: 1 }]);
  });

  it("pans by moving the layer alone, with nothing to do once the view rests", () => {
    const { layer, layouts, pending, lastPlaced } = harness(start);
    layer.show({ pan: { x: -300, y: 40 }, zoom: 1 });
    layer.show({ pan: { x: -5000, y: 900 }, zoom: 1 });
    expect(layouts).toHaveLength(1);
    expect(lastPlaced()).toEqual({ x: -5000, y: 900, scale: 1 });
    expect(pending()).toHaveLength(0);
  });

  it("zooms by scaling the layer, and lays out the zoom once the view rests", () => {
    const { layer, layouts, pending, lastPlaced } = harness(start);
    layer.show({ pan: { x: -10, y: -10 }, zoom: 1.1 });
    layer.show({ pan: { x: -20, y: -20 }, zoom: 1.2 });
    expect(layouts).toHaveLength(1);
    expect(lastPlaced().scale).toBeCloseTo(1.2);
    const waiting = pending();
    expect(waiting).toHaveLength(1); // each step restarts the rest
    expect(waiting[0].ms).toBe(REST_MS);
    waiting[0].run();
    expect(layouts[1]).toEqual({ pan: { x: -20, y: -20 }, zoom: 1.2 });
    expect(lastPlaced()).toEqual({ x: 0, y: 0, scale: 1 });
    expect(layer.laid()).toEqual(layouts[1]);
  });

  it("lays out at once when the zoom drifts too far, mid-gesture", () => {
    const { layer, layouts, lastPlaced } = harness(start);
    layer.show({ pan: { x: 0, y: 0 }, zoom: 1.5 });
    expect(layouts).toHaveLength(1);
    layer.show({ pan: { x: 0, y: 0 }, zoom: 1 / (MAX_DRIFT * 1.1) });
    expect(layouts).toHaveLength(2);
    expect(lastPlaced()).toEqual({ x: 0, y: 0, scale: 1 });
  });

  it("has nothing to lay out when the zoom comes back before the rest", () => {
    const { layer, layouts, pending } = harness(start);
    layer.show({ pan: { x: 0, y: 0 }, zoom: 1.3 });
    layer.show({ pan: { x: 50, y: 0 }, zoom: 1 });
    expect(pending()).toHaveLength(0);
    expect(layouts).toHaveLength(1);
  });
});
