// A list kept current by a socket's events and refetched whole after each (re)connect, so an
// event missed while disconnected is never missed for good. A change that arrives while a
// refetch is under way shows at once and is applied again on the refetched list, which may
// have been read before it happened.

export type Change<T> = { upsert: T } | { remove: string } | { patch: string; with: (item: T) => T };

export class LiveList<T> {
  private readonly items = new Map<string, T>();
  private pending: Change<T>[] | null = null;
  private generation = 0;

  constructor(
    private readonly key: (item: T) => string,
    private readonly order: (a: T, b: T) => number,
    private readonly onChange: (items: T[]) => void,
    initial: T[] = [],
  ) {
    for (const item of initial) this.items.set(key(item), item);
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  /** The items, in the list's order. */
  all(): T[] {
    return [...this.items.values()].sort(this.order);
  }

  /** Applies one change from an event and shows the list. */
  apply(change: Change<T>): void {
    this.pending?.push(change);
    this.applyNow(change);
    this.onChange(this.all());
  }

  /** Replaces the list with what ``fetch`` reads, then applies again the changes that arrived
   * meanwhile. A failed fetch keeps the list as it is (the next reconnect tries again); a
   * resync started later wins over this one. */
  async resync(fetch: () => Promise<T[]>): Promise<void> {
    const generation = ++this.generation;
    this.pending = [];
    let fetched: T[];
    try {
      fetched = await fetch();
    } catch {
      if (generation === this.generation) this.pending = null;
      return;
    }
    if (generation !== this.generation) return;
    const seen = this.pending;
    this.pending = null;
    this.items.clear();
    for (const item of fetched) this.items.set(this.key(item), item);
    for (const change of seen) this.applyNow(change);
    this.onChange(this.all());
  }

  private applyNow(change: Change<T>): void {
    if ("upsert" in change) {
      this.items.set(this.key(change.upsert), change.upsert);
    } else if ("remove" in change) {
      this.items.delete(change.remove);
    } else {
      const item = this.items.get(change.patch);
      if (item !== undefined) this.items.set(change.patch, change.with(item));
    }
  }
}

/** Puts ``nodes`` in ``list`` in this order, moving only those out of place (a moved node
 * loses focus) and removing the children not among them. */
export function reconcileChildren(list: Element, nodes: Element[]): void {
  const wanted = new Set(nodes);
  for (const child of [...list.children]) if (!wanted.has(child)) child.remove();
  nodes.forEach((node, index) => {
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] ?? null);
  });
}
