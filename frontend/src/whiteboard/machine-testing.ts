// What the interaction machine's tests share: a shape, a scene around a board, and the
// pointer events a gesture is made of.

import type { Command, Event, Scene, State } from "./machine";
import type { Shape } from "./model";

export function shape(id: string, changes: Partial<Shape> = {}): Shape {
  return { id, type: "rect", x: 0, y: 0, w: 10, h: 10, color: "#000000", text: "", points: [], z: 1, ...changes };
}

/** A scene showing ``board``, new ids numbered from 1, each line of text 20 units high. */
export function sceneOf(board: Shape[], changes: Partial<Scene> = {}): Scene {
  let next = 0;
  return {
    tool: "select",
    canWrite: true,
    selected: [],
    pan: { x: 0, y: 0 },
    style: { color: "#e03131", strokeWidth: 4, dash: "dashed", fill: "", opacity: 0.5 },
    connectorStyle: {},
    shapes: () => board,
    newId: () => `new${++next}`,
    now: () => 1000,
    fitHeight: (_shape, text) => 20 * text.split("\n").length,
    ...changes,
  };
}

export const idle: State = { kind: "idle" };

export const down = (x: number, y: number, changes: Partial<Extract<Event, { type: "down" }>> = {}): Event => ({
  type: "down",
  button: 0,
  shift: false,
  point: { x, y },
  client: { x, y },
  shapeId: null,
  onHandle: false,
  ...changes,
});

export const move = (x: number, y: number, shift = false): Event => ({ type: "move", point: { x, y }, client: { x, y }, shift });

/** The changes among ``commands``, in order. */
export const changesOf = (commands: Command[]) => commands.filter((command) => command.kind === "change").map((command) => (command as { changes: unknown }).changes);
