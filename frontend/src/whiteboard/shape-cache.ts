// The board's shapes as records, kept from the Y.Map "shapes" by its deep observer: a change
// re-reads only the shapes it touched, so drawing and each pointer event do not rebuild 2,000
// records from Yjs. The ordered list and the routed one (connectors' ends on their shapes) are
// rebuilt once after a change, on first use.

import * as Y from "yjs";
import { withConnectorsRouted } from "./connector";
import { readShape, type Shape } from "./model";

export interface ShapeCache {
  /** The shape stored under ``id``, or null. */
  get(id: string): Shape | null;
  /** All shapes bottom first (by ``z``, then id), as ``allShapes`` gives them. */
  ordered(): Shape[];
  /** ``ordered()`` with bound connectors routed (``withConnectorsRouted``). */
  routed(): Shape[];
  /** Stops observing. */
  destroy(): void;
}

/** The ids of the shapes one ``observeDeep`` batch on ``shapes`` touched. */
export function touchedIds(shapes: Y.Map<unknown>, events: Y.YEvent<Y.AbstractType<unknown>>[]): Set<string> {
  const touched = new Set<string>();
  for (const event of events) {
    if (event.target === shapes) event.changes.keys.forEach((_change, id) => touched.add(id));
    else if (event.path.length > 0) touched.add(String(event.path[0]));
  }
  return touched;
}

export function shapeCache(shapes: Y.Map<Y.Map<unknown>>): ShapeCache {
  const records = new Map<string, Shape>();
  let ordered: Shape[] | null = null;
  let routed: Shape[] | null = null;
  // Each routed connector from the last routing, with the record it came from: kept when
  // neither moved, so that the renderer sees the same object and draws nothing again.
  let lastRouted = new Map<string, { record: Shape; routed: Shape }>();
  const read = (id: string) => {
    const map = shapes.get(id);
    const shape = map instanceof Y.Map ? readShape(id, map) : null;
    if (shape) records.set(id, shape);
    else records.delete(id);
  };
  shapes.forEach((_map, id) => read(id));
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    touchedIds(shapes as Y.Map<unknown>, events).forEach(read);
    ordered = null;
    routed = null;
  };
  shapes.observeDeep(observer);
  return {
    get: (id) => records.get(id) ?? null,
    ordered() {
      ordered ??= [...records.values()].sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : 1));
      return ordered;
    },
    routed() {
      if (routed) return routed;
      const records = this.ordered();
      const next = new Map<string, { record: Shape; routed: Shape }>();
      routed = withConnectorsRouted(records).map((shape, i) => {
        if (shape === records[i]) return shape;
        const last = lastRouted.get(shape.id);
        const kept = last && last.record === records[i] && sameEnds(last.routed, shape) ? last.routed : shape;
        next.set(shape.id, { record: records[i], routed: kept });
        return kept;
      });
      lastRouted = next;
      return routed;
    },
    destroy: () => shapes.unobserveDeep(observer),
  };
}

function sameEnds(a: Shape, b: Shape): boolean {
  return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
}
