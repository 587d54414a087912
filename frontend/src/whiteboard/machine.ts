// The whiteboard's interaction state machine, as Excalidraw and tldraw build theirs: a pure
// transition from (state, event, scene) to a new state and the commands the board carries out.
// The board applies each transition's document commands in one Yjs transaction.

import { bindingAt, endRebound, movedWithConnectors, unbindFrom } from "./connector";
import { keepsNewText, sizeAfterClick } from "./create";
import { isLine, type Point } from "./geometry";
import type { KeyCommand } from "./keys";
import type { ConnectorStyle, Shape, ShapeType, Style } from "./model";
import { pressAction } from "./press";
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
  | { kind: "drawing"; shape: Shape; from: Point }
  | { kind: "panning"; from: Point; start: Point } // client coordinates and the pan at the press
  | { kind: "editing"; id: string; isNew: boolean };

export type Event =
  | { type: "down"; button: number; shift: boolean; point: Point; client: Point; shapeId: string | null; onHandle: boolean }
  | { type: "move"; point: Point; client: Point }
  | { type: "up" }
  | { type: "edit"; shapeId: string } // a double click
  | { type: "textDone"; text: string | null }
  | { type: "key"; command: KeyCommand }
  | { type: "paste"; shapes: Shape[] }
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
      if (state.kind !== "idle" || !scene.canWrite || !shape || (shape.type !== "text" && shape.type !== "sticky" && !isLine(shape.type))) return stay(state);
      return { state: { kind: "editing", id: shape.id, isNew: false }, commands: [{ kind: "editText", id: shape.id, type: shape.type, text: shape.text }] };
    }
    case "textDone":
      return state.kind === "editing" ? textDone(state, event.text, scene) : stay(state);
    case "key":
      return state.kind === "idle" ? key(event.command, scene) : stay(state);
    case "cancel":
      return cancel(state);
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
  const action = pressAction({ ...event, tool: scene.tool, canWrite: scene.canWrite, selected: scene.selected });
  const at = event.point;
  switch (action.kind) {
    case "ignore":
      return stay(IDLE);
    case "resize":
      return { state: { kind: "resizing", from: at, starts: selectedShapes(scene) }, commands: [] };
    case "select": {
      const chosen = new Set(action.ids);
      const starts = scene.shapes().filter((shape) => chosen.has(shape.id));
      const commands: Command[] = [{ kind: "select", ids: action.ids }];
      if (!action.move) return { state: IDLE, commands };
      const next: State = event.shift ? { kind: "dragging", from: at, starts } : { kind: "pointing", id: event.shapeId!, from: at, starts };
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

function drag(state: State, { point, client }: Extract<Event, { type: "move" }>, scene: Scene): Step {
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
    case "marquee": {
      const box = boxBetween(state.from, point);
      return { state, commands: [{ kind: "marquee", box }, { kind: "select", ids: united(state.keep, shapesInBox(scene.shapes(), box)) }] };
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
    case "pointing":
      // A click (no drag) on a shape of a larger selection selects just that shape.
      return { state: IDLE, commands: scene.selected.length > 1 ? [{ kind: "select", ids: [state.id] }] : [] };
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
  const commands: Command[] = [];
  switch (command.kind) {
    case "selectAll":
      commands.push({ kind: "select", ids: scene.shapes().map((shape) => shape.id) });
      break;
    case "deselect":
      commands.push({ kind: "select", ids: [] });
      break;
    case "delete":
      if (!scene.canWrite || selection.length === 0) break;
      // Connectors bound to what goes stay, their ends where they were.
      const unbound = unbindFrom(scene.shapes(), scene.selected);
      if (Object.keys(unbound).length > 0) commands.push({ kind: "change", changes: unbound });
      commands.push({ kind: "remove", ids: scene.selected }, { kind: "select", ids: [] }, { kind: "announce", text: `${selection.length} deleted` });
      break;
    case "nudge":
      if (scene.canWrite && selection.length > 0) commands.push({ kind: "change", changes: movedWithConnectors(selection, command.dx, command.dy) });
      else commands.push({ kind: "pan", pan: { x: scene.pan.x - command.dx * 40, y: scene.pan.y - command.dy * 40 } });
      break;
    case "duplicate": {
      if (!scene.canWrite || selection.length === 0) break;
      const top = Math.max(0, ...scene.shapes().map((shape) => shape.z));
      const copies = copiesOf(selection, PASTE_OFFSET, top, scene.newId);
      commands.push({ kind: "add", shapes: copies }, { kind: "select", ids: copies.map((shape) => shape.id) });
      break;
    }
    case "restack":
      if (scene.canWrite && selection.length > 0) commands.push({ kind: "change", changes: restacked(scene.shapes(), scene.selected, command.direction) });
      break;
    case "tool":
      if (scene.canWrite) commands.push({ kind: "tool", tool: command.tool });
      break;
    default:
      break; // undo, redo and zoom belong to the board
  }
  return { state: IDLE, commands };
}

/** Takes back what a press-and-drag did so far: a shape being drawn goes, moved or resized
 * shapes go back where they started (with their connectors' bindings). */
function cancel(state: State): Step {
  switch (state.kind) {
    case "drawing":
      return { state: IDLE, commands: [{ kind: "remove", ids: [state.shape.id] }, { kind: "select", ids: [] }] };
    case "dragging":
    case "resizing": {
      const changes: Changes = {};
      for (const start of state.starts) {
        const { x, y, w, h, points } = start;
        changes[start.id] = isLine(start.type) ? { x, y, w, h, startBinding: start.startBinding ?? null, endBinding: start.endBinding ?? null } : { x, y, w, h, points };
      }
      return { state: IDLE, commands: [{ kind: "change", changes }] };
    }
    case "marquee":
      return { state: IDLE, commands: [{ kind: "marquee", box: null }, { kind: "select", ids: state.keep }] };
    case "editing":
      return stay(state);
    default:
      return stay(IDLE);
  }
}
