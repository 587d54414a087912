// The whiteboard's wiring: pointer, keyboard and clipboard events go to the interaction
// machine (machine.ts); its commands become one Yjs transaction each, the view and the
// awareness; the renderer (render.ts, overlay.ts) draws the Y.Doc's Map "shapes".

import * as Y from "yjs";
import type { BoardComments } from "../comments/comments";
import type { OpenDocument, RoomContext } from "../context";
import { DocumentConnection } from "../sync/connection";
import { bindStatus } from "../sync/status";
import { errorMessage } from "../api";
import { unitsToArrange } from "./arrange";
import { arrangePanel } from "./arrange-panel";
import { clipboardPayload, imageFiles, outsideText, parsePayload, payloadSource, SHAPES_MIME } from "./clipboard";
import { connectorNear } from "./connector";
import { isLine, type Point } from "./geometry";
import { keyCommand } from "./keys";
import { transition, type Command, type Event, type Scene, type State } from "./machine";
import { addShape, allShapes, bounds, DEFAULT_STYLE, newShapeId, readShape, shapesOf, styleOf, updateShape, type ConnectorStyle, type Shape, type Style, type TextStyle } from "./model";
import { gridLayer, gridRemembered, rememberGrid } from "./grid";
import { lockedAt } from "./lock";
import { renderCommentMarks as renderCommentMarksOf, renderGuides, renderLockMarks, renderMarquee, renderPeers, renderSelection, type Peer } from "./overlay";
import { pastedTextShape } from "./paste-text";
import { renderShape, svg } from "./render";
import { embeddedDrawing, ImageCache, imageUrl } from "./image-cache";
import { imageShapes, type PlacedImage } from "./image-place";
import { boardImages } from "./images";
import { frameList } from "./frame-list";
import { clippingFrame, drawOrder, isFrame, withFrameMembers } from "./frames";
import { clippedTo } from "./content-render";
import { exportBoard } from "./export-board";
import { exportMenu } from "./export-menu";
import { TouchTracker } from "./gestures";
import { showShortcutHelp } from "./help-dialog";
import { minimapPanel, type PeerView } from "./minimap-panel";
import { shortcutFor, shownKeys } from "./shortcuts";
import { connectorPanel, stylePanel } from "./style-panel";
import { canvasMeasure, editableText, holdsText, resolvedTextStyle, textHeight } from "./text";
import { openTextEditor, type TextEditor } from "./text-editor";
import { restyledText } from "./text-fit";
import { textPanel } from "./text-panel";
import { buildToolbar, type ToolbarAction } from "./toolbar";
import { TOOLS, type Tool } from "./tools";
import { selectionBounds, type Box } from "./selection";
import { shapeCache } from "./shape-cache";
import { elementChildren, shapeLayer as keyedLayer } from "./shape-layer";
import { GRID_SIZE } from "./snap";
import { drawRegion, shapesIn, viewBox } from "./visible";
import { followControls } from "./follow";
import { cssTransform, pixelSnap, viewLayer } from "./view-layer";
import { fitView, followView, readViewport, sharedViewport, steppedZoom, toBoardPoint, wheelZoom, zoomAround, type View } from "./viewport";
import "./whiteboard.css";
const LOCAL = Symbol("whiteboard-local");
// How near (screen px) a press must come to a connector's path to take it.
const CONNECTOR_SLOP = 8;

