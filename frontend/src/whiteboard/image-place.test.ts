import { describe, expect, it } from "vitest";
import { bindingAt } from "./connector";
import { aspectDelta, CASCADE, fittedSize, imageShapes, keepsAspect } from "./image-place";
import type { Shape } from "./model";
import { resizedAll } from "./selection";

function image(changes: Partial<Shape> = {}): Shape {
  return { id: "i", type: "image", x: 0, y: 0, w: 200, h: 100, color: "#000000", text: "", points: [], z: 1, imageId: "img", alt: "", ...changes };
}

describe("placing images", () => {
  it("keeps an image's own size when it fits, and scales a larger one down to fit", () => {
    expect(fittedSize(300, 200, 480)).toEqual({ w: 300, h: 200 });
    expect(fittedSize(1600, 800, 400)).toEqual({ w: 400, h: 200 });
    expect(fittedSize(500, 1000, 400)).toEqual({ w: 200, h: 400 });
  });

  it("centres the first image on the point and cascades the next ones above the board", () => {
    let next = 0;
    const shapes = imageShapes(
      [
        { imageId: "one", width: 100, height: 50 },
        { imageId: "two", width: 40, height: 40, alt: "Logo" },
      ],
      { x: 500, y: 300 },
      480,
      7,
      () => `id${++next}`,
    );
    expect(shapes.map(({ id, type, x, y, w, h, z, imageId, alt }) => ({ id, type, x, y, w, h, z, imageId, alt }))).toEqual([
      { id: "id1", type: "image", x: 450, y: 275, w: 100, h: 50, z: 8, imageId: "one", alt: "" },
      { id: "id2", type: "image", x: 480 + CASCADE, y: 280 + CASCADE, w: 40, h: 40, z: 9, imageId: "two", alt: "Logo" },
    ]);
  });
});

describe("resizing images", () => {
  it("keeps the aspect ratio with an image in the selection, unless Shift frees it", () => {
    expect(keepsAspect([image()], false)).toBe(true);
    expect(keepsAspect([image()], true)).toBe(false);
    expect(keepsAspect([image({ type: "rect" })], false)).toBe(false);
  });

  it("scales both ways by the larger factor the pointer asks for", () => {
    const starts = [image()];
    const { dx, dy } = aspectDelta(starts, 100, 10); // asks for 1.5 wide, 1.1 high
    expect({ dx, dy }).toEqual({ dx: 100, dy: 50 });
    expect(resizedAll(starts, dx, dy)).toEqual({ i: { x: 0, y: 0, w: 300, h: 150 } });
    expect(aspectDelta(starts, -190, -95)).toEqual({ dx: -168, dy: -84 }); // down to the smallest box
  });
});

describe("connecting images", () => {
  it("a connector binds to an image, never to a frame it is drawn inside", () => {
    const frame = image({ id: "f", type: "frame", w: 400, h: 400 });
    const picture = image({ x: 100, y: 100, z: 2 });
    expect(bindingAt({ x: 200, y: 150 }, [frame, picture])).toEqual({ shapeId: "i", anchor: { x: 0.5, y: 0.5 } });
    expect(bindingAt({ x: 350, y: 350 }, [frame, picture])).toBeNull();
  });
});
