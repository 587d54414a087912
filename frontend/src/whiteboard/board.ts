// The whiteboard: shapes drawn on an SVG canvas from the Y.Doc's Map "shapes", with tools,
// selection, move and resize, colours, pan and zoom, per-user undo, other people's pointers
// and selections (awareness), and SVG/PNG export.

import * as Y from "yjs";
import type { BoardComments } from "../comments/comments";
import type { OpenDocument, RoomContext } from "../context";
import { DocumentConnection } from "../sync/connection";
import { bindStatus } from "../sync/status";
import { icon } from "../editor/icons";
import { keepsNewText, sizeAfterClick } from "./create";
import { movedBy, resizedBy, resizeHandle, type Point } from "./geometry";
import { keyCommand } from "./keys";
import { addShape, allShapes, bounds, COLORS, newShapeId, readShape, shapesOf, updateShape, type Shape } from "./model";
import { pressAction } from "./press";
import { download } from "../transfer/transfer";
import { exportPng, exportSvg, renderShape, svg } from "./render";
import { editText } from "./text-dialog";
import { TOOLS, type Tool } from "./tools";
import { steppedZoom, toBoardPoint, wheelZoom, zoomAround } from "./viewport";
import "./whiteboard.css";
const COLOR_NAMES = ["Black", "Red", "Blue", "Green", "Orange", "Purple"];
const TOOL_GLYPHS: Record<Tool, string> = {
  select: "M5 3l14 8-6 1.5L10 19z",
  rect: "M4 6h16v12H4z",
  ellipse: "M12 5c4.4 0 8 3.1 8 7s-3.6 7-8 7-8-3.1-8-7 3.6-7 8-7z",
  line: "M5 19 19 5",
  arrow: "M5 19 19 5M10 5h9v9",
  pen: "M4 20c3-1 4-4 6-7s4-6 7-8l2 2c-2 3-5 5-8 7s-6 3-7 6z",
  text: "M5 6V4h14v2M12 4v16M9 20h6",
  sticky: "M4 4h16v10l-6 6H4zM14 20v-6h6",
};
const LOCAL = Symbol("whiteboard-local");

type Drag =
  | { kind: "move"; id: string; start: Shape; from: Point }
  | { kind: "resize"; id: string; start: Shape; from: Point }
  | { kind: "create"; id: string; from: Point }
  | { kind: "pen"; id: string; points: number[] }
  | { kind: "pan"; start: Point; from: Point };

