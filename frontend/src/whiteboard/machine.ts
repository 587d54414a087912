// The whiteboard's interaction state machine, as Excalidraw and tldraw build theirs: a pure
// transition from (state, event, scene) to a new state and the commands the board carries out.
// The board applies each transition's document commands in one Yjs transaction.

import { arranged, arrangeLabel, unitsNeeded, unitsToArrange } from "./arrange";
import { bindingAt, endRebound, movedWithConnectors, unbindFrom } from "./connector";
import { keepsNewText, sizeAfterClick } from "./create";
import { adoptedBy, membershipAfterMove, movedWithMembership, movingWith, newFrameTitle, releasedFrom, withFrameMembers, withoutMissingFrames } from "./frames";
import { isLine, type Point } from "./geometry";
import { groupOf, grouped, ungrouped, withGroups } from "./groups";
import type { KeyCommand } from "./keys";
import { lockToggled, unlocked, unlockedAll } from "./lock";
import type { ConnectorStyle, Shape, ShapeType, Style, TextStyle } from "./model";
import { aspectDelta, keepsAspect } from "./image-place";
import { pressAction } from "./press";
import { dragAngle, pivotOf, rotatedAll, rotationOf } from "./rotate";
import { boxBetween, copiesOf, resizedAll, restacked, shapesInBox, united, type Box, type Changes } from "./selection";
import { NO_SNAP, snapMove, snapPoint, snapResize, snapsWhileDrawing, snapTargets, type Guide, type SnapSettings, type SnapTargets } from "./snap";
import { editableText, hasEditableText } from "./text";
import { fittedAll, grownToFit, textStyleFor } from "./text-fit";
import type { Tool } from "./tools";

// How far pasted and duplicated shapes land from their originals.
export const PASTE_OFFSET = 20;

export type State =
  | { kind: "idle" }
  | { kind: "pointing"; id: string; from: Point; starts: Shape[] } // pressed a shape, not moved yet
  | { kind: "dragging"; from: Point; starts: Shape[]; snap?: Snapping }
  | { kind: "marquee"; from: Point; keep: string[] }
  | { kind: "resizing"; from: Point; starts: Shape[]; snap?: Snapping }
  | { kind: "rotating"; from: Point; pivot: Point; starts: Shape[] }
  | { kind: "drawing"; shape: Shape; from: Point; snap?: Snapping }
  | { kind: "panning"; from: Point; start: Point } // client coordinates and the pan at the press
  | { kind: "editing"; id: string; isNew: boolean };

/** A drag's snapping: the lines gathered when it started moving (or drawing), and whether
 * guides are shown. */
export interface Snapping {
  targets: SnapTargets;
  guided: boolean;
}

export type Event =
  | { type: "down"; button: number; shift: boolean; point: Point; client: Point; shapeId: string | null; onHandle: boolean; onRotate?: boolean; free?: boolean }
  // shift: snap a rotation; free: Alt/Ctrl/Cmd held, no snapping
  | { type: "move"; point: Point; client: Point; shift?: boolean; free?: boolean }
  | { type: "unlock"; shapeId: string } // the lock mark of a locked shape clicked
  | { type: "up" }
  | { type: "edit"; shapeId: string } // a double click
  | { type: "textInput"; text: string } // each input of the text editor, written as it is typed
  | { type: "textDone" } // the text editor closed (its text is already written)
  | { type: "key"; command: KeyCommand }
  | { type: "paste"; shapes: Shape[]; offset?: number } // offset: from the originals (PASTE_OFFSET)
  | { type: "cancel" }; // a second finger landed: the first finger's drag is taken back

export type Command =
  | { kind: "select"; ids: string[] }
  | { kind: "add"; shapes: Shape[] }
  | { kind: "change"; changes: Changes }
  | { kind: "remove"; ids: string[] }
  | { kind: "pan"; pan: Point }
  | { kind: "marquee"; box: Box | null }
  | { kind: "editText"; id: string; type: ShapeType; text: string }
  | { kind: "tool"; tool: Tool }
  | { kind: "announce"; text: string }
  | { kind: "guides"; guides: Guide[] }; // snap guides to draw, [] to clear

