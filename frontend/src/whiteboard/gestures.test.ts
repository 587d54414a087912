import { describe, expect, it } from "vitest";
import { midpoint, pinchView, TouchTracker } from "./gestures";
import { toBoardPoint, type View } from "./viewport";

const view: View = { pan: { x: 30, y: -20 }, zoom: 1.5 };

describe("pinchView", () => {
  it("zooms by the change in spread about the fingers' midpoint", () => {
    const from: [{ x: number; y: number }, { x: number; y: number }] = [{ x: 100, y: 100 }, { x: 200, y: 100 }];
    const next = pinchView(view, from, [{ x: 50, y: 100 }, { x: 250, y: 100 }]);
    expect(next.zoom).toBeCloseTo(3);
    const before = toBoardPoint(view, midpoint(from));
    const after = toBoardPoint(next, { x: 150, y: 100 });
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it("pans with the midpoint when the fingers move together", () => {
    const next = pinchView(view, [{ x: 0, y: 0 }, { x: 100, y: 0 }], [{ x: 40, y: 25 }, { x: 140, y: 25 }]);
    expect(next).toEqual({ zoom: 1.5, pan: { x: 70, y: 5 } });
  });

  it("keeps the zoom within the board's limits", () => {
    expect(pinchView(view, [{ x: 0, y: 0 }, { x: 10, y: 0 }], [{ x: 0, y: 0 }, { x: 1000, y: 0 }]).zoom).toBe(4);
    expect(pinchView(view, [{ x: 0, y: 0 }, { x: 1000, y: 0 }], [{ x: 0, y: 0 }, { x: 1, y: 0 }]).zoom).toBe(0.2);
  });
});

describe("TouchTracker", () => {
  it("hands one finger to the machine, as a mouse", () => {
    const touches = new TouchTracker();
    expect(touches.down(1, { x: 0, y: 0 }, view)).toEqual({ kind: "machine" });
    expect(touches.move(1, { x: 5, y: 5 })).toEqual({ kind: "machine" });
    expect(touches.up(1)).toEqual({ kind: "machine" });
  });

  it("cancels the first finger's action when a second lands, then pinches until either lifts", () => {
    const touches = new TouchTracker();
    touches.down(1, { x: 100, y: 100 }, view);
    expect(touches.down(2, { x: 200, y: 100 }, view)).toEqual({ kind: "cancel" });
    const step = touches.move(2, { x: 300, y: 100 });
    expect(step.kind).toBe("view");
    expect(step.kind === "view" && step.view.zoom).toBeCloseTo(3);
    expect(touches.up(2)).toEqual({ kind: "ignore" });
    // The finger left over does nothing until it lifts; then one finger draws again.
    expect(touches.move(1, { x: 120, y: 100 })).toEqual({ kind: "ignore" });
    expect(touches.up(1)).toEqual({ kind: "ignore" });
    expect(touches.down(3, { x: 0, y: 0 }, view)).toEqual({ kind: "machine" });
  });

  it("ignores a third finger and starts a new pinch when one is put back", () => {
    const touches = new TouchTracker();
    touches.down(1, { x: 0, y: 0 }, view);
    touches.down(2, { x: 100, y: 0 }, view);
    expect(touches.down(3, { x: 50, y: 50 }, view)).toEqual({ kind: "ignore" });
    expect(touches.move(3, { x: 60, y: 60 })).toEqual({ kind: "ignore" });
    touches.up(2);
    touches.up(3);
    expect(touches.down(4, { x: 100, y: 0 }, view)).toEqual({ kind: "cancel" });
    expect(touches.move(4, { x: 100, y: 0 }).kind).toBe("view");
  });
});
