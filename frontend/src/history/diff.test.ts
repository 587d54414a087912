import { describe, expect, it } from "vitest";
import { diffSummary, visibleBlocks, type DiffBlock, type VersionDiff } from "./diff";

const equal = (text: string): DiffBlock => ({ type: "paragraph", change: "equal", parts: [{ op: "equal", text }] });

describe("diffSummary", () => {
  it("counts the words inserted and deleted", () => {
    const diff: VersionDiff = {
      kind: "text",
      authors: [],
      blocks: [
        {
          type: "paragraph",
          change: "changed",
          parts: [
            { op: "equal", text: "Ship the editor in " },
            { op: "delete", text: "March" },
            { op: "insert", text: "early April" },
          ],
        },
        { type: "paragraph", change: "inserted", parts: [{ op: "insert", text: "Then chat." }] },
      ],
    };
    expect(diffSummary(diff)).toBe("4 words added, 1 word removed");
  });

  it("says so when nothing changed", () => {
    expect(diffSummary({ kind: "text", authors: [], blocks: [equal("same")] })).toBe("No changes");
  });

  it("counts a whiteboard's shapes by change", () => {
    const diff: VersionDiff = {
      kind: "whiteboard",
      authors: [],
      shapes: [
        { id: "a", change: "added", kind: "rect" },
        { id: "b", change: "added", kind: "pen" },
        { id: "c", change: "removed", kind: "text" },
      ],
    };
    expect(diffSummary(diff)).toBe("2 shapes added, 1 shape removed");
  });
});

describe("visibleBlocks", () => {
  it("shows each change with one unchanged block around it and folds the rest", () => {
    const changed: DiffBlock = { type: "paragraph", change: "deleted", parts: [{ op: "delete", text: "gone" }] };
    const blocks = [equal("1"), equal("2"), equal("3"), changed, equal("5"), equal("6"), equal("7")];
    expect(visibleBlocks(blocks)).toEqual([{ folded: 2 }, equal("3"), changed, equal("5"), { folded: 2 }]);
  });

  it("shows everything when everything changed", () => {
    const inserted: DiffBlock = { type: "heading", change: "inserted", parts: [{ op: "insert", text: "Back" }] };
    expect(visibleBlocks([inserted, inserted])).toEqual([inserted, inserted]);
  });
});
