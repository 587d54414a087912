// The whiteboard's interaction state machine, as Excalidraw and tldraw build theirs: a pure
// transition from (state, event, scene) to a new state and the commands the board carries out.
// The board applies each transition's document commands in one Yjs transaction.

import { bindingAt, endRebound, movedWithConnectors, unbindFrom } from "./connector";
import { keepsNewText, sizeAfterClick } from "./create";
import { isLine, type Point } from "./geometry";
import { groupOf, grouped, ungrouped, withGroups } from "./groups";
import type { KeyCommand } from "./keys";
import { lockToggled, unlocked, unlockedAll } from "./lock";
import type { ConnectorStyle, Shape, ShapeType, Style } from "./model";
import { pressAction } from "./press";
import { dragAngle, pivotOf, rotatedAll, rotationOf } from "./rotate";
import { boxBetween, copiesOf, resizedAll, restacked, shapesInBox, united, type Box, type Changes } from "./selection";
import type { Tool } from "./tools";

// How far pasted and duplicated shapes land from their originals.
export const PASTE_OFFSET = 20;

export type State =
  | { kind: "idle" }
  | { kind: "pointing"; id: string; from: Point; starts: Shape[] } // pressed a shape, not moved yet
  | { kind: "dragging"; from: Point; starts: Shape[] }
  | { kind: "marquee"; from: Point; keep: string[] }
  | { kind: "resizing"; from: Point; starts: Shape[] }
  | { kind: "rotating"; from: Point; pivot: Point; starts: Shape[] }
  | { kind: "drawing"; shape: Shape; from: Point }
  | { kind: "panning"; from: Point; start: Point } // client coordinates and the pan at the press
  | { kind: "editing"; id: string; isNew: boolean };

export type Event =
  | { type: "down"; button: number; shift: boolean; point: Point; client: Point; shapeId: string | null; onHandle: boolean; onRotate?: boolean }
  | { type: "move"; point: Point; client: Point; shift?: boolean } // shift: snap a rotation
  | { type: "unlock"; shapeId: string } // the lock mark of a locked shape clicked
  | { type: "up" }
  | { type: "edit"; shapeId: string } // a double click
  | { type: "textDone"; text: string | null }
  | { type: "key"; command: KeyCommand }
  | { type: "paste"; shapes: Shape[] };

export type Command =
  | { kind: "select"; ids: string[] }
  | { kind: "add"; shapes: Shape[] }
  | { kind: "change"; changes: Changes }
  | { kind: "remove"; ids: string[] }
  | { kind: "pan"; pan: Point }
  | { kind: "marquee"; box: Box | null }
  | { kind: "editText"; id: string; type: ShapeType; text: string }
  | { kind: "tool"; tool: Tool }
  | { kind: "announce"; text: string };

/** What the machine reads of the board; ``newId`` and ``now`` are injectable for tests. */
export interface Scene {
  tool: Tool;
  canWrite: boolean;
  selected: string[];
  pan: Point;
  style: Style; // for the next shape drawn
  connectorStyle: ConnectorStyle; // for the next line or arrow drawn
  shapes(): Shape[]; // the whole board, bottom to top
  newId(): string;
  now(): number;
  /** The height a text shape or sticky note needs to show ``text`` wrapped in its width. */
  fitHeight(shape: Shape, text: string): number;
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
      if (!scene.canWrite || (shape.type !== "text" && shape.type !== "sticky" && !isLine(shape.type))) return stay(state);
      return { state: { kind: "editing", id: shape.id, isNew: false }, commands: [{ kind: "editText", id: shape.id, type: shape.type, text: shape.text }] };
    }
    case "textDone":
      return state.kind === "editing" ? textDone(state, event.text, scene) : stay(state);
    case "key":
      return state.kind === "idle" ? key(event.command, scene) : stay(state);
    case "unlock": {
      if (state.kind !== "idle" || !scene.canWrite) return stay(state);
      const changes = unlockedAll(scene.shapes(), groupOf(scene.shapes(), event.shapeId));
      return { state, commands: [{ kind: "change", changes }, { kind: "announce", text: "Unlocked" }] };
    }
    case "paste": {
      if (state.kind !== "idle" || !scene.canWrite || event.shapes.length === 0) return stay(state);
      const top = Math.max(0, ...scene.shapes().map((shape) => shape.z));
      const copies = copiesOf(event.shapes, PASTE_OFFSET, top, scene.newId);
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
      const starts = changeable(scene);
      const pivot = pivotOf(starts);
      return pivot ? { state: { kind: "rotating", from: at, pivot, starts }, commands: [] } : stay(IDLE);
    }
    case "select": {
      const chosen = new Set(action.ids);
      const starts = unlocked(scene.shapes().filter((shape) => chosen.has(shape.id)));
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
      const shape: Shape = {
        id: scene.newId(),
        type: action.type,
        x: at.x,
        y: at.y,
        w: 0,
        h: 0,
        text: "",
        points: action.type === "pen" ? [0, 0] : [],
        z: scene.now(),
        ...scene.style,
        ...(isLine(action.type) ? scene.connectorStyle : {}),
      };
      // A connector drawn from a shape starts bound to it.
      const binding = isLine(action.type) ? bindingAt(at, scene.shapes()) : null;
      if (binding) shape.startBinding = binding;
      return { state: { kind: "drawing", shape, from: at }, commands: [{ kind: "add", shapes: [shape] }] };
    }
  }
}