const CAPTURE_MS = 400;

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
  const cache = shapeCache(shapes); // observes before the board's own observer below
  // Edits closer than CAPTURE_MS merge into one undo step; a gesture is one step however slowly
  // its moves come (a loaded machine, a slow pen): no timeout while a pointer is down.
  const undo = new Y.UndoManager(shapes, { trackedOrigins: new Set([LOCAL]), captureTimeout: CAPTURE_MS });
  connection.trackUndo(undo);
  const canWrite = current.canWrite;
  let tool: Tool = "select";
  let style: Style = { ...DEFAULT_STYLE };
  let connectorStyle: ConnectorStyle = {};
  let nextTextStyle: TextStyle = {};
  let selected: string[] = [];
  let pan = { x: 0, y: 0 };
  let zoom = 1;
  let state: State = { kind: "idle" };
  let following: number | null = null; // the awareness client whose view this one tracks
  let grid = gridRemembered(window.localStorage);
  let pointer: Point | null = null; // the board point under the mouse, while on the canvas

  const body = article.querySelector<HTMLElement>(".doc-body")!;
  const stopStatus = bindStatus(connection, article.querySelector<HTMLElement>("[data-testid=sync-status]")!);
  const board = document.createElement("div");
  board.className = "board";
  // The canvas holds the grid (screen space) and, over it, the layer of shapes and overlay that
  // pans and zooms by a CSS transform (view-layer.ts).
  const canvas = document.createElement("div");
  for (const [name, value] of Object.entries({ class: "board-canvas", tabindex: "0", role: "application", "aria-roledescription": "whiteboard", "aria-label": `${current.title}: whiteboard`, "aria-describedby": `board-help-${current.id}` })) canvas.setAttribute(name, value);
  const description = document.createElement("p");
  description.id = `board-help-${current.id}`;
  description.className = "visually-hidden";
  description.textContent = `Tools: ${TOOLS.map(({ label, key }) => `${key.toUpperCase()} ${label.toLowerCase()}`).join(", ")}. Shift-click or drag on empty canvas to select several; arrow keys move the selection; drop or paste image files to add images; press ? for all keyboard shortcuts.`;
  const viewport = svg("g", { class: "viewport" });
  const shapeLayer = svg("g", { class: "shapes" });
  const remoteLayer = svg("g", { class: "remote" });
  const selectionLayer = svg("g", { class: "selection" });
  const marqueeLayer = svg("g", { class: "marquee-layer" });
  const cursorLayer = svg("g", { class: "cursors" });
  const commentLayer = svg("g", { class: "comment-marks" });
  const lockLayer = svg("g", { class: "lock-marks" });
  const guideLayer = svg("g", { class: "snap-guides" });
  viewport.append(shapeLayer, remoteLayer, selectionLayer, marqueeLayer, guideLayer, commentLayer, lockLayer, cursorLayer);
  let lockedShapes: Shape[] = []; // as last drawn, for the lock mark under the pointer
  let hoveredLock: Shape | null = null;
  // Comments (frontend/src/comments/): which shapes have an open thread, and who listens.
  let commented = new Map<string, number>();
  const commentListeners = new Set<() => void>();
  let markClick: (threadId: number) => void = () => {};
  const gridLines = gridLayer(`board-grid-${current.id}`);
  const gridHolder = svg("svg", { class: "board-grid-layer", "aria-hidden": "true" });
  gridHolder.append(gridLines.element);
  const layer = svg("svg", { class: "board-layer" });
  layer.append(viewport);
  canvas.append(gridHolder, layer);
  let snap: Point = { x: 0, y: 0 }; // pixelSnap of the layer's place, when last read
  const layOut = (laid: View) => viewport.setAttribute("transform", `translate(${laid.pan.x + snap.x} ${laid.pan.y + snap.y}) scale(${laid.zoom})`);
  const stage = viewLayer({ layout: layOut, place: (transform) => (layer.style.transform = cssTransform(transform)) }, { pan, zoom });
  const live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("aria-live", "polite");
  const announce = (text: string) => (live.textContent = text);

  const panel = stylePanel((changes) => setStyle(changes));
  const connectors = connectorPanel((changes) => setConnectorStyle(changes));
  const texts = textPanel((changes) => setTextStyle(changes));
  const arrange = arrangePanel(
    (arrangement) => {
      undo.stopCapturing(); // its own undo step, as from the keyboard
      send({ type: "key", command: { kind: "arrange", arrangement } });
    },
    () => setGrid(!grid),
  );
  const toolbar = buildToolbar({ canWrite, style: [panel.element, texts.element, connectors.element, arrange.element], onTool: (value) => setTool(value), onAction: (action) => act(action) });
  const follow = followControls((clientId) => setFollowing(clientId));
  const frames = frameList((frameId) => goToFrame(frameId));
  toolbar.element.append(frames.element, follow.element);
  // A style button pressed while text is edited leaves the focus in the editor (its click still
  // acts), so text is restyled as it is typed; a field or colour picker takes the focus and ends it.
  for (const stylePart of [panel.element, texts.element, connectors.element]) {
    stylePart.addEventListener("mousedown", (event) => {
      if (textEditor && (event.target as Element).closest("button")) event.preventDefault();
    });
  }
  // Images: uploaded, then added (images.ts); drawn from the cache, which loads each once.
  const imageCache = new ImageCache(
    (imageId) => imageUrl(current.id, imageId),
    () => {
      shapesChanged = true; // an image loaded or failed: its shape draws again
      schedule();
    },
  );
  const drawing = { image: (imageId: string) => imageCache.source(imageId) };
  const images = boardImages({
    documentId: current.id,
    csrfToken: context.csrfToken,
    maxBytes: context.limits.imageMaxBytes,
    canWrite,
    canvas,
    pointAt: (client) => (client ? toBoard({ clientX: client.x, clientY: client.y }) : toBoardPoint({ pan, zoom }, center())),
    insert: (placed, at) => insertImages(placed, at),
  });
  const exporter = exportMenu({
    shortcut: shownKeys(shortcutFor({ kind: "export" })!.keys),
    hasSelection: () => selected.length > 0,
    onExport(scope, format) {
      const shapes = scope === "board" ? boardShapes() : shapesByIds(selected);
      void embeddedDrawing(imageCache, shapes)
        .then((drawn) => exportBoard(current, scope, format, shapes, drawn))
        .catch((reason) => announce(errorMessage(reason, "The export failed. Try again.")));
    },
  });
  toolbar.element.append(exporter.element);
  const minimap = minimapPanel({
    shapes: () => boardShapes(),
    view: () => ({ pan, zoom }),
    peers: () => peerViews(),
    canvasSize: () => {
      const rect = canvas.getBoundingClientRect();
      return { w: rect.width, h: rect.height };
    },
    onPan(next) {
      ownView();
      pan = next;
      applyView();
    },
  });
  board.append(toolbar.element, ...images.elements, canvas, minimap.element, follow.banner, description, live);
  new ResizeObserver(() => minimap.update()).observe(canvas); // the view box changes with the canvas
  body.replaceChildren(board);

  function setTool(value: Tool): void {
    if (value !== tool) announce(`${TOOLS.find((entry) => entry.tool === value)?.label ?? value} tool`);
    tool = value;
    toolbar.showTool(value);
    canvas.dataset.tool = value;
    showStyle(); // the text panel shows the next shape's size and alignment
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
      case "image":
        return images.pick();
      case "help":
        return showShortcutHelp();
    }
  }
  /** Selects a frame and fits the view to it. */
  function goToFrame(frameId: string): void {
    const frame = shapeById(frameId);
    if (!frame) return;
    select([frameId]);
    zoomToFit([frame]);
    canvas.focus();
  }
  /** Stored images onto the board around ``at``, in one step, selected. */
  function insertImages(placed: PlacedImage[], at: Point): void {
    if (!canWrite) return;
    const rect = canvas.getBoundingClientRect();
    const maxSide = Math.max(120, (0.6 * Math.min(rect.width, rect.height)) / zoom);
    const added = imageShapes(placed, at, maxSide, Math.max(0, ...allShapes(doc).map((shape) => shape.z)), newShapeId);
    undo.stopCapturing();
    doc.transact(() => added.forEach((shape) => addShape(doc, shape)), LOCAL);
    select(added.map((shape) => shape.id));
    live.textContent = `${added.length} image${added.length === 1 ? "" : "s"} added`;
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
  /** Font size and alignment: kept for the next shape, applied to the selected ones that hold
   * text (each grown to fit its text) in one step. */
  function setTextStyle(changes: TextStyle): void {
    nextTextStyle = { ...nextTextStyle, ...changes };
    const restyled = restyledText(shapesByIds(selected).filter((shape) => !shape.locked), changes, scene.fitHeight);
    if (Object.keys(restyled).length > 0) doc.transact(() => Object.entries(restyled).forEach(([id, change]) => updateShape(doc, id, change)), LOCAL);
    showStyle();
  }
  /** The panels show the first selected shape's style (and line's, and text's), or the next
   * shape's. */
  function showStyle(): void {
    const chosen = shapesByIds(selected);
    const [first] = chosen;
    panel.show(first ? styleOf(first) : style);
    const withText = chosen.find((shape) => holdsText(shape.type));
    texts.show(withText ? resolvedTextStyle(withText.type, withText) : resolvedTextStyle(tool === "select" ? "text" : tool, nextTextStyle));
    const line = chosen.find((shape) => isLine(shape.type));
    connectors.show(line ?? connectorStyle, line?.type ?? tool);
    toolbar.showLocked(chosen.length > 0 && chosen.every((shape) => shape.locked));
    arrange.show(unitsToArrange(chosen).length, grid);
  }
  function setGrid(on: boolean): void {
    grid = on;
    rememberGrid(window.localStorage, on);
    canvas.dataset.grid = on ? "on" : "off";
    gridLines.show(on, { pan, zoom });
    showStyle();
  }
  function select(ids: string[]): void {
    if (ids.length !== selected.length) announce(ids.length > 0 ? `${ids.length} selected` : "Nothing selected");
    selected = ids;
    awareness.setLocalStateField("selection", ids);
    renderOverlay();
    showStyle();
    commentListeners.forEach((listener) => listener());
  }
  // The canvas's box, read once a frame: read again after each wheel step's change of the view,
  // it would lay the whole board out again each time.
  let rectOfFrame: DOMRect | null = null;
  function canvasRect(): DOMRect {
    if (!rectOfFrame) {
      rectOfFrame = canvas.getBoundingClientRect();
      requestAnimationFrame(() => (rectOfFrame = null));
      const next = pixelSnap({ x: rectOfFrame.left + canvas.clientLeft, y: rectOfFrame.top + canvas.clientTop }, window.devicePixelRatio || 1);
      if (next.x !== snap.x || next.y !== snap.y) {
        snap = next;
        layOut(stage.laid());
      }
    }
    return rectOfFrame;
  }
  function center(): Point {
    const rect = canvasRect();
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
    const rect = canvasRect();
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
    const rect = canvasRect();
    ({ pan, zoom } = fitView(box, { w: rect.width, h: rect.height }));
    applyView();
  }
  function applyView(): void {
    stage.show({ pan, zoom });
    toolbar.showZoom(zoom);
    minimap.update();
    canvas.dataset.zoom = String(zoom);
    canvas.dataset.pan = `${pan.x} ${pan.y}`;
    // The grid is drawn in screen space (grid.ts), so it follows each pan as well as zoom.
    gridLines.show(grid, { pan, zoom });
    const rect = canvasRect();
    cull({ w: rect.width, h: rect.height });
    shareViewport();
    redrawOverlayAtZoom();
    placeTextEditor();
  }
  // The overlay is in board units but sized by the zoom (outline pads, handles, pointers): a
  // pan leaves it as it is, and zoom steps redraw it once a frame.
  let overlayZoom = zoom;
  let overlayFrame = 0;
  function redrawOverlayAtZoom(): void {
    if (zoom === overlayZoom || overlayFrame) return;
    overlayFrame = requestAnimationFrame(() => {
      overlayFrame = 0;
      overlayZoom = zoom;
      renderOverlay();
      renderCommentMarks();
    });
  }
  // The view is shared (for follow mode) at most once a frame, however many wheel events came.
  let viewportShared = true;
  function shareViewport(): void {
    if (!viewportShared) return;
    viewportShared = false;
    requestAnimationFrame(() => {
      viewportShared = true;
      const rect = canvasRect();
      awareness.setLocalStateField("viewport", sharedViewport({ pan, zoom }, { w: rect.width, h: rect.height }));
    });
  }
  function toBoard(event: { clientX: number; clientY: number }): Point {
    const rect = canvasRect();
    return toBoardPoint({ pan, zoom }, { x: event.clientX - rect.left, y: event.clientY - rect.top });
  }
  function shapeById(id: string): Shape | null {
    const map = shapes.get(id);
    return map instanceof Y.Map ? readShape(id, map) : null;
  }
  /** The board's shapes as drawn: bound connectors routed to their shapes (connector.ts). */
  function boardShapes(): Shape[] {
    return cache.routed();
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
    get textStyle() {
      return nextTextStyle;
    },
    shapes: boardShapes,
    newId: newShapeId,
    now: Date.now,
    fitHeight: (shape, text) => textHeight(shape, text, canvasMeasure),
    get snap() {
      return { zoom, grid: grid ? GRID_SIZE : null, view: visibleArea };
    },
  };
  /** The board area the canvas shows. */
  function visibleArea(): { x: number; y: number; w: number; h: number } {
    const rect = canvasRect();
    return { x: -pan.x / zoom, y: -pan.y / zoom, w: rect.width / zoom, h: rect.height / zoom };
  }
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
        announce(command.text);
        break;
      case "guides":
        renderGuides(guideLayer, command.guides);
        break;
      case "editText":
        startTextEdit(command.id, command.text);
        break;
      default:
        break; // document edits, applied in send()
    }
  }

  // --- text edited in place ------------------------------------------------------------------
  // Each input is its own transaction (others see it at once); the whole edit is one undo step
  // (a new shape's with its drawing, whose pointer-up started it).
  let textEditor: TextEditor | null = null;
  function startTextEdit(id: string, text: string): void {
    const shape = shapesByIds([id])[0];
    if (!shape) return send({ type: "textDone" });
    if (!(state.kind === "editing" && state.isNew)) undo.stopCapturing();
    undo.captureTimeout = Number.POSITIVE_INFINITY;
    textEditor = openTextEditor({ host: canvas, shape, text, view: { pan, zoom }, onInput: (typed) => send({ type: "textInput", text: typed }), onDone: endTextEdit });
    hideEditedText();
  }
  function endTextEdit(refocus: boolean): void {
    textEditor = null;
    send({ type: "textDone" });
    undo.captureTimeout = CAPTURE_MS;
    undo.stopCapturing();
    hideEditedText();
    if (refocus) canvas.focus();
  }
  /** The editor follows its shape as anyone changes it, and closes when it is deleted. */
  function followEditedShape(): void {
    if (!textEditor) return;
    const [shape] = shapesByIds([textEditor.shapeId]);
    if (!shape) return textEditor.close();
    textEditor.show(editableText(shape));
    textEditor.place(shape, { pan, zoom });
    hideEditedText();
  }
  /** The editor follows the view (it lies on the canvas, not in the layer that pans). */
  function placeTextEditor(): void {
    const [shape] = textEditor ? shapesByIds([textEditor.shapeId]) : [];
    if (shape) textEditor?.place(shape, { pan, zoom });
  }
  /** The drawn text of the shape being edited hides under the editor (drawn again on each
   * change, its element is marked again). */
  function hideEditedText(): void {
    shapeLayer.querySelector("[data-editing-text]")?.removeAttribute("data-editing-text");
    if (textEditor) shapeLayer.querySelector(`[data-shape-id="${CSS.escape(textEditor.shapeId)}"]`)?.setAttribute("data-editing-text", "");
  }

  // --- rendering ---------------------------------------------------------------------------
  // Only the shapes near the view are drawn (visible.ts), each drawn again only when it changed
  // (shape-layer.ts); the shapes are drawn again only when they or the drawn region changed.
  // A frame's shapes are drawn clipped to it, and an image as its cache has it: both are part
  // of what a shape's element was drawn from.
  let framesById = new Map<string, Shape>();
  const drawnShapes = keyedLayer(
    elementChildren(shapeLayer),
    (shape) => {
      const element = renderShape(shape, drawing);
      const holder = clippingFrame(shape, framesById);
      return holder ? clippedTo(element, holder) : element;
    },
    (shape) => `${clippingFrame(shape, framesById)?.id ?? ""} ${shape.imageId ? drawing.image(shape.imageId).state : ""}`,
  );
  let region: Box | null = null;
  let shapesChanged = true;
  function cull(size: { w: number; h: number }): void {
    const next = drawRegion(viewBox({ pan, zoom }, size), region);
    if (next === region) return;
    region = next;
    shapesChanged = true;
    schedule();
  }
  let frame = 0;
  const schedule = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (shapesChanged && region) {
        const all = boardShapes();
        framesById = new Map(all.filter(isFrame).map((shape) => [shape.id, shape]));
        const drawn = drawOrder(shapesIn(all, region));
        drawnShapes.draw(drawn, (id) => cache.get(id) !== null);
        followEditedShape();
        frames.show(all);
        // The pointer is always inside the drawn region, so its locked shapes are the ones to hover.
        lockedShapes = drawn.filter((shape) => shape.locked);
        const hoveredId = hoveredLock?.id;
        hoveredLock = lockedShapes.find((shape) => shape.id === hoveredId) ?? null;
      }
      shapesChanged = false;
      minimap.update(); // other people's views too (awareness)
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
  /** Other people's views, for the minimap. */
  function peerViews(): PeerView[] {
    const views: PeerView[] = [];
    awareness.getStates().forEach((peer, clientId) => {
      const seen = clientId === doc.clientID || !peer ? null : readViewport(peer.viewport);
      if (seen) views.push({ color: ((peer.user ?? {}) as { color?: string }).color ?? "#868e96", box: { x: seen.x, y: seen.y, w: seen.width, h: seen.height } });
    });
    return views;
  }
  function renderCommentMarks(): void {
    const marks = [...commented].map(([id, threadId]) => ({ shape: shapeById(id), threadId }));
    renderCommentMarksOf(commentLayer, marks.filter((mark): mark is { shape: Shape; threadId: number } => mark.shape !== null), zoom);
  }
  shapes.observeDeep(() => {
    shapesChanged = true;
    schedule();
  });
  // The drawn region follows the canvas's size too.
  const resized = new ResizeObserver(() => {
    rectOfFrame = null;
    const rect = canvasRect();
    cull({ w: rect.width, h: rect.height });
    // The layers are sized in pixels, not in percent of the canvas: sized in percent, each
    // layout of the page around them (the zoom label's text on every zoom step) would lay out
    // all their shapes again.
    for (const holder of [gridHolder, layer]) {
      holder.setAttribute("width", String(canvas.clientWidth));
      holder.setAttribute("height", String(canvas.clientHeight));
    }
  });
  resized.observe(canvas);
  // Only other people's awareness redraws: this one's own (its pointer, its viewport on each
  // pan and zoom step) has nothing to redraw, and its selection draws at once.
  awareness.on("change", (_changes: unknown, origin: unknown) => {
    if (origin === "local") return;
    schedule();
    trackFollowed();
  });
  applyView();
  setGrid(grid);
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

  // Touch: one finger acts as the mouse does (and a pen always does), two pan and pinch-zoom.
  const touches = new TouchTracker();
  /** A touch event's part in a gesture; true when the machine must not see it. */
  function touch(event: PointerEvent, phase: "down" | "move" | "up"): boolean {
    const rect = canvas.getBoundingClientRect();
    const at = { x: event.clientX - rect.left, y: event.clientY - rect.top };
    const step = phase === "down" ? touches.down(event.pointerId, at, { pan, zoom }) : phase === "move" ? touches.move(event.pointerId, at) : touches.up(event.pointerId);
    if (step.kind === "cancel") send({ type: "cancel" });
    else if (step.kind === "view") {
      ownView();
      ({ pan, zoom } = step.view);
      applyView();
    }
    return step.kind !== "machine";
  }
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
    if (event.pointerType === "touch" && touch(event, "down")) return;
    canvas.focus();
    canvas.setPointerCapture(event.pointerId);
    undo.stopCapturing();
    undo.captureTimeout = Number.POSITIVE_INFINITY;
    send({
      type: "down",
      button: event.button,
      shift: event.shiftKey,
      free: event.altKey || event.ctrlKey || event.metaKey, // no snapping
      point: toBoard(event),
      client: { x: event.clientX, y: event.clientY },
      onHandle: target.closest("[data-handle]") !== null,
      onRotate: target.closest("[data-handle=rotate]") !== null,
      shapeId: shapeIdAt(target, event),
    });
  });
  /** The shape drawn at ``target``, or a connector passing near the pointer. */
  function shapeIdAt(target: Element | null, event: MouseEvent): string | null {
    return target?.closest<SVGGElement>("[data-shape-id]")?.dataset.shapeId ?? connectorNear(toBoard(event), boardShapes(), CONNECTOR_SLOP / zoom);
  }
  canvas.addEventListener("pointermove", (event) => {
    if (event.pointerType === "touch" && touch(event, "move")) return;
    const point = toBoard(event);
    pointer = point;
    sendPointer(point);
    // Alt, Ctrl or Cmd held: the shape goes where the pointer puts it, unsnapped.
    const free = event.altKey || event.ctrlKey || event.metaKey;
    if (state.kind !== "idle" && state.kind !== "editing") send({ type: "move", point, client: { x: event.clientX, y: event.clientY }, shift: event.shiftKey, free });
    else showLockUnder(point);
  });
  const finish = () => {
    send({ type: "up" });
    if (state.kind === "editing") return; // a new shape's text: its edit goes on as the same step
    undo.captureTimeout = CAPTURE_MS;
    undo.stopCapturing();
  };
  const lift = (event: PointerEvent) => {
    if (event.pointerType !== "touch" || !touch(event, "up")) finish();
  };
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);
  canvas.addEventListener("pointerleave", () => {
    pointer = null;
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
    // The press captured the pointer, so the double click's target is the canvas: look under it.
    const id = shapeIdAt(document.elementFromPoint(event.clientX, event.clientY), event);
    if (id) send({ type: "edit", shapeId: id });
  });

  canvas.addEventListener(
    "wheel",
    (event) => {
      event.preventDefault();
      const rect = canvasRect();
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
    } else if (command.kind === "grid") {
      event.preventDefault();
      setGrid(!grid);
    } else if (command.kind === "zoomToFit") {
      event.preventDefault();
      zoomToFit(command.target === "all" ? boardShapes() : shapesByIds(selected));
    } else if (command.kind === "zoomReset" || command.kind === "help") {
      event.preventDefault();
      act(command.kind);
    } else if (command.kind === "minimap") {
      minimap.toggle();
    } else if (command.kind === "export") {
      event.preventDefault();
      exporter.open();
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
    const copied = withFrameMembers(boardShapes(), selected); // a frame goes with its shapes
    const payload = clipboardPayload(copied, current.id);
    event.clipboardData.setData(SHAPES_MIME, payload);
    event.clipboardData.setData("text/plain", payload);
    if (!cut) return;
    select(copied.map((shape) => shape.id));
    send({ type: "key", command: { kind: "delete" } });
  };
  const onCopy = (event: ClipboardEvent) => copy(event, false);
  const onCut = (event: ClipboardEvent) => copy(event, true);
  /** A paste from another app: its text (a link too) as a text shape under the pointer, or
   * in the middle of the view; null when there is nothing to paste. Image files are left to
   * the image paste in onPaste (the text beside them is only a name). */
  function pasteFromOutside(data: DataTransfer): Extract<Event, { type: "paste" }> | null {
    if (imageFiles(data).length > 0) return null;
    const text = outsideText(data);
    if (text === null) return null;
    const view = visibleArea();
    const at = pointer ?? { x: view.x + view.w / 2, y: view.y + view.h / 2 };
    return { type: "paste", shapes: [pastedTextShape(text, at, view, style.color, canvasMeasure)], offset: 0 };
  }
  const onPaste = (event: ClipboardEvent) => {
    if (document.activeElement !== canvas || !event.clipboardData) return;
    const data = event.clipboardData;
    const text = data.getData(SHAPES_MIME) || data.getData("text/plain");
    const shapes = parsePayload(text);
    const files = shapes ? [] : imageFiles(data);
    if (files.length > 0) {
      // Image files (a screenshot, an image copied in a browser) upload as image shapes.
      event.preventDefault();
      if (canWrite) images.paste(files);
      return;
    }
    const paste = shapes ? { type: "paste" as const, shapes } : pasteFromOutside(data);
    if (!paste) return;
    event.preventDefault();
    undo.stopCapturing();
    // Images from another board are copied into this one first (images.ts).
    const source = payloadSource(text);
    if (shapes && source && source !== current.id && shapes.some((shape) => shape.type === "image")) {
      void images.copiedFrom(shapes, source).then((copied) => send({ type: "paste", shapes: copied }));
      return;
    }
    send(paste);
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
      textEditor?.close(); // its edit ends as any other does
      stopStatus();
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCut);
      document.removeEventListener("paste", onPaste);
      images.destroy();
      undo.destroy();
      resized.disconnect();
      cache.destroy();
      commentListeners.clear();
      return connection.destroy(options);
    },
  };
}
