import { getSchema } from "@tiptap/core";
import { EditorState, TextSelection } from "@tiptap/pm/state";
import { addColumnAfter, addRowAfter, toggleHeaderRow } from "@tiptap/pm/tables";
import StarterKit from "@tiptap/starter-kit";
import { describe, expect, it } from "vitest";
import { headerRowAt, tableActions, tableExtensions } from "./tables";

const schema = getSchema([StarterKit.configure({ undoRedo: false, link: false }), ...tableExtensions()]);

const cell = (type: string, text: string) => ({ type, content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
const table = (headerRow: boolean) => ({
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: "before" }] },
    {
      type: "table",
      content: [
        { type: "tableRow", content: [cell(headerRow ? "tableHeader" : "tableCell", "h1"), cell(headerRow ? "tableHeader" : "tableCell", "h2")] },
        { type: "tableRow", content: [cell("tableCell", "a"), cell("tableCell", "b")] },
      ],
    },
  ],
});

function stateAt(json: object, text: string): EditorState {
  const doc = schema.nodeFromJSON(json);
  let at = -1;
  doc.descendants((node, pos) => {
    if (at < 0 && node.isText && node.text === text) at = pos + 1;
  });
  return EditorState.create({ doc, selection: TextSelection.create(doc, at) });
}

function apply(state: EditorState, command: (state: EditorState, dispatch: (tr: import("@tiptap/pm/state").Transaction) => void) => boolean): EditorState {
  let next = state;
  expect(command(state, (tr) => (next = state.apply(tr)))).toBe(true);
  return next;
}

describe("the table menu's header row button", () => {
  it("is pressed with the caret in a header row", () => {
    expect(headerRowAt(stateAt(table(true), "h1"))).toBe(true);
    expect(headerRowAt(stateAt(table(true), "h2"))).toBe(true);
  });

  it("is not pressed in a row of plain cells, nor outside tables", () => {
    expect(headerRowAt(stateAt(table(true), "a"))).toBe(false);
    expect(headerRowAt(stateAt(table(false), "h1"))).toBe(false);
    expect(headerRowAt(stateAt(table(true), "before"))).toBe(false);
  });

  it("follows the toggle both ways", () => {
    const on = apply(stateAt(table(false), "h1"), toggleHeaderRow);
    expect(headerRowAt(on)).toBe(true);
    expect(headerRowAt(apply(on, toggleHeaderRow))).toBe(false);
  });
});

describe("the table schema", () => {
  it("grows by a row and a column, the new cells holding a paragraph", () => {
    const grown = apply(apply(stateAt(table(true), "a"), addRowAfter), addColumnAfter);
    const rows = grown.doc.child(1).content.content;
    expect(rows.map((row) => row.childCount)).toEqual([3, 3, 3]);
    expect(rows[2].child(0).type.name).toBe("tableCell");
    expect(rows[2].child(0).firstChild?.type.name).toBe("paragraph");
  });
});

describe("the table menu", () => {
  it("names every button, and offers rows, columns, the header row and deleting the table", () => {
    const labels = tableActions.flat().map((action) => action.label);
    expect(labels).toEqual([
      "Add row above",
      "Add row below",
      "Delete row",
      "Add column before",
      "Add column after",
      "Delete column",
      "Header row",
      "Delete table",
    ]);
  });
});
