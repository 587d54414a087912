// The toolbar's Export menu: the whole board or the selection, as PNG, SVG or PDF. A menu
// button (WAI-ARIA): Enter, Space or Down opens it on its first choice, Up/Down/Home/End move,
// Escape or Tab closes it and the focus goes back to the button.

export type ExportScope = "board" | "selection";
export type ExportFormat = "png" | "svg" | "pdf";

const SCOPES: [ExportScope, string][] = [
  ["board", "Whole board"],
  ["selection", "Selection"],
];
const FORMATS: [ExportFormat, string][] = [
  ["png", "PNG"],
  ["svg", "SVG"],
  ["pdf", "PDF"],
];

export interface ExportMenu {
  element: HTMLElement;
  open(): void;
}

export function exportMenu(options: { hasSelection(): boolean; onExport(scope: ExportScope, format: ExportFormat): void; shortcut: string }): ExportMenu {
  const element = document.createElement("div");
  element.className = "toolbar-group board-export";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "tool";
  button.textContent = "Export…"; // "Export" alone is the page header's menu of the server's files
  button.setAttribute("aria-label", "Export board");
  button.setAttribute("aria-haspopup", "menu");
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("aria-keyshortcuts", options.shortcut);
  button.title = `Export the board or the selection (${options.shortcut})`;
  const menu = document.createElement("div");
  menu.className = "board-export-menu";
  menu.setAttribute("role", "menu");
  menu.setAttribute("aria-label", "Export");
  menu.hidden = true;
  const items: HTMLButtonElement[] = [];
  for (const [scope, scopeLabel] of SCOPES) {
    for (const [format, formatLabel] of FORMATS) {
      const item = document.createElement("button");
      item.type = "button";
      item.setAttribute("role", "menuitem");
      item.tabIndex = -1;
      item.dataset.scope = scope;
      item.dataset.format = format;
      item.textContent = `${scopeLabel} as ${formatLabel}`;
      item.addEventListener("click", () => {
        if (item.getAttribute("aria-disabled") === "true") return;
        close(true);
        options.onExport(scope, format);
      });
      items.push(item);
      menu.append(item);
    }
  }
  const enabled = () => items.filter((item) => item.getAttribute("aria-disabled") !== "true");
  function open(): void {
    const none = !options.hasSelection();
    for (const item of items) item.setAttribute("aria-disabled", String(item.dataset.scope === "selection" && none));
    menu.hidden = false;
    button.setAttribute("aria-expanded", "true");
    enabled()[0]?.focus();
    document.addEventListener("pointerdown", outside, true);
  }
  function close(refocus: boolean): void {
    if (menu.hidden) return;
    menu.hidden = true;
    button.setAttribute("aria-expanded", "false");
    document.removeEventListener("pointerdown", outside, true);
    if (refocus) button.focus();
  }
  const outside = (event: Event) => {
    if (!element.contains(event.target as Node)) close(false);
  };
  button.addEventListener("click", () => (menu.hidden ? open() : close(true)));
  button.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown") return;
    event.preventDefault();
    open();
  });
  menu.addEventListener("keydown", (event) => {
    const list = enabled();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: list.length - 1 }[event.key];
    if (next !== undefined) {
      event.preventDefault();
      list[(next + list.length) % list.length]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === "Tab") close(false);
    event.stopPropagation(); // the toolbar's arrow keys are not for the menu
  });
  element.append(button, menu);
  return { element, open };
}