/** What the machine reads of the board; ``newId`` and ``now`` are injectable for tests. */
export interface Scene {
  tool: Tool;
  canWrite: boolean;
  selected: string[];
  pan: Point;
  style: Style; // for the next shape drawn
  connectorStyle: ConnectorStyle; // for the next line or arrow drawn
  textStyle?: TextStyle; // font size and alignment for the next shape that holds text
  shapes(): Shape[]; // the whole board, bottom to top
  newId(): string;
  now(): number;
  /** The height a shape needs to show ``text`` wrapped in its width (text.ts). */
  fitHeight(shape: Shape, text: string): number;
  snap?: SnapSettings; // absent: nothing snaps
}

export interface Step {
  state: State;
  commands: Command[];
}

const IDLE: State = { kind: "idle" };
const stay = (state: State): Step => ({ state, commands: [] });

function selectedShapes(scene: Scene): Shape[] {
  const chosen = new Set(scene.selected);
  return scene.shapes().filter((shape) => chosen.has(shape.id));
}

/** The selected shapes that may change (locked ones stay as they are). */
function changeable(scene: Scene): Shape[] {
  return unlocked(selectedShapes(scene));
}

export function transition(state: State, event: Event, scene: Scene): Step {
  switch (event.type) {
    case "down":
      return state.kind === "idle" ? press(event, scene) : stay(state);
    case "move":
      return drag(state, event, scene);
    case "up":
      return release(state, scene);
    case "edit": {
      const shape = scene.shapes().find((other) => other.id === event.shapeId);
      if (state.kind !== "idle" || !shape || shape.locked) return stay(state);
      // A double click inside a selected group reaches the one shape under the pointer.
      if (shape.groupId && (scene.selected.length !== 1 || scene.selected[0] !== shape.id)) return { state, commands: [{ kind: "select", ids: [shape.id] }] };
      if (!scene.canWrite || !hasEditableText(shape)) return stay(state);
      return { state: { kind: "editing", id: shape.id, isNew: false }, commands: [{ kind: "editText", id: shape.id, type: shape.type, text: editableText(shape) }] };
    }
    case "textInput":
      return state.kind === "editing" ? textInput(state, event.text, scene) : stay(state);
    case "textDone":
      return state.kind === "editing" ? textDone(state, scene) : stay(state);
    case "key":
      // Enter edits the text of the one selected shape, as a double click does.
      if (event.command.kind === "editText") return scene.selected.length === 1 ? transition(state, { type: "edit", shapeId: scene.selected[0] }, scene) : stay(state);
      return state.kind === "idle" ? key(event.command, scene) : stay(state);
    case "cancel":
      return cancel(state);
    case "unlock": {
      if (state.kind !== "idle" || !scene.canWrite) return stay(state);
      const changes = unlockedAll(scene.shapes(), groupOf(scene.shapes(), event.shapeId));
      return { state, commands: [{ kind: "change", changes }, { kind: "announce", text: "Unlocked" }] };
    }
    case "paste": {
      if (state.kind !== "idle" || !scene.canWrite || event.shapes.length === 0) return stay(state);
      const top = Math.max(0, ...scene.shapes().map((shape) => shape.z));
      const copies = withoutMissingFrames(copiesOf(event.shapes, event.offset ?? PASTE_OFFSET, top, scene.newId), scene.shapes());
      const ids = copies.map((shape) => shape.id);
      return { state, commands: [{ kind: "add", shapes: copies }, { kind: "select", ids }, { kind: "announce", text: `${ids.length} pasted` }] };
    }
  }
}

