// The minimap in the board's corner: every shape drawn simply, the current view as a blue
// box and other people's views as boxes in their colours; a click or drag in it moves the view there. Its "Minimap" toggle (and M) hides it, and
// the choice is remembered in localStorage. Redrawn at most once an animation frame.

import type { Point } from "./geometry";
import { bounds, STICKY_FILL, type Shape } from "./model";
import { isRotatable, rotationOf } from "./rotate";
import { boxOnMinimap, fromMinimap, keptFrame, panToCentre, visibleBox, type MinimapFrame, type Size } from "./minimap";
import { selectionBounds, type Box } from "./selection";
import type { View } from "./viewport";

const STORAGE_KEY = "collab.whiteboard.minimap";

export interface MinimapPanel {
  element: HTMLElement;
  update(): void; // the shapes or the view changed
  toggle(): void;
}

/** Another person's view on the board, drawn in their colour. */
export interface PeerView {
  color: string;
  box: Box;
}

export function minimapPanel(options: { shapes(): Shape[]; view(): View; canvasSize(): Size; peers(): PeerView[]; onPan(pan: Point): void }): MinimapPanel {
  const element = document.createElement("div");
  element.className = "board-minimap";
  const toggleButton = document.createElement("button");
  toggleButton.type = "button";
  toggleButton.className = "board-minimap-toggle";
  toggleButton.textContent = "Minimap";
  toggleButton.setAttribute("aria-keyshortcuts", "M");
  toggleButton.title = "Show or hide the minimap (M)";
  const canvas = document.createElement("canvas");
  canvas.className = "board-minimap-canvas";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "Minimap of the board: click or drag to move the view");
  element.append(canvas, toggleButton);

  let frame: MinimapFrame | null = null;
  let held: MinimapFrame | null = null; // kept while dragging, so the map does not shift under the pointer
  let pending = 0;

  const shown = () => !canvas.hidden;
  function show(visible: boolean): void {
    canvas.hidden = !visible;
    toggleButton.setAttribute("aria-pressed", String(visible));
    element.dataset.shown = String(visible);
    if (visible) update();
  }
  function update(): void {
    if (pending || !shown()) return;
    pending = requestAnimationFrame(() => {
      pending = 0;
      draw();
    });
  }
  // The shapes as last drawn, on a canvas of their own: redrawn only when the shapes, the area
  // shown or the size changed, so a pan or zoom step draws the view's box over a copy of them.
  const shapesLayer = document.createElement("canvas");
  let layerDrawn = { shapes: null as Shape[] | null, area: "" };
  let shapesOf: { shapes: Shape[]; bounds: Box | null } | null = null;
  function draw(): void {
    // Its size is the stylesheet's (smaller on narrow screens), in CSS pixels.
    const size = { w: canvas.clientWidth, h: canvas.clientHeight };
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== size.w * ratio || canvas.height !== size.h * ratio) {
      canvas.width = size.w * ratio;
      canvas.height = size.h * ratio;
    }
    const context = canvas.getContext("2d");
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const shapes = options.shapes();
    // The shapes' list is kept until they change (shape-cache.ts), so are their bounds.
    if (shapesOf?.shapes !== shapes) shapesOf = { shapes, bounds: selectionBounds(shapes) };
    const view = options.view();
    const visible = visibleBox(view, options.canvasSize());
    frame = held ?? keptFrame(frame, shapesOf.bounds, visible, size);
    canvas.dataset.frame = `${frame.origin.x} ${frame.origin.y} ${frame.scale} ${frame.offset.x} ${frame.offset.y}`;
    const area = `${canvas.dataset.frame} ${canvas.width} ${canvas.height}`;
    if (layerDrawn.shapes !== shapes || layerDrawn.area !== area) {
      drawShapes(shapesLayer, shapes, frame, size, ratio);
      layerDrawn = { shapes, area };
    }
    context.drawImage(shapesLayer, 0, 0, size.w, size.h);
    const box = boxOnMinimap(frame, visible);
    context.fillStyle = "rgba(47, 111, 223, 0.10)";
    context.fillRect(box.x, box.y, box.w, box.h);
    context.strokeStyle = "#2f6fdf";
    context.lineWidth = 1.5;
    context.strokeRect(box.x, box.y, box.w, box.h);
    // Other people's views on top, 2 px wide: a 1 px line between pixels would be drawn pale.
    context.lineWidth = 2;
    for (const peer of options.peers()) {
      const seen = boxOnMinimap(frame, peer.box);
      context.strokeStyle = peer.color;
      context.strokeRect(seen.x, seen.y, seen.w, seen.h);
    }
  }
  function panTo(event: PointerEvent): void {
    if (!frame) return;
    const rect = canvas.getBoundingClientRect();
    const target = fromMinimap(frame, { x: event.clientX - rect.left, y: event.clientY - rect.top });
    options.onPan(panToCentre(options.view(), options.canvasSize(), target));
  }
  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    held = frame;
    panTo(event);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (held) panTo(event);
  });
  const release = () => {
    held = null;
    update();
  };
  canvas.addEventListener("pointerup", release);
  canvas.addEventListener("pointercancel", release);
  const toggle = () => {
    show(!shown());
    try {
      localStorage.setItem(STORAGE_KEY, shown() ? "shown" : "hidden");
    } catch {
      // Storage refused (private mode): the choice lasts for this page.
    }
  };
  toggleButton.addEventListener("click", toggle);
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    stored = null;
  }
  show(stored !== "hidden");
  return { element, update, toggle };
}

