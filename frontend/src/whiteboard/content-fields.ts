// The stored fields of frames and images (issue 25): which frame holds a shape, and which
// uploaded image an image shape shows, with its alt text. Read like the other optional fields:
// kept only when valid, so older boards read back unchanged.

import type { Shape } from "./model";

/** Reads ``frameId`` (any shape but a frame: frames do not nest), and an image's ``imageId``
 * and ``alt``, into ``shape``. */
export function readContent(shape: Shape, get: (key: string) => unknown): void {
  const frameId = get("frameId");
  if (typeof frameId === "string" && frameId !== "" && shape.type !== "frame") shape.frameId = frameId;
  if (shape.type !== "image") return;
  const imageId = get("imageId");
  if (typeof imageId === "string" && imageId !== "") shape.imageId = imageId;
  const alt = get("alt");
  shape.alt = typeof alt === "string" ? alt : "";
}
