// Frames and images as SVG, for render.ts: a frame is a white box under its shapes with its
// title above the top-left corner, and clips the shapes it holds; an image draws from a source
// the caller resolves (the board's image cache, or data URLs in an export), with a placeholder
// box while it loads or when it cannot be loaded.

import type { Box } from "./selection";
import type { Shape } from "./model";
import { svg } from "./render";
import { canvasMeasure } from "./text";

export const FRAME_TITLE_SIZE = 14;
const FRAME_EDGE = "#c3c9d2";
export const FRAME_TITLE_COLOR = "#5c6573";

/** An image's pixels as the renderer may use them: a URL to draw from once ``ready``. */
export interface ImageSource {
  state: "loading" | "ready" | "failed";
  href: string | null;
  naturalWidth: number;
}

/** What drawing needs beyond the shapes: where an image's pixels come from. Without it
 * (history previews), images draw as placeholders. */
export interface Drawing {
  image?(imageId: string): ImageSource;
}

export function frameClipId(frameId: string): string {
  return `frame-clip-${frameId}`;
}

/** A frame's title size: its ``fontSize`` (the shared text size field, once a board sets
 * it), else the default. */
export function frameTitleSize(shape: Shape): number {
  const size = (shape as { fontSize?: unknown }).fontSize;
  return typeof size === "number" && size >= 8 && size <= 160 ? size : FRAME_TITLE_SIZE;
}

/** ``title`` cut with an ellipsis to fit ``width`` at ``size``. */
export function fittedTitle(title: string, width: number, size = FRAME_TITLE_SIZE, measure = canvasMeasure): string {
  if (measure(title, size) <= width) return title;
  let cut = title.length;
  while (cut > 0 && measure(`${title.slice(0, cut)}…`, size) > width) cut -= 1;
  return cut > 0 ? `${title.slice(0, cut)}…` : "";
}

/** Where a frame's title is set: its left end and baseline, above the frame's top-left corner. */
export function frameTitleAt(box: Box, size: number): { x: number; baseline: number } {
  return { x: box.x, baseline: box.y - Math.round(size * 0.4) };
}

/** A frame: its box (which takes the pointer on its edge only, so a drag inside it selects
 * its shapes with a marquee), its title above it, and the clip path its shapes use. */
export function drawFrame(group: SVGGElement, shape: Shape, box: Box): void {
  group.append(svg("rect", { class: "frame-body", x: box.x, y: box.y, width: box.w, height: box.h, fill: "#ffffff", stroke: FRAME_EDGE, "stroke-width": 1, "vector-effect": "non-scaling-stroke", "pointer-events": "none" }));
  group.append(svg("rect", { class: "frame-edge", x: box.x, y: box.y, width: box.w, height: box.h, fill: "none", stroke: "transparent", "stroke-width": 12, "vector-effect": "non-scaling-stroke", "pointer-events": "stroke" }));
  const size = frameTitleSize(shape);
  const title = fittedTitle(shape.text || "Frame", Math.max(box.w, 40), size);
  const titleY = frameTitleAt(box, size).baseline;
  group.append(svg("rect", { class: "frame-title-hit", x: box.x, y: titleY - size, width: canvasMeasure(title, size), height: size * 1.3, fill: "transparent" }));
  const text = svg("text", { class: "frame-title", "data-frame-title": shape.id, x: box.x, y: titleY, "font-size": size, fill: FRAME_TITLE_COLOR, "font-family": "system-ui, sans-serif" });
  text.textContent = title;
  group.append(text);
  const clip = svg("clipPath", { id: frameClipId(shape.id) });
  clip.append(svg("rect", { x: box.x, y: box.y, width: box.w, height: box.h }));
  group.append(clip);
}

/** ``element`` drawn clipped to ``frame``'s box (wrapped, so the shape's own transform
 * does not move the clip). */
export function clippedTo(element: SVGElement, frame: Shape): SVGGElement {
  const wrapper = svg("g", { "clip-path": `url(#${frameClipId(frame.id)})`, "data-in-frame": frame.id });
  wrapper.append(element);
  return wrapper;
}

/** An image from ``drawing``'s source; its state and natural width are on the group
 * (``data-image-state``, ``data-natural-width``) for tests and styles. */
export function drawImage(group: SVGGElement, shape: Shape, box: Box, drawing: Drawing): void {
  const source: ImageSource | null = shape.imageId && drawing.image ? drawing.image(shape.imageId) : null;
  group.dataset.imageState = source?.state ?? "none";
  group.dataset.naturalWidth = String(source?.naturalWidth ?? 0);
  group.setAttribute("role", "img");
  group.setAttribute("aria-label", shape.alt || "Image");
  if (shape.alt) {
    const title = svg("title");
    title.textContent = shape.alt;
    group.append(title);
  }
  if (source?.state === "ready" && source.href) {
    group.append(svg("image", { href: source.href, x: box.x, y: box.y, width: box.w, height: box.h, preserveAspectRatio: "none" }));
    return;
  }
  group.append(svg("rect", { class: "image-placeholder", x: box.x, y: box.y, width: box.w, height: box.h, fill: "#f1f3f5", stroke: "#ced4da", "stroke-dasharray": "6 4", "vector-effect": "non-scaling-stroke" }));
  const label = svg("text", { x: box.x + box.w / 2, y: box.y + box.h / 2, "text-anchor": "middle", "dominant-baseline": "middle", "font-size": 13, fill: "#868e96", "font-family": "system-ui, sans-serif" });
  label.textContent = source?.state === "loading" ? "Loading image…" : source?.state === "failed" ? "Image unavailable" : shape.alt || "Image";
  group.append(label);
}
