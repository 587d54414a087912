// The shapes' layer, drawn by key: each shape's element is kept with the record it was drawn
// from and drawn again only when that record changed, and the layer's children are moved only
// where their order differs. A remote move then replaces one element, not 2,000.

import type { Shape } from "./model";

/** What the layer needs of its parent element (an SVG group; a list in the tests). */
export interface Children<E> {
  list(): E[];
  insertBefore(element: E, before: E | null): void;
  remove(element: E): void;
}

export interface ShapeLayer {
  /** Makes the layer's children exactly ``shapes``' elements, in order, and forgets the kept
   * elements of shapes that no longer ``exist``. */
  draw(shapes: Shape[], exists: (id: string) => boolean): void;
}

/** The text an element was drawn from: equal records (and equal ``context``, what else the
 * drawing reads) draw the same element. */
function signature(shape: Shape, context: string): string {
  return `${JSON.stringify(shape)}\n${context}`;
}

/** A DOM element's children as ``Children``. */
export function elementChildren(parent: Element): Children<Element> {
  return {
    list: () => [...parent.children],
    insertBefore: (element, before) => parent.insertBefore(element, before),
    remove: (element) => element.remove(),
  };
}

export function shapeLayer<E>(children: Children<E>, render: (shape: Shape) => E, context: (shape: Shape) => string = () => ""): ShapeLayer {
  // Kept for shapes out of view too, so that panning back draws nothing again.
  const drawn = new Map<string, { shape: Shape; context: string; signature: string; element: E }>();
  const elementOf = (shape: Shape): E => {
    const kept = drawn.get(shape.id);
    const around = context(shape);
    // The same record (the shape cache keeps unchanged ones) needs no signature.
    if (kept && kept.context === around && (kept.shape === shape || kept.signature === signature(shape, around))) {
      kept.shape = shape;
      return kept.element;
    }
    const element = render(shape);
    drawn.set(shape.id, { shape, context: around, signature: signature(shape, around), element });
    return element;
  };
  return {
    draw(shapes, exists) {
      const wanted = shapes.map(elementOf);
      const keep = new Set(wanted);
      const current = children.list().filter((child) => {
        if (!keep.has(child)) children.remove(child);
        return keep.has(child);
      });
      // Placed elements precede current[at]; the unplaced keep their order after it.
      const placed = new Set<E>();
      let at = 0;
      for (const element of wanted) {
        while (at < current.length && placed.has(current[at])) at += 1;
        if (current[at] === element) at += 1;
        else children.insertBefore(element, current[at] ?? null);
        placed.add(element);
      }
      for (const id of drawn.keys()) if (!exists(id)) drawn.delete(id);
    },
  };
}