function press(event: Extract<Event, { type: "down" }>, scene: Scene): Step {
  // A locked shape is not there for the pointer: the press lands on what is under it.
  const pressed = event.shapeId ? scene.shapes().find((shape) => shape.id === event.shapeId) : undefined;
  const shapeId = pressed && !pressed.locked ? pressed.id : null;
  const group = shapeId ? groupOf(scene.shapes(), shapeId) : undefined;
  const action = pressAction({ ...event, shapeId, group, tool: scene.tool, canWrite: scene.canWrite, selected: scene.selected });
  const at = event.point;
  switch (action.kind) {
    case "ignore":
      return stay(IDLE);
    case "resize": {
      const starts = changeable(scene);
      return starts.length > 0 ? { state: { kind: "resizing", from: at, starts }, commands: [] } : stay(IDLE);
    }
    case "rotate": {
      // A frame's box turns about the pivot (it never rotates) and its shapes turn with it.
      const starts = movingWith(scene.shapes(), scene.selected);
      const pivot = pivotOf(starts);
      return pivot ? { state: { kind: "rotating", from: at, pivot, starts }, commands: [] } : stay(IDLE);
    }
    case "select": {
      const starts = movingWith(scene.shapes(), action.ids); // a frame moves its shapes; locked ones stay
      const commands: Command[] = [{ kind: "select", ids: action.ids }];
      if (!action.move) return { state: IDLE, commands };
      const next: State = event.shift ? { kind: "dragging", from: at, starts } : { kind: "pointing", id: shapeId!, from: at, starts };
      return { state: next, commands };
    }
    case "marquee":
      return { state: { kind: "marquee", from: at, keep: action.keep }, commands: [{ kind: "select", ids: action.keep }] };
    case "pan":
      return { state: { kind: "panning", from: event.client, start: scene.pan }, commands: action.deselect ? [{ kind: "select", ids: [] }] : [] };
    case "draw": {
      // A box starts snapped, to the other shapes or the grid, as it goes on while drawn.
      const targets = snapsWhileDrawing(action.type) ? snapping(IDLE, [], scene) : null;
      const snap = targets && !event.free ? snapPoint(at, { ...at, w: 0, h: 0 }, targets, scene.snap!) : NO_SNAP;
      const start = { x: at.x + snap.dx, y: at.y + snap.dy };
      const shape: Shape = {
        id: scene.newId(),
        type: action.type,
        x: start.x,
        y: start.y,
        w: 0,
        h: 0,
        text: action.type === "frame" ? newFrameTitle(scene.shapes()) : "",
        points: action.type === "pen" ? [0, 0] : [],
        z: scene.now(),
        ...scene.style,
        ...(isLine(action.type) ? scene.connectorStyle : {}),
        ...textStyleFor(action.type, scene.textStyle ?? {}),
      };
      // A connector drawn from a shape starts bound to it.
      const binding = isLine(action.type) ? bindingAt(at, scene.shapes()) : null;
      if (binding) shape.startBinding = binding;
      const drawing: State = { kind: "drawing", shape, from: start, snap: targets ? { targets, guided: snap.guides.length > 0 } : undefined };
      return { state: drawing, commands: [{ kind: "add", shapes: [shape] }, ...guidesShown(IDLE, snap.guides)] };
    }
  }
}

/** The snap targets of a drag of ``starts`` (gathered once, at its first move), and the
 * guides command when they appear, change or go. */
function snapping(state: State, starts: Shape[], scene: Scene): SnapTargets | null {
  if (!scene.snap) return null;
  if ((state.kind === "dragging" || state.kind === "resizing") && state.snap) return state.snap.targets;
  return snapTargets(scene.shapes(), new Set(starts.map((shape) => shape.id)), scene.snap.view());
}
function guidesShown(state: State, guides: Guide[]): Command[] {
  return guides.length > 0 || guided(state) ? [{ kind: "guides", guides }] : [];
}
function guided(state: State): boolean {
  return "snap" in state && state.snap?.guided === true;
}

// A press moves its shape once the pointer went this far (screen px): a click stays a click.
const DRAG_START = 3;

