import { describe, expect, it } from "vitest";
import { canResolve, ThreadStore } from "./store";
import type { CommentThread } from "./types";

function thread(id: number, revision: number, resolved = false, authorId = 1): CommentThread {
  return {
    id,
    document: "d",
    author: { id: authorId, username: "a", display_name: "A", color: "#000" },
    anchor: { kind: "shape", shape_id: `s${id}` },
    resolved,
    resolved_at: null,
    resolved_by: null,
    revision,
    url: `/x?thread=${id}`,
    created_at: "2026-01-01T00:00:00Z",
    comments: [],
  };
}

describe("ThreadStore", () => {
  it("keeps the newest revision whatever order they arrive in", () => {
    const store = new ThreadStore();
    expect(store.apply(thread(1, 3))).toBe(true);
    expect(store.apply(thread(1, 2))).toBe(false);
    expect(store.get(1)?.revision).toBe(3);
    expect(store.apply(thread(1, 4, true))).toBe(true);
    expect(store.get(1)?.resolved).toBe(true);
  });

  it("never brings back a deleted thread from a late event", () => {
    const store = new ThreadStore();
    store.apply(thread(1, 1));
    expect(store.remove(1)).toBe(true);
    expect(store.apply(thread(1, 2))).toBe(false);
    expect(store.all()).toEqual([]);
  });

  it("a fresh list keeps an event that was newer than it", () => {
    const store = new ThreadStore();
    store.apply(thread(1, 5));
    store.reset([thread(1, 4), thread(2, 1)]);
    expect(store.all().map((t) => [t.id, t.revision])).toEqual([
      [1, 5],
      [2, 1],
    ]);
    store.reset([thread(2, 2)]);
    expect(store.all().map((t) => [t.id, t.revision])).toEqual([[2, 2]]);
  });

  it("lists open or resolved threads in document order, detached ones last", () => {
    const store = new ThreadStore();
    for (const t of [thread(1, 1), thread(2, 1), thread(3, 1, true), thread(4, 1)]) store.apply(t);
    const places: Record<number, number | null> = { 1: 30, 2: 10, 3: 5, 4: null };
    expect(store.list("open", (t) => places[t.id]).map((t) => t.id)).toEqual([2, 1, 4]);
    expect(store.list("resolved", (t) => places[t.id]).map((t) => t.id)).toEqual([3]);
    expect([store.count("open"), store.count("resolved")]).toEqual([3, 1]);
  });
});

describe("canResolve", () => {
  it("is the thread's author, editors and owners", () => {
    const mine = thread(1, 1, false, 7);
    expect(canResolve(mine, 7, "commenter")).toBe(true);
    expect(canResolve(mine, 8, "commenter")).toBe(false);
    expect(canResolve(mine, 8, "viewer")).toBe(false);
    expect(canResolve(mine, 8, "editor")).toBe(true);
    expect(canResolve(mine, 8, "owner")).toBe(true);
  });
});
