// The "Keyboard shortcuts" dialog: every row of the shortcut table (shortcuts.ts), by section.
// Escape or Close closes it and the focus goes back where it was.

import { helpSections, shownKeys } from "./shortcuts";

export function showShortcutHelp(): void {
  if (document.querySelector(".shortcut-help[open]")) return;
  const back = document.activeElement instanceof HTMLElement || document.activeElement instanceof SVGElement ? document.activeElement : null;
  const dialog = document.createElement("dialog");
  dialog.className = "link-dialog shortcut-help";
  dialog.setAttribute("aria-labelledby", "shortcut-help-title");
  const title = document.createElement("h2");
  title.id = "shortcut-help-title";
  title.textContent = "Keyboard shortcuts";
  const columns = document.createElement("div");
  columns.className = "shortcut-help-columns";
  for (const { section, rows } of helpSections()) {
    const table = document.createElement("table");
    const caption = table.createCaption();
    caption.textContent = section;
    const body = table.createTBody();
    for (const { label, keys } of rows) {
      const row = body.insertRow();
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = label;
      const cell = row.insertCell();
      keys.forEach((combo, index) => {
        if (index > 0) cell.append(keys.length > 2 ? " " : " or "); // "← → ↑ ↓", "Ctrl+Y or Ctrl+Shift+Z"
        const kbd = document.createElement("kbd");
        kbd.textContent = shownKeys(combo);
        cell.append(kbd);
      });
      row.prepend(name);
    }
    columns.append(table);
  }
  const actions = document.createElement("div");
  actions.className = "dialog-actions";
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Close";
  actions.append(close);
  dialog.append(title, columns, actions);
  const done = () => {
    dialog.close();
    dialog.remove();
    back?.focus();
  };
  close.addEventListener("click", done);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    done();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