function drag(state: State, { point, client, shift, free }: Extract<Event, { type: "move" }>, scene: Scene): Step {
  switch (state.kind) {
    case "pointing":
    case "dragging": {
      let dx = point.x - state.from.x;
      let dy = point.y - state.from.y;
      if (state.kind === "pointing" && Math.hypot(dx, dy) < DRAG_START / (scene.snap?.zoom ?? 1)) return stay(state);
      const targets = snapping(state, state.starts, scene);
      const snap = targets && !free ? snapMove(state.starts, dx, dy, targets, scene.snap!) : NO_SNAP;
      dx += snap.dx;
      dy += snap.dy;
      const next: State = { kind: "dragging", from: state.from, starts: state.starts, snap: targets ? { targets, guided: snap.guides.length > 0 } : undefined };
      return { state: next, commands: [{ kind: "change", changes: movedWithConnectors(state.starts, dx, dy) }, ...guidesShown(state, snap.guides)] };
    }
    case "resizing": {
      let dx = point.x - state.from.x;
      let dy = point.y - state.from.y;
      const targets = snapping(state, state.starts, scene);
      const snap = targets && !free ? snapResize(state.starts, dx, dy, targets, scene.snap!) : NO_SNAP;
      dx += snap.dx;
      dy += snap.dy;
      // Images keep their aspect ratio unless Shift is held.
      if (keepsAspect(state.starts, shift ?? false)) ({ dx, dy } = aspectDelta(state.starts, dx, dy));
      // A box that holds text stays tall enough for it as it narrows.
      const changes = fittedAll(state.starts, resizedAll(state.starts, dx, dy), scene.fitHeight);
      const [line] = state.starts;
      // A single line's handle is its end: it binds where it is dropped.
      const rebound = state.starts.length === 1 && isLine(line.type) ? endRebound(line, changes, scene.shapes()) : changes;
      const next: State = { ...state, snap: targets ? { targets, guided: snap.guides.length > 0 } : undefined };
      return { state: next, commands: [{ kind: "change", changes: rebound }, ...guidesShown(state, snap.guides)] };
    }
    case "rotating": {
      // A lone shape snaps to whole 15 degree steps of its own rotation; a selection turns by them.
      const base = state.starts.length === 1 ? rotationOf(state.starts[0]) : 0;
      const angle = dragAngle(state.pivot, state.from, point, shift === true, base);
      return { state, commands: [{ kind: "change", changes: rotatedAll(state.starts, state.pivot, angle) }] };
    }
    case "marquee": {
      const box = boxBetween(state.from, point);
      const caught = withGroups(scene.shapes(), shapesInBox(unlocked(scene.shapes()), box));
      return { state, commands: [{ kind: "marquee", box }, { kind: "select", ids: united(state.keep, caught) }] };
    }
    case "panning":
      return { state, commands: [{ kind: "pan", pan: { x: state.start.x + client.x - state.from.x, y: state.start.y + client.y - state.from.y } }] };
    case "drawing": {
      const { shape, from } = state;
      const targets = state.snap?.targets;
      const snap = targets && !free ? snapPoint(point, boxBetween(from, point), targets, scene.snap!) : NO_SNAP;
      const end = { x: point.x + snap.dx, y: point.y + snap.dy };
      const grown: Shape =
        shape.type === "pen"
          ? { ...shape, points: [...shape.points, Math.round(point.x - shape.x), Math.round(point.y - shape.y)] }
          : { ...shape, w: Math.round(end.x - from.x), h: Math.round(end.y - from.y) };
      const changes: Partial<Shape> = shape.type === "pen" ? { points: grown.points } : { w: grown.w, h: grown.h };
      if (isLine(shape.type)) {
        // The end binds to the shape it is over (not the one it started from), and unbinds
        // when it leaves; an end that never bound stores nothing.
        grown.endBinding = bindingAt(point, scene.shapes(), shape.startBinding?.shapeId) ?? undefined;
        if (grown.endBinding || shape.endBinding) changes.endBinding = grown.endBinding ?? null;
      }
      const next: State = { kind: "drawing", shape: grown, from, snap: state.snap && { ...state.snap, guided: snap.guides.length > 0 } };
      return { state: next, commands: [{ kind: "change", changes: { [shape.id]: changes } }, ...guidesShown(state, snap.guides)] };
    }
    default:
      return stay(state);
  }
}