/** The shapes on a white ground, on ``layer`` sized as the minimap's canvas. */
function drawShapes(layer: HTMLCanvasElement, shapes: Shape[], frame: MinimapFrame, size: Size, ratio: number): void {
  layer.width = size.w * ratio;
  layer.height = size.h * ratio;
  const context = layer.getContext("2d");
  if (!context) return;
  context.scale(ratio, ratio);
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, size.w, size.h);
  for (const shape of shapes) drawShape(context, frame, shape);
}

/** One shape as the minimap draws it: its outline and fill, text as a grey bar, turned about
 * its centre as on the board. */
function drawShape(context: CanvasRenderingContext2D, frame: MinimapFrame, shape: Shape): void {
  const angle = isRotatable(shape) ? rotationOf(shape) : 0;
  if (angle === 0) return drawBox(context, frame, shape);
  const box = boxOnMinimap(frame, bounds(shape));
  context.save();
  context.translate(box.x + box.w / 2, box.y + box.h / 2);
  context.rotate(angle);
  context.translate(-(box.x + box.w / 2), -(box.y + box.h / 2));
  drawBox(context, frame, shape);
  context.restore();
}

function drawBox(context: CanvasRenderingContext2D, frame: MinimapFrame, shape: Shape): void {
  const box = boxOnMinimap(frame, bounds(shape));
  const w = Math.max(box.w, 1.5);
  const h = Math.max(box.h, 1.5);
  context.strokeStyle = shape.color;
  context.lineWidth = 1;
  context.fillStyle = shape.type === "sticky" ? shape.fill || STICKY_FILL : shape.type === "text" ? "#adb5bd" : shape.fill || "transparent";
  context.beginPath();
  if (shape.type === "ellipse") context.ellipse(box.x + w / 2, box.y + h / 2, w / 2, h / 2, 0, 0, Math.PI * 2);
  else if (shape.type === "line" || shape.type === "arrow") {
    const start = boxOnMinimap(frame, { x: shape.x, y: shape.y, w: 0, h: 0 });
    context.moveTo(start.x, start.y);
    context.lineTo(start.x + shape.w * frame.scale, start.y + shape.h * frame.scale);
    context.stroke();
    return;
  } else context.rect(box.x, box.y, w, h);
  context.fill();
  if (shape.type !== "text" && shape.type !== "sticky") context.stroke();
}
