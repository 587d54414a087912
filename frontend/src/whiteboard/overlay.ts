// What the board draws over its shapes: the selection's outline and its resize and rotation
// handles, the marquee, snap guides, other people's selections and pointers (from awareness),
// the marks of shapes with an open comment thread, and the lock marks of locked shapes.

import { isLine, resizeHandle } from "./geometry";
import { bounds, type Shape } from "./model";
import { svg } from "./render";
import { centerOf, framePoint, isRotatable, rotatedBounds, rotationOf, selectionFrame, type Frame } from "./rotate";
import type { Box } from "./selection";
import type { Guide } from "./snap";

export const SELECTION_COLOR = "#2f6fdf";

function outline(box: Box, zoom: number, stroke: string, dashed: boolean): SVGElement {
  const pad = 6 / zoom;
  return svg("rect", { x: box.x - pad, y: box.y - pad, width: box.w + 2 * pad, height: box.h + 2 * pad, fill: "none", stroke, "stroke-width": 1.5, "vector-effect": "non-scaling-stroke", "stroke-dasharray": dashed ? "5 4" : "", rx: 4 });
}

/** ``element`` turned by ``angle`` about ``center``, as its shape is drawn. */
function turned(element: SVGElement, center: { x: number; y: number }, angle: number): SVGElement {
  if (angle !== 0) element.setAttribute("transform", `rotate(${(angle * 180) / Math.PI} ${center.x} ${center.y})`);
  return element;
}

/** A shape's outline, turned with it. */
function shapeOutline(shape: Shape, zoom: number, stroke: string, dashed: boolean): SVGElement {
  const box = bounds(shape);
  return turned(outline(box, zoom, stroke, dashed), centerOf(box), rotationOf(shape));
}

function frameBox(frame: Frame): Box {
  return { x: frame.center.x - frame.w / 2, y: frame.center.y - frame.h / 2, w: frame.w, h: frame.h };
}

/** Each selected shape outlined, the selection's box around several, its resize handle and
 * (above its top edge) its rotation handle; no handles while all of it is locked. */
export function renderSelection(layer: SVGGElement, selected: Shape[], zoom: number, canResize: boolean): void {
  layer.replaceChildren(...selected.map((shape) => shapeOutline(shape, zoom, SELECTION_COLOR, false)));
  const frame = selectionFrame(selected);
  if (!frame) return;
  if (selected.length > 1) layer.append(outline(frameBox(frame), zoom, SELECTION_COLOR, true));
  if (!canResize || selected.every((shape) => shape.locked)) return;
  const lone = selected.length === 1 ? selected[0] : null;
  const size = 10 / zoom;
  // Lines and frames are not turned themselves: a lone one has no rotation handle.
  if (!lone || isRotatable(lone)) {
    const top = framePoint(frame, 0.5, 0, 6 / zoom);
    const knob = framePoint(frame, 0.5, 0, 28 / zoom);
    layer.append(svg("line", { class: "rotate-stem", x1: top.x, y1: top.y, x2: knob.x, y2: knob.y }));
    layer.append(svg("circle", { class: "rotate-handle", "data-handle": "rotate", cx: knob.x, cy: knob.y, r: size / 1.6 }));
  }
  if (lone?.type === "pen") return;
  const handle = lone && isLine(lone.type) ? resizeHandle(lone) : framePoint(frame, 1, 1);
  const square = svg("rect", { class: "handle", "data-handle": "resize", x: handle.x - size / 2, y: handle.y - size / 2, width: size, height: size, rx: 2 });
  layer.append(turned(square, handle, frame.angle));
}

const LOCK_PATH = "M3 7V5a4 4 0 0 1 8 0v2h1v7H2V7zm2 0h4V5a2 2 0 0 0-4 0z";

/** A padlock inside the top-right corner of each of ``shapes`` (the locked shapes selected or
 * under the pointer); for those who can write, clicking it unlocks the shape. */
export function renderLockMarks(layer: SVGGElement, shapes: Shape[], zoom: number, canUnlock: boolean): void {
  layer.replaceChildren();
  for (const shape of shapes) {
    const box = rotatedBounds(shape);
    const mark = svg("g", { class: "board-lock-mark", "data-lock-mark": shape.id, transform: `translate(${box.x + box.w} ${box.y}) scale(${1 / zoom})` });
    if (canUnlock) mark.dataset.unlock = shape.id;
    mark.append(svg("rect", { x: -22, y: 4, width: 18, height: 18, rx: 4, fill: "#fff", stroke: "#868e96" }));
    mark.append(svg("path", { d: LOCK_PATH, transform: "translate(-20 6)", fill: "#495057" }));
    const title = svg("title");
    title.textContent = canUnlock ? "Locked: click to unlock" : "Locked";
    mark.append(title);
    layer.append(mark);
  }
}

export const GUIDE_COLOR = "#e8368f";

/** The snap guides of a drag (snap.ts): what the moving box lines up with, while it does. */
export function renderGuides(layer: SVGGElement, guides: Guide[]): void {
  layer.replaceChildren(
    ...guides.map(({ axis, at, from, to }) =>
      svg("line", { class: "snap-guide", "data-axis": axis, "data-at": at, stroke: GUIDE_COLOR, "stroke-width": 1, "vector-effect": "non-scaling-stroke", ...(axis === "x" ? { x1: at, x2: at, y1: from, y2: to } : { x1: from, x2: to, y1: at, y2: at }) }),
    ),
  );
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
    for (const shape of peer.selection) remoteLayer.append(shapeOutline(shape, zoom, peer.color, true));
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
    const box = rotatedBounds(shape);
    const mark = svg("g", { class: "board-comment-mark", "data-comment-thread": threadId, "data-comment-shape": shape.id, transform: `translate(${box.x + box.w} ${box.y}) scale(${1 / zoom})` });
    mark.append(svg("path", { d: "M-2 -18h18a4 4 0 0 1 4 4v9a4 4 0 0 1-4 4h-9l-6 5v-5h-3a4 4 0 0 1-4-4v-9a4 4 0 0 1 4-4z", fill: "#ffd43b", stroke: "#b38600", "stroke-width": 1.2 }));
    const title = svg("title");
    title.textContent = "Commented: open the thread";
    mark.append(title);
    layer.append(mark);
  }
}