function release(state: State, scene: Scene): Step {
  switch (state.kind) {
    case "pointing": {
      // A click (no drag) on a shape of a larger selection selects just that shape (its group).
      const group = groupOf(scene.shapes(), state.id);
      const same = group.length === scene.selected.length && group.every((id) => scene.selected.includes(id));
      return { state: IDLE, commands: scene.selected.length > 1 && !same ? [{ kind: "select", ids: group }] : [] };
    }
    case "marquee":
      return { state: IDLE, commands: [{ kind: "marquee", box: null }] }; // its moves selected
    case "dragging":
    case "resizing": {
      // Dropped wholly into a frame, a shape joins it; wholly out of its frame, it leaves.
      const joins = membershipAfterMove(scene.shapes(), state.starts.map((shape) => shape.id));
      const commands: Command[] = Object.keys(joins).length > 0 ? [{ kind: "change", changes: joins }] : [];
      if (guided(state)) commands.push({ kind: "guides", guides: [] });
      return { state: IDLE, commands };
    }
    case "drawing": {
      const { shape } = state;
      const size = sizeAfterClick(shape);
      const commands: Command[] = size ? [{ kind: "change", changes: { [shape.id]: size } }] : [];
      if (shape.type === "frame") {
        const adopted = adoptedBy({ ...shape, ...size }, scene.shapes());
        if (Object.keys(adopted).length > 0) commands.push({ kind: "change", changes: adopted });
      }
      if (guided(state)) commands.push({ kind: "guides", guides: [] });
      commands.push({ kind: "select", ids: [shape.id] }, { kind: "tool", tool: "select" });
      if (shape.type === "text" || shape.type === "sticky") {
        commands.push({ kind: "editText", id: shape.id, type: shape.type, text: "" });
        return { state: { kind: "editing", id: shape.id, isNew: true }, commands };
      }
      commands.push({ kind: "announce", text: `${shape.type} added` });
      return { state: IDLE, commands };
    }
    case "editing":
      return stay(state);
    default:
      return stay(IDLE);
  }
}

/** What typing ``text`` into ``shape`` writes: a connector's label or a frame's title as it
 * is, an image's alt text, else the text with its box grown to show all of it wrapped (it never
 * shrinks below its drawn size). */
function typed(shape: Shape, text: string, scene: Scene): Partial<Shape> {
  if (isLine(shape.type) || shape.type === "frame") return { text };
  if (shape.type === "image") return { alt: text };
  return { text, ...grownToFit(shape, text, scene.fitHeight) };
}

function textInput(state: Extract<State, { kind: "editing" }>, text: string, scene: Scene): Step {
  const shape = scene.shapes().find((other) => other.id === state.id);
  if (!shape) return stay(IDLE); // deleted by someone else: the board closes the editor
  return { state, commands: [{ kind: "change", changes: { [shape.id]: typed(shape, text, scene) } }] };
}

/** The edit ends: a new text shape left empty goes; an alt text loses its outer spaces. */
function textDone(state: Extract<State, { kind: "editing" }>, scene: Scene): Step {
  const shape = scene.shapes().find((other) => other.id === state.id);
  if (!shape) return stay(IDLE);
  if (state.isNew && !keepsNewText(shape.type, shape.text)) {
    return { state: IDLE, commands: [{ kind: "remove", ids: [shape.id] }, { kind: "select", ids: [] }] };
  }
  const alt = shape.alt ?? "";
  if (shape.type === "image" && alt.trim() !== alt) return { state: IDLE, commands: [{ kind: "change", changes: { [shape.id]: { alt: alt.trim() } } }] };
  return { state: IDLE, commands: state.isNew ? [{ kind: "announce", text: `${shape.type} added` }] : [] };
}

