// Tables (Tiptap's TableKit): a button that inserts a 3×3 table with a header row, and the
// table menu, a toolbar of its own shown while the caret is in a table (rows, columns, the
// header row, deleting the table). Tab and Shift+Tab move between cells (TableKit's keys);
// Alt+F10 moves the focus from the text to the table menu, and Escape back to the text.

import type { Editor } from "@tiptap/core";
import type { EditorState } from "@tiptap/pm/state";
import { TableKit } from "@tiptap/extension-table";
import { type Action, chain, createActionToolbar } from "./toolbar";
import "./tables.css";

export const INSERTED_TABLE = { rows: 3, cols: 3, withHeaderRow: true } as const;

export const insertTable: Action = {
  label: "Insert table",
  icon: "table",
  run: (e) => chain(e).insertTable(INSERTED_TABLE).run(),
  enabled: (e) => e.can().insertTable(INSERTED_TABLE),
};

export const tableActions: Action[][] = [
  [
    { label: "Add row above", text: "Row ↑", run: (e) => chain(e).addRowBefore().run(), enabled: (e) => e.can().addRowBefore() },
    { label: "Add row below", text: "Row ↓", run: (e) => chain(e).addRowAfter().run(), enabled: (e) => e.can().addRowAfter() },
    { label: "Delete row", text: "− Row", run: (e) => chain(e).deleteRow().run(), enabled: (e) => e.can().deleteRow() },
  ],
  [
    { label: "Add column before", text: "← Col", run: (e) => chain(e).addColumnBefore().run(), enabled: (e) => e.can().addColumnBefore() },
    { label: "Add column after", text: "Col →", run: (e) => chain(e).addColumnAfter().run(), enabled: (e) => e.can().addColumnAfter() },
    { label: "Delete column", text: "− Col", run: (e) => chain(e).deleteColumn().run(), enabled: (e) => e.can().deleteColumn() },
  ],
  [
    {
      label: "Header row",
      text: "Header",
      run: (e) => chain(e).toggleHeaderRow().run(),
      active: (e) => headerRowAt(e.state),
      enabled: (e) => e.can().toggleHeaderRow(),
    },
    { label: "Delete table", text: "Delete table", run: (e) => chain(e).deleteTable().run(), enabled: (e) => e.can().deleteTable() },
  ],
];

/** Whether the row around the selection is a header row (what "Header row" toggles). */
export function headerRowAt(state: EditorState): boolean {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth -= 1) {
    const node = $from.node(depth);
    if (node.type.name === "tableRow") return node.firstChild?.type.name === "tableHeader";
  }
  return false;
}

/** TableKit, with cells of fixed layout: column resizing would write inline styles the page's
 * CSP refuses. */
export function tableExtensions() {
  return [TableKit.configure({ table: { resizable: false } })];
}

/** The table menu, hidden while the caret is outside a table. */
export function createTableMenu(editor: Editor): HTMLElement {
  const menu = createActionToolbar(editor, "Table", tableActions);
  menu.classList.add("table-menu");
  const place = () => {
    menu.hidden = !editor.isEditable || !editor.isActive("table");
  };
  editor.on("transaction", place);
  editor.on("update", place);
  menu.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    editor.commands.focus();
  });
  editor.view.dom.addEventListener("keydown", (event) => {
    if (event.key !== "F10" || !event.altKey || menu.hidden) return;
    event.preventDefault();
    menu.querySelector<HTMLButtonElement>("button[tabindex='0']")?.focus();
  });
  place();
  return menu;
}
