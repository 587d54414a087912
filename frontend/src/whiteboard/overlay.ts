// What the board draws over its shapes: the selection's outline and resize handle, the
// marquee, other people's selections and pointers (from awareness), and the marks of shapes
// with an open comment thread.

import { drawnBounds } from "./connector";
import { resizeHandle } from "./geometry";
import { bounds, type Shape } from "./model";
import { svg } from "./render";
import { selectionBounds, type Box } from "./selection";

export const SELECTION_COLOR = "#2f6fdf";

function outline(box: Box, zoom: number, stroke: string, dashed: boolean): SVGElement {
  const pad = 6 / zoom;
  return svg("rect", { x: box.x - pad, y: box.y - pad, width: box.w + 2 * pad, height: box.h + 2 * pad, fill: "none", stroke, "stroke-width": 1.5, "vector-effect": "non-scaling-stroke", "stroke-dasharray": dashed ? "5 4" : "", rx: 4 });
}

/** Each selected shape outlined, the selection's box around several, and its resize handle. */
export function renderSelection(layer: SVGGElement, selected: Shape[], zoom: number, canResize: boolean): void {
  layer.replaceChildren(...selected.map((shape) => outline(drawnBounds(shape), zoom, SELECTION_COLOR, false)));
  const box = selectionBounds(selected);
  if (!box) return;
  if (selected.length > 1) layer.append(outline(box, zoom, SELECTION_COLOR, true));
  if (!canResize || (selected.length === 1 && selected[0].type === "pen")) return;
  const handle = selected.length === 1 ? resizeHandle(selected[0]) : { x: box.x + box.w, y: box.y + box.h };
  const size = 10 / zoom;
  layer.append(svg("rect", { class: "handle", "data-handle": "resize", x: handle.x - size / 2, y: handle.y - size / 2, width: size, height: size, rx: 2 }));
}

export function renderMarquee(layer: SVGGElement, box: Box | null): void {
  layer.replaceChildren();
  if (box) layer.append(svg("rect", { class: "marquee", x: box.x, y: box.y, width: box.w, height: box.h }));
}

export interface Peer {
  clientId: number;
  name: string;
  color: string;
  selection: Shape[];
  pointer: { x: number; y: number } | null;
}

/** Another person's selection (dashed, in their colour) and their named pointer. */
export function renderPeers(remoteLayer: SVGGElement, cursorLayer: SVGGElement, peers: Peer[], zoom: number): void {
  remoteLayer.replaceChildren();
  cursorLayer.replaceChildren();
  for (const peer of peers) {
    for (const shape of peer.selection) remoteLayer.append(outline(drawnBounds(shape), zoom, peer.color, true));
    if (!peer.pointer) continue;
    const cursor = svg("g", { class: "remote-cursor", "data-user": peer.name, transform: `translate(${peer.pointer.x} ${peer.pointer.y}) scale(${1 / zoom})` });
    cursor.append(svg("path", { d: "M0 0 L0 16 L4.5 12 L8 19 L10.5 18 L7 11 L13 11 Z", fill: peer.color, stroke: "#fff", "stroke-width": 1.2 }));
    // Clicking the name follows this person's view.
    const label = svg("g", { transform: "translate(14 18)", "data-follow": peer.clientId });
    const hint = svg("title");
    hint.textContent = `Follow ${peer.name}`;
    label.append(hint);
    const text = svg("text", { x: 6, y: 13, "font-size": 12, "font-weight": 600, fill: "#fff", "font-family": "system-ui, sans-serif" });
    text.textContent = peer.name;
    label.append(svg("rect", { width: 12 + 7 * peer.name.length, height: 18, rx: 4, fill: peer.color }), text);
    cursor.append(label);
    cursorLayer.append(cursor);
  }
}

/** A mark at the top-right corner of each commented shape; clicking it opens the thread. */
export function renderCommentMarks(layer: SVGGElement, marks: { shape: Shape; threadId: number }[], zoom: number): void {
  layer.replaceChildren();
  for (const { shape, threadId } of marks) {
    const box = bounds(shape);
    const mark = svg("g", { class: "board-comment-mark", "data-comment-thread": threadId, "data-comment-shape": shape.id, transform: `translate(${box.x + box.w} ${box.y}) scale(${1 / zoom})` });
    mark.append(svg("path", { d: "M-2 -18h18a4 4 0 0 1 4 4v9a4 4 0 0 1-4 4h-9l-6 5v-5h-3a4 4 0 0 1-4-4v-9a4 4 0 0 1 4-4z", fill: "#ffd43b", stroke: "#b38600", "stroke-width": 1.2 }));
    const title = svg("title");
    title.textContent = "Commented: open the thread";
    mark.append(title);
    layer.append(mark);
  }
}