function key(command: KeyCommand, scene: Scene): Step {
  const selection = selectedShapes(scene);
  const free = unlocked(selection);
  const commands: Command[] = [];
  switch (command.kind) {
    case "selectAll":
      commands.push({ kind: "select", ids: unlocked(scene.shapes()).map((shape) => shape.id) });
      break;
    case "deselect":
      commands.push({ kind: "select", ids: [] });
      break;
    case "delete": {
      if (!scene.canWrite || free.length === 0) break;
      const ids = free.map((shape) => shape.id);
      // Connectors bound to what goes stay, their ends where they were; a frame's shapes stay.
      const unbound = unbindFrom(scene.shapes(), ids);
      for (const [id, change] of Object.entries(releasedFrom(scene.shapes(), ids))) unbound[id] = { ...unbound[id], ...change };
      if (Object.keys(unbound).length > 0) commands.push({ kind: "change", changes: unbound });
      commands.push({ kind: "remove", ids }, { kind: "select", ids: [] }, { kind: "announce", text: `${ids.length} deleted` });
      break;
    }
    case "nudge":
      // A locked selection stays put (a frame's locked shapes too); without a selection (or for
      // a viewer) the arrows pan.
      if (scene.canWrite && selection.length > 0) {
        const moving = movingWith(scene.shapes(), scene.selected);
        const moved = movedWithConnectors(moving, command.dx, command.dy);
        if (moving.length > 0) commands.push({ kind: "change", changes: movedWithMembership(scene.shapes(), moved, moving.map((shape) => shape.id)) });
      } else commands.push({ kind: "pan", pan: { x: scene.pan.x - command.dx * 40, y: scene.pan.y - command.dy * 40 } });
      break;
    case "duplicate": {
      if (!scene.canWrite || selection.length === 0) break;
      const top = Math.max(0, ...scene.shapes().map((shape) => shape.z));
      const copies = copiesOf(withFrameMembers(scene.shapes(), scene.selected), PASTE_OFFSET, top, scene.newId);
      commands.push({ kind: "add", shapes: copies }, { kind: "select", ids: copies.map((shape) => shape.id) });
      break;
    }
    case "restack":
      if (scene.canWrite && free.length > 0) commands.push({ kind: "change", changes: restacked(scene.shapes(), free.map((shape) => shape.id), command.direction) });
      break;
    case "group":
      if (scene.canWrite && selection.length > 1) commands.push({ kind: "change", changes: grouped(selection, scene.newId()) }, { kind: "announce", text: `${selection.length} grouped` });
      break;
    case "ungroup": {
      const changes = ungrouped(selection);
      if (scene.canWrite && Object.keys(changes).length > 0) commands.push({ kind: "change", changes }, { kind: "announce", text: "Ungrouped" });
      break;
    }
    case "lock": {
      const changes = lockToggled(selection);
      const locking = Object.values(changes).some((change) => change.locked);
      if (scene.canWrite && selection.length > 0) commands.push({ kind: "change", changes }, { kind: "announce", text: locking ? `${selection.length} locked` : `${selection.length} unlocked` });
      break;
    }
    case "unlockAll": {
      const changes = unlockedAll(scene.shapes());
      if (scene.canWrite && Object.keys(changes).length > 0) commands.push({ kind: "change", changes }, { kind: "announce", text: `${Object.keys(changes).length} unlocked` });
      break;
    }
    case "tool":
      if (scene.canWrite) commands.push({ kind: "tool", tool: command.tool });
      break;
    case "arrange": {
      if (!scene.canWrite) break;
      const { arrangement } = command;
      const needed = unitsNeeded(arrangement);
      if (unitsToArrange(selection).length < needed) {
        commands.push({ kind: "announce", text: `Select ${needed} or more shapes to ${arrangement.kind}` });
        break;
      }
      const moved = arranged(selection, arrangement, scene.shapes());
      // Where a shape lands decides its frame, as after a drag.
      if (Object.keys(moved).length > 0) commands.push({ kind: "change", changes: movedWithMembership(scene.shapes(), moved, Object.keys(moved)) });
      commands.push({ kind: "announce", text: `${arrangeLabel(arrangement)}: ${selection.length} shapes` });
      break;
    }
    default:
      break; // undo, redo and zoom belong to the board
  }
  return { state: IDLE, commands };
}

/** Takes back what a press-and-drag did so far: a shape being drawn goes, moved, resized or
 * turned shapes go back where they started (with their connectors' bindings), guides go. */
function cancel(state: State): Step {
  const hideGuides: Command[] = guided(state) ? [{ kind: "guides", guides: [] }] : [];
  switch (state.kind) {
    case "drawing":
      return { state: IDLE, commands: [{ kind: "remove", ids: [state.shape.id] }, { kind: "select", ids: [] }, ...hideGuides] };
    case "dragging":
    case "resizing":
    case "rotating": {
      const changes: Changes = {};
      for (const start of state.starts) {
        const { x, y, w, h, points } = start;
        changes[start.id] = isLine(start.type) ? { x, y, w, h, startBinding: start.startBinding ?? null, endBinding: start.endBinding ?? null } : { x, y, w, h, points };
        if (state.kind === "rotating" && !isLine(start.type)) changes[start.id].rotation = start.rotation; // undefined: removed again
      }
      return { state: IDLE, commands: [{ kind: "change", changes }, ...hideGuides] };
    }
    case "marquee":
      return { state: IDLE, commands: [{ kind: "marquee", box: null }, { kind: "select", ids: state.keep }] };
    case "editing":
      return stay(state);
    default:
      return stay(IDLE);
  }
}