function drag(state: State, { point, client, shift }: Extract<Event, { type: "move" }>, scene: Scene): Step {
  switch (state.kind) {
    case "pointing":
    case "dragging": {
      const next: State = { kind: "dragging", from: state.from, starts: state.starts };
      return { state: next, commands: [{ kind: "change", changes: movedWithConnectors(state.starts, point.x - state.from.x, point.y - state.from.y) }] };
    }
    case "resizing": {
      const changes = resizedAll(state.starts, point.x - state.from.x, point.y - state.from.y);
      const [line] = state.starts;
      // A single line's handle is its end: it binds where it is dropped.
      const rebound = state.starts.length === 1 && isLine(line.type) ? endRebound(line, changes, scene.shapes()) : changes;
      return { state, commands: [{ kind: "change", changes: rebound }] };
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
      const grown: Shape =
        shape.type === "pen"
          ? { ...shape, points: [...shape.points, Math.round(point.x - shape.x), Math.round(point.y - shape.y)] }
          : { ...shape, w: Math.round(point.x - from.x), h: Math.round(point.y - from.y) };
      const changes: Partial<Shape> = shape.type === "pen" ? { points: grown.points } : { w: grown.w, h: grown.h };
      if (isLine(shape.type)) {
        // The end binds to the shape it is over (not the one it started from), and unbinds
        // when it leaves; an end that never bound stores nothing.
        grown.endBinding = bindingAt(point, scene.shapes(), shape.startBinding?.shapeId) ?? undefined;
        if (grown.endBinding || shape.endBinding) changes.endBinding = grown.endBinding ?? null;
      }
      return { state: { kind: "drawing", shape: grown, from }, commands: [{ kind: "change", changes: { [shape.id]: changes } }] };
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
    case "drawing": {
      const { shape } = state;
      const size = sizeAfterClick(shape);
      const commands: Command[] = size ? [{ kind: "change", changes: { [shape.id]: size } }] : [];
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

function textDone(state: Extract<State, { kind: "editing" }>, text: string | null, scene: Scene): Step {
  const shape = scene.shapes().find((other) => other.id === state.id);
  if (!shape) return stay(IDLE);
  if (state.isNew && (text === null || !keepsNewText(shape.type, text))) {
    return { state: IDLE, commands: [{ kind: "remove", ids: [shape.id] }, { kind: "select", ids: [] }] };
  }
  if (text === null) return stay(IDLE);
  if (isLine(shape.type)) return { state: IDLE, commands: [{ kind: "change", changes: { [shape.id]: { text } } }] }; // a label
  // The shape grows to show all of its wrapped text; it never shrinks below its drawn size.
  const h = Math.max(Math.abs(shape.h), scene.fitHeight(shape, text));
  const commands: Command[] = [{ kind: "change", changes: { [shape.id]: { text, h } } }];
  if (state.isNew) commands.push({ kind: "announce", text: `${shape.type} added` });
  return { state: IDLE, commands };
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
      // Connectors bound to what goes stay, their ends where they were.
      const unbound = unbindFrom(scene.shapes(), ids);
      if (Object.keys(unbound).length > 0) commands.push({ kind: "change", changes: unbound });
      commands.push({ kind: "remove", ids }, { kind: "select", ids: [] }, { kind: "announce", text: `${ids.length} deleted` });
      break;
    }
    case "nudge":
      // A locked selection stays put; without a selection (or for a viewer) the arrows pan.
      if (scene.canWrite && selection.length > 0) {
        if (free.length > 0) commands.push({ kind: "change", changes: movedWithConnectors(free, command.dx, command.dy) });
      } else commands.push({ kind: "pan", pan: { x: scene.pan.x - command.dx * 40, y: scene.pan.y - command.dy * 40 } });
      break;
    case "duplicate": {
      if (!scene.canWrite || selection.length === 0) break;
      const top = Math.max(0, ...scene.shapes().map((shape) => shape.z));
      const copies = copiesOf(selection, PASTE_OFFSET, top, scene.newId);
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
    default:
      break; // undo, redo and zoom belong to the board
  }
  return { state: IDLE, commands };
}