function toolIcon(tool: Tool): SVGSVGElement {
  const element = svg("svg", { viewBox: "0 0 24 24", width: 18, height: 18, fill: "none", stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true" });
  element.append(svg("path", { d: TOOL_GLYPHS[tool] }));
  return element;
}

export interface MountedBoard {
  connection: DocumentConnection;
  comments: BoardComments;
  destroy(options?: { forgetLocalCopy?: boolean }): Promise<void>;
}

export function mountWhiteboard(article: HTMLElement, context: RoomContext, current: OpenDocument): MountedBoard {
  const connection = new DocumentConnection({
    socketUrl: context.urls.docsSocket,
    documentId: current.id,
    userId: context.user.id,
    user: { name: context.user.name, color: context.user.color },
    canWrite: current.canWrite,
  });
  const { doc } = connection;
  const awareness = connection.provider.awareness;
  const shapes = shapesOf(doc);
  const undo = new Y.UndoManager(shapes, { trackedOrigins: new Set([LOCAL]), captureTimeout: 400 });
  connection.trackUndo(undo);
  const canWrite = current.canWrite;
  let tool: Tool = "select";
  let color = COLORS[0];
  let selected: string | null = null;
  let pan = { x: 0, y: 0 };
  let zoom = 1;
  let drag: Drag | null = null;

  const body = article.querySelector<HTMLElement>(".doc-body")!;
  const stopStatus = bindStatus(connection, article.querySelector<HTMLElement>("[data-testid=sync-status]")!);
  const board = document.createElement("div");
  board.className = "board";
  const toolbar = document.createElement("div");
  toolbar.className = "board-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Whiteboard");
  const canvas = svg("svg", { class: "board-canvas", tabindex: 0, role: "application", "aria-roledescription": "whiteboard", "aria-label": `${current.title}: whiteboard. Tools: V select, R rectangle, O ellipse, L line, A arrow, P pen, T text, S sticky note. Delete removes the selection; arrow keys move it.` });
  const viewport = svg("g", { class: "viewport" });
  const shapeLayer = svg("g", { class: "shapes" });
  const remoteLayer = svg("g", { class: "remote" });
  const selectionLayer = svg("g", { class: "selection" });
  const cursorLayer = svg("g", { class: "cursors" });
  const commentLayer = svg("g", { class: "comment-marks" });
  viewport.append(shapeLayer, remoteLayer, selectionLayer, commentLayer, cursorLayer);
  // Comments (frontend/src/comments/): which shapes have an open thread, and who listens.
  let commented = new Map<string, number>();
  const commentListeners = new Set<() => void>();
  let markClick: (threadId: number) => void = () => {};
  canvas.append(viewport);
  const live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");

  const button = (label: string, content: Node | string, onClick: () => void, pressed?: boolean) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "tool";
    element.setAttribute("aria-label", label);
    element.title = label;
    element.append(content);
    if (pressed !== undefined) element.setAttribute("aria-pressed", String(pressed));
    element.addEventListener("click", onClick);
    return element;
  };
  const group = (...children: HTMLElement[]) => {
    const element = document.createElement("div");
    element.className = "toolbar-group";
    element.append(...children);
    toolbar.append(element);
    return element;
  };

  const toolButtons = new Map<Tool, HTMLButtonElement>();
  const colorButtons: HTMLButtonElement[] = [];
  if (canWrite) {
    group(
      ...TOOLS.map(({ tool: value, label, key }) => {
        const element = button(`${label} (${key.toUpperCase()})`, toolIcon(value), () => setTool(value), value === tool);
        element.setAttribute("aria-label", label);
        toolButtons.set(value, element);
        return element;
      }),
    );
    group(
      ...COLORS.map((value, index) => {
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = value;
        const element = button(`Colour: ${COLOR_NAMES[index]}`, swatch, () => setColor(value), value === color);
        colorButtons.push(element);
        return element;
      }),
    );
    group(
      button("Undo", icon("undo"), () => undo.undo()),
      button("Redo", icon("redo"), () => undo.redo()),
      button("Delete selection", "Delete", () => deleteSelected()),
    );
  }
  const zoomLabel = document.createElement("span");
  group(
    button("Zoom out", "−", () => zoomAt(steppedZoom(zoom, "out"), center())),
    button("Reset zoom", zoomLabel, () => {
      zoom = 1;
      pan = { x: 0, y: 0 };
      applyView();
    }),
    button("Zoom in", "+", () => zoomAt(steppedZoom(zoom, "in"), center())),
  );
  group(
    button("Export as SVG", "SVG", () => download(new Blob([exportSvg(allShapes(doc))], { type: "image/svg+xml" }), `${current.title}.svg`)),
    button("Export as PNG", "PNG", () => void exportPng(allShapes(doc)).then((blob) => download(blob, `${current.title}.png`))),
  );
  board.append(toolbar, canvas, live);
  body.replaceChildren(board);

  function setTool(value: Tool): void {
    tool = value;
    for (const [key, element] of toolButtons) element.setAttribute("aria-pressed", String(key === value));
    canvas.dataset.tool = value;
  }
  function setColor(value: string): void {
    color = value;
    colorButtons.forEach((element, index) => element.setAttribute("aria-pressed", String(COLORS[index] === value)));
    if (selected) change(() => updateShape(doc, selected!, { color: value }));
  }
  function change(fn: () => void): void {
    doc.transact(fn, LOCAL);
  }
  function select(id: string | null): void {
    selected = id;
    awareness.setLocalStateField("selection", id);
    renderSelection();
    commentListeners.forEach((listener) => listener());
  }
  function deleteSelected(): void {
    if (!selected || !canWrite) return;
    const id = selected;
    change(() => shapes.delete(id));
    select(null);
    live.textContent = "Shape deleted";
  }
  function center(): Point {
    const rect = canvas.getBoundingClientRect();
    return { x: rect.width / 2, y: rect.height / 2 };
  }
  function zoomAt(next: number, at: Point): void {
    ({ pan, zoom } = zoomAround({ pan, zoom }, next, at));
    applyView();
  }
  function applyView(): void {
    viewport.setAttribute("transform", `translate(${pan.x} ${pan.y}) scale(${zoom})`);
    zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
    canvas.dataset.zoom = String(zoom);
    renderCommentMarks();
  }
  function toBoard(event: { clientX: number; clientY: number }): Point {
    const rect = canvas.getBoundingClientRect();
    return toBoardPoint({ pan, zoom }, { x: event.clientX - rect.left, y: event.clientY - rect.top });
  }
  function shapeById(id: string): Shape | null {
    const map = shapes.get(id);
    return map instanceof Y.Map ? readShape(id, map) : null;
  }

  // --- rendering ---------------------------------------------------------------------------
  let frame = 0;
  const schedule = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      shapeLayer.replaceChildren(...allShapes(doc).map(renderShape));
      if (selected && !shapes.has(selected)) selected = null;
      renderSelection();
      renderRemote();
      renderCommentMarks();
      commentListeners.forEach((listener) => listener());
    });
  };
  function outline(shape: Shape, stroke: string, dashed: boolean): SVGElement {
    const box = bounds(shape);
    const pad = 6 / zoom;
    return svg("rect", { x: box.x - pad, y: box.y - pad, width: box.w + 2 * pad, height: box.h + 2 * pad, fill: "none", stroke, "stroke-width": 1.5, "vector-effect": "non-scaling-stroke", "stroke-dasharray": dashed ? "5 4" : "", rx: 4 });
  }
  function renderSelection(): void {
    selectionLayer.replaceChildren();
    const shape = selected ? shapeById(selected) : null;
    if (!shape) return;
    selectionLayer.append(outline(shape, "#2f6fdf", false));
    if (!canWrite || shape.type === "pen") return;
    const handle = resizeHandle(shape);
    const size = 10 / zoom;
    selectionLayer.append(svg("rect", { class: "handle", "data-handle": "resize", x: handle.x - size / 2, y: handle.y - size / 2, width: size, height: size, rx: 2 }));
  }
  function renderCommentMarks(): void {
    commentLayer.replaceChildren();
    for (const [id, threadId] of commented) {
      const shape = shapeById(id);
      if (!shape) continue;
      const box = bounds(shape);
      const mark = svg("g", { class: "board-comment-mark", "data-comment-thread": threadId, "data-comment-shape": id, transform: `translate(${box.x + box.w} ${box.y}) scale(${1 / zoom})` });
      mark.append(svg("path", { d: "M-2 -18h18a4 4 0 0 1 4 4v9a4 4 0 0 1-4 4h-9l-6 5v-5h-3a4 4 0 0 1-4-4v-9a4 4 0 0 1 4-4z", fill: "#ffd43b", stroke: "#b38600", "stroke-width": 1.2 }));
      const title = svg("title");
      title.textContent = "Commented: open the thread";
      mark.append(title);
      commentLayer.append(mark);
    }
  }
  function renderRemote(): void {
    remoteLayer.replaceChildren();
    cursorLayer.replaceChildren();
    awareness.getStates().forEach((state, clientId) => {
      if (clientId === doc.clientID || !state) return;
      const user = (state.user ?? {}) as { name?: string; color?: string };
      const who = user.color ?? "#868e96";
      const selection = state.selection as string | null | undefined;
      const shape = selection ? shapeById(selection) : null;
      if (shape) remoteLayer.append(outline(shape, who, true));
      const pointer = state.pointer as { x: number; y: number } | null | undefined;
      if (!pointer) return;
      const cursor = svg("g", { class: "remote-cursor", "data-user": user.name ?? "", transform: `translate(${pointer.x} ${pointer.y}) scale(${1 / zoom})` });
      cursor.append(svg("path", { d: "M0 0 L0 16 L4.5 12 L8 19 L10.5 18 L7 11 L13 11 Z", fill: who, stroke: "#fff", "stroke-width": 1.2 }));
      const label = svg("g", { transform: "translate(14 18)" });
      const text = svg("text", { x: 6, y: 13, "font-size": 12, "font-weight": 600, fill: "#fff", "font-family": "system-ui, sans-serif" });
      text.textContent = user.name ?? "Someone";
      const width = 12 + 7 * (user.name ?? "Someone").length;
      label.append(svg("rect", { width, height: 18, rx: 4, fill: who }), text);
      cursor.append(label);
      cursorLayer.append(cursor);
    });
  }
  shapes.observeDeep(schedule);
  awareness.on("change", schedule);
  applyView();
  setTool("select");
  schedule();

  // --- pointer interactions ----------------------------------------------------------------
  let lastPointerSent = 0;
  const sendPointer = (point: Point | null) => {
    const now = performance.now();
    if (point && now - lastPointerSent < 40) return;
    lastPointerSent = now;
    awareness.setLocalStateField("pointer", point && { x: Math.round(point.x), y: Math.round(point.y) });
  };

  canvas.addEventListener("pointerdown", (event) => {
    const target = event.target as Element;
    const commentMark = target.closest<SVGGElement>("[data-comment-thread]");
    if (commentMark) {
      markClick(Number(commentMark.dataset.commentThread));
      return;
    }
    const press = pressAction({
      button: event.button,
      tool,
      canWrite,
      selected,
      onHandle: target.closest("[data-handle]") !== null,
      shapeId: target.closest<SVGGElement>("[data-shape-id]")?.dataset.shapeId ?? null,
    });
    if (press.kind === "ignore") return;
    canvas.focus();
    canvas.setPointerCapture(event.pointerId);
    const point = toBoard(event);
    undo.stopCapturing();
    if (press.kind === "resize") {
      const shape = shapeById(press.id);
      if (shape) drag = { kind: "resize", id: press.id, start: shape, from: point };
      return;
    }
    if (press.kind === "select") {
      select(press.id);
      const shape = shapeById(press.id);
      if (press.move && shape) drag = { kind: "move", id: press.id, start: shape, from: point };
      return;
    }
    if (press.kind === "pan") {
      if (press.deselect) select(null);
      drag = { kind: "pan", start: { ...pan }, from: { x: event.clientX, y: event.clientY } };
      return;
    }
    const id = newShapeId();
    const base: Shape = { id, type: press.type, x: point.x, y: point.y, w: 0, h: 0, color, text: "", points: [], z: Date.now() };
    if (press.type === "pen") {
      change(() => addShape(doc, { ...base, points: [0, 0] }));
      drag = { kind: "pen", id, points: [0, 0] };
    } else {
      change(() => addShape(doc, base));
      drag = { kind: "create", id, from: point };
    }
  });

  canvas.addEventListener("pointermove", (event) => {
    const point = toBoard(event);
    sendPointer(point);
    if (!drag) return;
    const dx = point.x - ("from" in drag ? drag.from.x : 0);
    const dy = point.y - ("from" in drag ? drag.from.y : 0);
    switch (drag.kind) {
      case "pan":
        pan = { x: drag.start.x + event.clientX - drag.from.x, y: drag.start.y + event.clientY - drag.from.y };
        applyView();
        break;
      case "move": {
        const { id, start } = drag;
        change(() => updateShape(doc, id, movedBy(start, dx, dy)));
        break;
      }
      case "resize": {
        const { id, start } = drag;
        change(() => updateShape(doc, id, resizedBy(start, dx, dy)));
        break;
      }
      case "create": {
        const { id } = drag;
        change(() => updateShape(doc, id, { w: Math.round(dx), h: Math.round(dy) }));
        break;
      }
      case "pen": {
        const origin = shapeById(drag.id);
        if (!origin) break;
        drag.points.push(Math.round(point.x - origin.x), Math.round(point.y - origin.y));
        const { id, points } = drag;
        change(() => updateShape(doc, id, { points: [...points] }));
        break;
      }
    }
  });

  const finish = () => {
    const ended = drag;
    drag = null;
    if (!ended || (ended.kind !== "create" && ended.kind !== "pen")) return;
    const shape = shapeById(ended.id);
    if (!shape) return;
    if (ended.kind === "create") {
      const size = sizeAfterClick(shape);
      if (size) change(() => updateShape(doc, shape.id, size));
      if (shape.type === "text" || shape.type === "sticky") {
        void editText(shape.type === "text" ? "Text" : "Sticky note", "").then((text) => {
          if (text === null || !keepsNewText(shape.type, text)) change(() => shapes.delete(shape.id));
          else change(() => updateShape(doc, shape.id, { text }));
          canvas.focus();
        });
      }
    }
    undo.stopCapturing();
    select(ended.id);
    setTool("select");
    live.textContent = `${shape.type} added`;
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("pointerleave", () => sendPointer(null));

  canvas.addEventListener("dblclick", (event) => {
    const id = (event.target as Element).closest<SVGGElement>("[data-shape-id]")?.dataset.shapeId;
    const shape = id ? shapeById(id) : null;
    if (!canWrite || !shape || (shape.type !== "text" && shape.type !== "sticky")) return;
    void editText(shape.type === "text" ? "Text" : "Sticky note", shape.text).then((text) => {
      if (text !== null) change(() => updateShape(doc, shape.id, { text }));
      canvas.focus();
    });
  });

  canvas.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      if (event.ctrlKey || event.metaKey) {
        zoomAt(wheelZoom(zoom, event.deltaY), { x: event.clientX - rect.left, y: event.clientY - rect.top });
      } else {
        pan = { x: pan.x - event.deltaX, y: pan.y - event.deltaY };
        applyView();
      }
    },
    { passive: false },
  );

  canvas.addEventListener("keydown", (event) => {
    const command = keyCommand(event);
    switch (command?.kind) {
      case "undo":
      case "redo":
        event.preventDefault();
        if (canWrite) (command.kind === "undo" ? undo.undo() : undo.redo());
        break;
      case "delete":
        if (!selected) break;
        event.preventDefault();
        deleteSelected();
        break;
      case "deselect":
        select(null);
        break;
      case "nudge": {
        event.preventDefault();
        const shape = selected ? shapeById(selected) : null;
        const { dx, dy } = command;
        if (shape && canWrite) change(() => updateShape(doc, shape.id, { x: shape.x + dx, y: shape.y + dy }));
        else {
          pan = { x: pan.x - dx * 4, y: pan.y - dy * 4 };
          applyView();
        }
        break;
      }
      case "tool":
        if (canWrite) setTool(command.tool);
        break;
      case "zoom":
        zoomAt(steppedZoom(zoom, command.direction), center());
        break;
    }
  });

  const comments: BoardComments = {
    selectedShape: () => selected,
    hasShape: (id) => shapeById(id) !== null,
    setCommented(threads) {
      commented = threads;
      renderCommentMarks();
    },
    reveal(id) {
      const shape = shapeById(id);
      if (!shape) return;
      select(id);
      const box = bounds(shape);
      const middle = center();
      pan = { x: middle.x - (box.x + box.w / 2) * zoom, y: middle.y - (box.y + box.h / 2) * zoom };
      applyView();
    },
    onChange(listener) {
      commentListeners.add(listener);
      return () => commentListeners.delete(listener);
    },
    onMarkClick(listener) {
      markClick = listener;
    },
  };

  return {
    connection,
    comments,
    destroy(options) {
      stopStatus();
      undo.destroy();
      commentListeners.clear();
      return connection.destroy(options);
    },
  };
}
