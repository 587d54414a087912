// The whiteboard's wiring: pointer, keyboard and clipboard events go to the interaction
// machine (machine.ts); its commands become one Yjs transaction each, the view and the
// awareness; the renderer (render.ts, overlay.ts) draws the Y.Doc's Map "shapes".

import * as Y from "yjs";
import type { BoardComments } from "../comments/comments";
import type { OpenDocument, RoomContext } from "../context";
import { DocumentConnection } from "../sync/connection";
import { bindStatus } from "../sync/status";
import { download } from "../transfer/transfer";
import { clipboardPayload, parsePayload, SHAPES_MIME } from "./clipboard";
import { withConnectorsRouted } from "./connector";
import { isLine, type Point } from "./geometry";
import { keyCommand } from "./keys";
import { transition, type Command, type Event, type Scene, type State } from "./machine";
import { addShape, allShapes, bounds, DEFAULT_STYLE, newShapeId, readShape, shapesOf, styleOf, updateShape, type ConnectorStyle, type Shape, type Style } from "./model";
import { lockedAt } from "./lock";
import { renderCommentMarks as renderCommentMarksOf, renderLockMarks, renderMarquee, renderPeers, renderSelection, type Peer } from "./overlay";
import { exportPng, exportSvg, renderShape, svg } from "./render";
import { connectorPanel, stylePanel } from "./style-panel";
import { canvasMeasure, textHeight } from "./text";
import { editText } from "./text-dialog";
import { buildToolbar, type ToolbarAction } from "./toolbar";
import type { Tool } from "./tools";
import { selectionBounds } from "./selection";
import { followControls } from "./follow";
import { fitView, followView, readViewport, sharedViewport, steppedZoom, toBoardPoint, wheelZoom, zoomAround } from "./viewport";
import "./whiteboard.css";
const LOCAL = Symbol("whiteboard-local");
// The text dialog's title for each shape with text: a connector's text is its label.
const EDIT_TITLES: Partial<Record<Shape["type"], string>> = { text: "Text", sticky: "Sticky note", line: "Label", arrow: "Label" };

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
  let style: Style = { ...DEFAULT_STYLE };
  let connectorStyle: ConnectorStyle = {};
  let selected: string[] = [];
  let pan = { x: 0, y: 0 };
  let zoom = 1;
  let state: State = { kind: "idle" };
  let following: number | null = null; // the awareness client whose view this one tracks

  const body = article.querySelector<HTMLElement>(".doc-body")!;
  const stopStatus = bindStatus(connection, article.querySelector<HTMLElement>("[data-testid=sync-status]")!);
  const board = document.createElement("div");
  board.className = "board";
  const canvas = svg("svg", { class: "board-canvas", tabindex: 0, role: "application", "aria-roledescription": "whiteboard", "aria-label": `${current.title}: whiteboard. Tools: V select, R rectangle, O ellipse, L line, A arrow, P pen, T text, S sticky note. Shift-click or drag on empty canvas to select several; Ctrl+A selects all; Delete removes the selection; arrow keys move it (Shift: 10 px); Ctrl+C, X, V and D copy, cut, paste and duplicate; Ctrl+] and [ bring forward and send back; Ctrl+G groups, Ctrl+Shift+G ungroups, Ctrl+Shift+L locks or unlocks; Shift+1 zooms to fit the board, Shift+2 the selection.` });
  const viewport = svg("g", { class: "viewport" });
  const shapeLayer = svg("g", { class: "shapes" });
  const remoteLayer = svg("g", { class: "remote" });
  const selectionLayer = svg("g", { class: "selection" });
  const marqueeLayer = svg("g", { class: "marquee-layer" });
  const cursorLayer = svg("g", { class: "cursors" });
  const commentLayer = svg("g", { class: "comment-marks" });
  const lockLayer = svg("g", { class: "lock-marks" });
  viewport.append(shapeLayer, remoteLayer, selectionLayer, marqueeLayer, commentLayer, lockLayer, cursorLayer);
  let lockedShapes: Shape[] = []; // as last drawn, for the lock mark under the pointer
  let hoveredLock: Shape | null = null;
  // Comments (frontend/src/comments/): which shapes have an open thread, and who listens.
  let commented = new Map<string, number>();
  const commentListeners = new Set<() => void>();
  let markClick: (threadId: number) => void = () => {};
  canvas.append(viewport);
  const live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");

  const panel = stylePanel((changes) => setStyle(changes));
  const connectors = connectorPanel((changes) => setConnectorStyle(changes));
  const toolbar = buildToolbar({ canWrite, style: [panel.element, connectors.element], onTool: (value) => setTool(value), onAction: (action) => act(action) });
  const follow = followControls((clientId) => setFollowing(clientId));
  toolbar.element.append(follow.element);
  board.append(toolbar.element, canvas, follow.banner, live);
  body.replaceChildren(board);

  function setTool(value: Tool): void {
    tool = value;
    toolbar.showTool(value);
    canvas.dataset.tool = value;
  }
  function act(action: ToolbarAction): void {
    const all = boardShapes;
    switch (action) {
      case "undo":
        return void undo.undo();
      case "redo":
        return void undo.redo();
      case "delete":
        return send({ type: "key", command: { kind: "delete" } });
      case "forward":
      case "back":
        return send({ type: "key", command: { kind: "restack", direction: action } });
      case "group":
      case "ungroup":
      case "lock":
      case "unlockAll":
        return send({ type: "key", command: { kind: action } });
      case "zoomOut":
      case "zoomIn":
        return zoomAt(steppedZoom(zoom, action === "zoomIn" ? "in" : "out"), center());
      case "fitAll":
      case "fitSelection":
        return zoomToFit(action === "fitAll" ? all() : shapesByIds(selected));
      case "zoomReset":
        ownView();
        zoom = 1;
        pan = { x: 0, y: 0 };
        return applyView();
      case "exportSvg":
        return download(new Blob([exportSvg(all())], { type: "image/svg+xml" }), `${current.title}.svg`);
      case "exportPng":
        return void exportPng(all()).then((blob) => download(blob, `${current.title}.png`));
    }
  }
  /** A style change: kept for the next shape, and applied to the selection in one step. */
  function setStyle(changes: Partial<Style>): void {
    style = { ...style, ...changes };
    const restyled = shapesByIds(selected).filter((shape) => !shape.locked);
    if (restyled.length > 0) doc.transact(() => restyled.forEach((shape) => updateShape(doc, shape.id, changes)), LOCAL);
    showStyle();
  }
  /** Arrowheads and route: kept for the next line or arrow, applied to the selected ones. */
  function setConnectorStyle(changes: ConnectorStyle): void {
    connectorStyle = { ...connectorStyle, ...changes };
    const lines = shapesByIds(selected).filter((shape) => isLine(shape.type) && !shape.locked);
    if (lines.length > 0) doc.transact(() => lines.forEach((shape) => updateShape(doc, shape.id, changes)), LOCAL);
    showStyle();
  }
  /** The panels show the first selected shape's style (and line's), or the next shape's. */
  function showStyle(): void {
    const chosen = shapesByIds(selected);
    const [first] = chosen;
    panel.show(first ? styleOf(first) : style);
    const line = chosen.find((shape) => isLine(shape.type));
    connectors.show(line ?? connectorStyle, line?.type ?? tool);
    toolbar.showLocked(chosen.length > 0 && chosen.every((shape) => shape.locked));
  }
  function select(ids: string[]): void {
    selected = ids;
    awareness.setLocalStateField("selection", ids);
    renderOverlay();
    showStyle();
    commentListeners.forEach((listener) => listener());
  }
  function center(): Point {
    const rect = canvas.getBoundingClientRect();
    return { x: rect.width / 2, y: rect.height / 2 };
  }
  /** Starts following a person's view (null: stops); their view is applied at once. */
  function setFollowing(clientId: number | null): void {
    following = clientId;
    trackFollowed();
  }
  /** Applies the followed person's current view, or stops following if they left. */
  function trackFollowed(): void {
    if (following === null) return follow.showFollowing(null);
    const peer = awareness.getStates().get(following);
    const viewport = readViewport(peer?.viewport);
    if (!peer || !viewport) {
      following = null;
      return follow.showFollowing(null);
    }
    follow.showFollowing(((peer.user ?? {}) as { name?: string }).name ?? "Someone");
    const rect = canvas.getBoundingClientRect();
    const next = followView(viewport, { w: rect.width, h: rect.height });
    if (next.zoom === zoom && next.pan.x === pan.x && next.pan.y === pan.y) return;
    ({ pan, zoom } = next);
    applyView();
  }
  /** The follower panned or zoomed themselves: following stops. */
  function ownView(): void {
    if (following !== null) setFollowing(null);
  }
  function zoomAt(next: number, at: Point): void {
    ownView();
    ({ pan, zoom } = zoomAround({ pan, zoom }, next, at));
    applyView();
  }
  /** Pans and zooms so that ``targets`` fill the canvas (nothing happens without any). */
  function zoomToFit(targets: Shape[]): void {
    const box = selectionBounds(targets);
    if (!box) return;
    ownView();
    const rect = canvas.getBoundingClientRect();
    ({ pan, zoom } = fitView(box, { w: rect.width, h: rect.height }));
    applyView();
  }
  function applyView(): void {
    viewport.setAttribute("transform", `translate(${pan.x} ${pan.y}) scale(${zoom})`);
    toolbar.showZoom(zoom);
    canvas.dataset.zoom = String(zoom);
    canvas.dataset.pan = `${pan.x} ${pan.y}`;
    const rect = canvas.getBoundingClientRect();
    awareness.setLocalStateField("viewport", sharedViewport({ pan, zoom }, { w: rect.width, h: rect.height }));
    renderOverlay();
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
  /** The board's shapes as drawn: bound connectors routed to their shapes (connector.ts). */
  function boardShapes(): Shape[] {
    return withConnectorsRouted(allShapes(doc));
  }
  function shapesByIds(ids: unknown): Shape[] {
    // Older clients share one id (or null) rather than a list.
    const list = Array.isArray(ids) ? ids : typeof ids === "string" ? [ids] : [];
    const found = list.map((id) => (typeof id === "string" ? shapeById(id) : null)).filter((shape): shape is Shape => shape !== null);
    if (!found.some((shape) => shape.startBinding || shape.endBinding)) return found;
    const drawn = new Map(boardShapes().map((shape) => [shape.id, shape]));
    return found.map((shape) => drawn.get(shape.id) ?? shape);
  }

  // --- the machine -------------------------------------------------------------------------
  const scene: Scene = {
    get tool() {
      return tool;
    },
    canWrite,
    get selected() {
      return selected;
    },
    get pan() {
      return pan;
    },
    get style() {
      return style;
    },
    get connectorStyle() {
      return connectorStyle;
    },
    shapes: boardShapes,
    newId: newShapeId,
    now: Date.now,
    fitHeight: (shape, text) => textHeight(shape, text, canvasMeasure),
  };
  /** One event through the machine; the document commands of a step are one transaction. */
  function send(event: Event): void {
    const step = transition(state, event, scene);
    state = step.state;
    const edits = step.commands.filter((command) => command.kind === "add" || command.kind === "change" || command.kind === "remove");
    if (edits.length > 0 && canWrite) doc.transact(() => edits.forEach(edit), LOCAL);
    for (const command of step.commands) perform(command);
  }
  function edit(command: Command): void {
    if (command.kind === "add") command.shapes.forEach((shape) => addShape(doc, shape));
    else if (command.kind === "change") for (const [id, changes] of Object.entries(command.changes)) updateShape(doc, id, changes);
    else if (command.kind === "remove") command.ids.forEach((id) => shapes.delete(id));
  }
  function perform(command: Command): void {
    switch (command.kind) {
      case "select":
        select(command.ids);
        break;
      case "pan":
        ownView();
        pan = command.pan;
        applyView();
        break;
      case "marquee":
        renderMarquee(marqueeLayer, command.box);
        break;
      case "tool":
        setTool(command.tool);
        break;
      case "announce":
        live.textContent = command.text;
        break;
      case "editText":
        undo.stopCapturing();
        void editText(EDIT_TITLES[command.type] ?? "Text", command.text).then((text) => {
          send({ type: "textDone", text });
          canvas.focus();
        });
        break;
      default:
        break; // document edits, applied in send()
    }
  }

  // --- rendering ---------------------------------------------------------------------------
  let frame = 0;
  const schedule = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const drawn = boardShapes();
      shapeLayer.replaceChildren(...drawn.map(renderShape));
      lockedShapes = drawn.filter((shape) => shape.locked);
      const hoveredId = hoveredLock?.id;
      hoveredLock = lockedShapes.find((shape) => shape.id === hoveredId) ?? null;
      if (selected.some((id) => !shapes.has(id))) selected = selected.filter((id) => shapes.has(id));
      renderOverlay();
      renderCommentMarks();
      showStyle();
      commentListeners.forEach((listener) => listener());
    });
  };
  function renderOverlay(): void {
    const chosen = shapesByIds(selected);
    renderSelection(selectionLayer, chosen, zoom, canWrite);
    const hovered = hoveredLock && !selected.includes(hoveredLock.id) ? [hoveredLock] : [];
    renderLockMarks(lockLayer, [...chosen.filter((shape) => shape.locked), ...hovered], zoom, canWrite);
    const peers: Peer[] = [];
    awareness.getStates().forEach((peer, clientId) => {
      if (clientId === doc.clientID || !peer) return;
      const user = (peer.user ?? {}) as { name?: string; color?: string };
      const pointer = peer.pointer as { x: number; y: number } | null | undefined;
      peers.push({ clientId, name: user.name ?? "Someone", color: user.color ?? "#868e96", selection: shapesByIds(peer.selection), pointer: pointer ?? null });
    });
    renderPeers(remoteLayer, cursorLayer, peers, zoom);
    follow.showPeers(peers.map(({ clientId, name }) => ({ clientId, name })));
  }
  function renderCommentMarks(): void {
    const marks = [...commented].map(([id, threadId]) => ({ shape: shapeById(id), threadId }));
    renderCommentMarksOf(commentLayer, marks.filter((mark): mark is { shape: Shape; threadId: number } => mark.shape !== null), zoom);
  }
  shapes.observeDeep(schedule);
  // Only other people's awareness redraws: this one's own (its pointer, its viewport on each
  // pan and zoom step) has nothing to redraw, and its selection draws at once.
  awareness.on("change", (_changes: unknown, origin: unknown) => {
    if (origin === "local") return;
    schedule();
    trackFollowed();
  });
  applyView();
  setTool("select");
  schedule();

  // --- pointer, keyboard and clipboard -----------------------------------------------------
  let lastPointerSent = 0;
  const sendPointer = (point: Point | null) => {
    const now = performance.now();
    if (point && now - lastPointerSent < 40) return;
    lastPointerSent = now;
    awareness.setLocalStateField("pointer", point && { x: Math.round(point.x), y: Math.round(point.y) });
  };

  canvas.addEventListener("pointerdown", (event) => {
    const target = event.target as Element;
    const followed = target.closest<SVGGElement>("[data-follow]");
    if (followed) {
      setFollowing(Number(followed.dataset.follow));
      return;
    }
    const lockMark = target.closest<SVGGElement>("[data-unlock]");
    if (lockMark) {
      undo.stopCapturing();
      send({ type: "unlock", shapeId: lockMark.dataset.unlock! });
      return;
    }
    const commentMark = target.closest<SVGGElement>("[data-comment-thread]");
    if (commentMark) {
      markClick(Number(commentMark.dataset.commentThread));
      return;
    }
    if (event.button !== 0 && event.button !== 1) return;
    canvas.focus();
    canvas.setPointerCapture(event.pointerId);
    undo.stopCapturing();
    send({
      type: "down",
      button: event.button,
      shift: event.shiftKey,
      point: toBoard(event),
      client: { x: event.clientX, y: event.clientY },
      onHandle: target.closest("[data-handle]") !== null,
      onRotate: target.closest("[data-handle=rotate]") !== null,
      shapeId: target.closest<SVGGElement>("[data-shape-id]")?.dataset.shapeId ?? null,
    });
  });
  canvas.addEventListener("pointermove", (event) => {
    const point = toBoard(event);
    sendPointer(point);
    if (state.kind !== "idle" && state.kind !== "editing") send({ type: "move", point, client: { x: event.clientX, y: event.clientY }, shift: event.shiftKey });
    else showLockUnder(point);
  });
  const finish = () => {
    send({ type: "up" });
    if (state.kind !== "editing") undo.stopCapturing();
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  canvas.addEventListener("pointerleave", () => {
    sendPointer(null);
    showLockUnder(null);
  });
  /** A locked shape under the pointer shows its lock mark (it takes no clicks of its own). */
  function showLockUnder(point: Point | null): void {
    const under = point && lockedAt(point, lockedShapes);
    if (under?.id === hoveredLock?.id) return;
    hoveredLock = under;
    renderOverlay();
  }
  canvas.addEventListener("dblclick", (event) => {
    const id = (event.target as Element).closest<SVGGElement>("[data-shape-id]")?.dataset.shapeId;
    if (id) send({ type: "edit", shapeId: id });
  });

  canvas.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const rect = canvas.getBoundingClientRect();
      if (event.ctrlKey || event.metaKey) {
        zoomAt(wheelZoom(zoom, event.deltaY), { x: event.clientX - rect.left, y: event.clientY - rect.top });
      } else {
        ownView();
        pan = { x: pan.x - event.deltaX, y: pan.y - event.deltaY };
        applyView();
      }
    },
    { passive: false },
  );

  canvas.addEventListener("keydown", (event) => {
    const command = keyCommand(event);
    if (!command) return;
    if (command.kind === "undo" || command.kind === "redo") {
      event.preventDefault();
      if (canWrite) (command.kind === "undo" ? undo.undo() : undo.redo());
    } else if (command.kind === "zoom") {
      zoomAt(steppedZoom(zoom, command.direction), center());
    } else if (command.kind === "zoomToFit") {
      event.preventDefault();
      zoomToFit(command.target === "all" ? boardShapes() : shapesByIds(selected));
    } else {
      if (command.kind !== "tool" && command.kind !== "deselect") event.preventDefault();
      undo.stopCapturing();
      if (command.kind === "deselect") ownView(); // Escape also stops following
      send({ type: "key", command });
    }
  });

  // The browser's own copy, cut and paste (Ctrl/Cmd + C, X, V) while the canvas has focus.
  const copy = (event: ClipboardEvent, cut: boolean) => {
    if (document.activeElement !== canvas || selected.length === 0 || !event.clipboardData) return;
    event.preventDefault();
    const payload = clipboardPayload(shapesByIds(selected));
    event.clipboardData.setData(SHAPES_MIME, payload);
    event.clipboardData.setData("text/plain", payload);
    if (cut) send({ type: "key", command: { kind: "delete" } });
  };
  const onCopy = (event: ClipboardEvent) => copy(event, false);
  const onCut = (event: ClipboardEvent) => copy(event, true);
  const onPaste = (event: ClipboardEvent) => {
    if (document.activeElement !== canvas || !event.clipboardData) return;
    const pasted = parsePayload(event.clipboardData.getData(SHAPES_MIME) || event.clipboardData.getData("text/plain"));
    if (!pasted) return;
    event.preventDefault();
    undo.stopCapturing();
    send({ type: "paste", shapes: pasted });
  };
  document.addEventListener("copy", onCopy);
  document.addEventListener("cut", onCut);
  document.addEventListener("paste", onPaste);

  const comments: BoardComments = {
    selectedShape: () => (selected.length === 1 ? selected[0] : null),
    hasShape: (id) => shapeById(id) !== null,
    setCommented(threads) {
      commented = threads;
      renderCommentMarks();
    },
    reveal(id) {
      const shape = shapeById(id);
      if (!shape) return;
      select([id]);
      const box = bounds(shape);
      const middle = center();
      ownView();
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
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCut);
      document.removeEventListener("paste", onPaste);
      undo.destroy();
      commentListeners.clear();
      return connection.destroy(options);
    },
  };
}
