import { describe, expect, it } from "vitest";
import { LiveList } from "./live-list";

interface Row {
  id: string;
  name: string;
  count: number;
}

const byName = (a: Row, b: Row) => a.name.localeCompare(b.name);

function list(initial: Row[] = []) {
  const shown: string[][] = [];
  const rows = new LiveList<Row>((row) => row.id, byName, (items) => shown.push(items.map((r) => `${r.name}:${r.count}`)), initial);
  return { rows, shown };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

describe("LiveList", () => {
  it("adds, replaces, patches and removes items, shown in order after each change", () => {
    const { rows, shown } = list([{ id: "b", name: "Beta", count: 0 }]);
    rows.apply({ upsert: { id: "a", name: "Alpha", count: 0 } });
    rows.apply({ patch: "b", with: (row) => ({ ...row, count: 3 }) });
    rows.apply({ upsert: { id: "a", name: "Zeta", count: 0 } });
    rows.apply({ remove: "b" });
    rows.apply({ patch: "gone", with: (row) => ({ ...row, count: 9 }) });
    expect(shown).toEqual([["Alpha:0", "Beta:0"], ["Alpha:0", "Beta:3"], ["Beta:3", "Zeta:0"], ["Zeta:0"], ["Zeta:0"]]);
  });

  it("a resync replaces the list with what was read", async () => {
    const { rows, shown } = list([{ id: "stale", name: "Stale", count: 1 }]);
    await rows.resync(async () => [{ id: "a", name: "Alpha", count: 2 }]);
    expect(shown.at(-1)).toEqual(["Alpha:2"]);
    expect(rows.get("stale")).toBeUndefined();
  });

  it("changes that arrive during a resync show at once and survive the older read", async () => {
    const { rows, shown } = list();
    const read = deferred<Row[]>();
    const resyncing = rows.resync(() => read.promise);
    rows.apply({ upsert: { id: "new", name: "New", count: 0 } });
    rows.apply({ patch: "a", with: (row) => ({ ...row, count: 5 }) });
    rows.apply({ remove: "old" });
    expect(shown.at(-1)).toEqual(["New:0"]);
    // Read before those events happened: without "new", with "old" and a's old count.
    read.resolve([
      { id: "a", name: "Alpha", count: 1 },
      { id: "old", name: "Old", count: 0 },
    ]);
    await resyncing;
    expect(shown.at(-1)).toEqual(["Alpha:5", "New:0"]);
  });

  it("a failed resync keeps the list and stops recording changes", async () => {
    const { rows, shown } = list([{ id: "a", name: "Alpha", count: 1 }]);
    await rows.resync(() => Promise.reject(new Error("offline")));
    rows.apply({ patch: "a", with: (row) => ({ ...row, count: 2 }) });
    await rows.resync(async () => [{ id: "a", name: "Alpha", count: 7 }]);
    expect(shown).toEqual([["Alpha:2"], ["Alpha:7"]]);
  });

  it("of two resyncs under way, the later one wins", async () => {
    const { rows, shown } = list();
    const first = deferred<Row[]>();
    const second = deferred<Row[]>();
    const firstDone = rows.resync(() => first.promise);
    const secondDone = rows.resync(() => second.promise);
    second.resolve([{ id: "b", name: "Newer", count: 0 }]);
    await secondDone;
    first.resolve([{ id: "a", name: "Older", count: 0 }]);
    await firstDone;
    expect(shown).toEqual([["Newer:0"]]);
  });
});
