// The formatting toolbar: a WAI-ARIA toolbar (one tab stop, arrow keys move between buttons)
// whose buttons show, with aria-pressed, what applies at the selection. Its buttons are the
// specs in `groups`: a new button is one more entry there. Other menus (the table's) are built
// the same way from their own groups (`createActionToolbar`).

import type { Editor } from "@tiptap/core";
import { icon } from "./icons";
import { imageActions } from "./images/actions";
import { openLinkDialog } from "./link-dialog";

export interface Action {
  label: string;
  shortcut?: string;
  icon?: string;
  text?: string;
  run: (editor: Editor) => void;
  active?: (editor: Editor) => boolean;
  enabled?: (editor: Editor) => boolean;
}

export const chain = (editor: Editor) => editor.chain().focus();

const formattingGroups: Action[][] = [
  [
    { label: "Undo", shortcut: "Ctrl+Z", icon: "undo", run: (e) => chain(e).undo().run(), enabled: (e) => e.can().undo() },
    { label: "Redo", shortcut: "Ctrl+Shift+Z", icon: "redo", run: (e) => chain(e).redo().run(), enabled: (e) => e.can().redo() },
  ],
  [
    { label: "Paragraph", text: "¶", run: (e) => chain(e).setParagraph().run(), active: (e) => e.isActive("paragraph") },
    ...([1, 2, 3] as const).map((level) => ({
      label: `Heading ${level}`,
      shortcut: `Ctrl+Alt+${level}`,
      text: `H${level}`,
      run: (e: Editor) => chain(e).toggleHeading({ level }).run(),
      active: (e: Editor) => e.isActive("heading", { level }),
    })),
  ],
  [
    { label: "Bold", shortcut: "Ctrl+B", icon: "bold", run: (e) => chain(e).toggleBold().run(), active: (e) => e.isActive("bold") },
    { label: "Italic", shortcut: "Ctrl+I", icon: "italic", run: (e) => chain(e).toggleItalic().run(), active: (e) => e.isActive("italic") },
    { label: "Strikethrough", shortcut: "Ctrl+Shift+S", icon: "strike", run: (e) => chain(e).toggleStrike().run(), active: (e) => e.isActive("strike") },
    { label: "Inline code", shortcut: "Ctrl+E", icon: "code", run: (e) => chain(e).toggleCode().run(), active: (e) => e.isActive("code") },
    { label: "Link", shortcut: "Ctrl+K", icon: "link", run: (e) => openLinkDialog(e), active: (e) => e.isActive("link") },
  ],
  [
    { label: "Bulleted list", shortcut: "Ctrl+Shift+8", icon: "bulletList", run: (e) => chain(e).toggleBulletList().run(), active: (e) => e.isActive("bulletList") },
    { label: "Numbered list", shortcut: "Ctrl+Shift+7", icon: "orderedList", run: (e) => chain(e).toggleOrderedList().run(), active: (e) => e.isActive("orderedList") },
    { label: "Task list", shortcut: "Ctrl+Shift+9", icon: "taskList", run: (e) => chain(e).toggleTaskList().run(), active: (e) => e.isActive("taskList") },
  ],
  [
    { label: "Quote", shortcut: "Ctrl+Shift+B", icon: "quote", run: (e) => chain(e).toggleBlockquote().run(), active: (e) => e.isActive("blockquote") },
    { label: "Code block", shortcut: "Ctrl+Alt+C", icon: "codeBlock", run: (e) => chain(e).toggleCodeBlock().run(), active: (e) => e.isActive("codeBlock") },
    { label: "Horizontal rule", icon: "rule", run: (e) => chain(e).setHorizontalRule().run() },
  ],
  imageActions,
];

// A disabled button stays focusable (aria-disabled, not the disabled attribute), as the WAI-ARIA
// toolbar pattern advises, so arrow keys pass over it and a screen reader says it is dimmed;
// the one tab stop sits on an enabled button whenever focus is elsewhere.
const isDisabled = (button: HTMLButtonElement) => button.getAttribute("aria-disabled") === "true";

/** The formatting toolbar, with ``extraGroups`` (from the editor's other features) after its own. */
export function createToolbar(editor: Editor, extraGroups: Action[][] = []): HTMLElement {
  return createActionToolbar(editor, "Formatting", [...formattingGroups, ...extraGroups]);
}

/** A toolbar named ``label`` whose buttons are ``groups``' actions. */
export function createActionToolbar(editor: Editor, label: string, groups: Action[][]): HTMLElement {
  const toolbar = document.createElement("div");
  toolbar.className = "toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", label);
  const buttons: { button: HTMLButtonElement; action: Action }[] = [];
  let tabStop = 0;
  const moveTabStop = (index: number) => {
    buttons[tabStop].button.tabIndex = -1;
    tabStop = index;
    buttons[tabStop].button.tabIndex = 0;
  };

  for (const group of groups) {
    const wrapper = document.createElement("div");
    wrapper.className = "toolbar-group";
    wrapper.setAttribute("role", "group");
    for (const action of group) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "tool";
      button.setAttribute("aria-label", action.label);
      button.title = action.shortcut ? `${action.label} (${action.shortcut})` : action.label;
      button.tabIndex = -1;
      if (action.icon) button.append(icon(action.icon));
      else button.textContent = action.text ?? action.label;
      if (action.active) button.setAttribute("aria-pressed", "false");
      // Keep the editor's selection: a click on the toolbar must not blur the text.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => {
        if (!isDisabled(button)) action.run(editor);
      });
      wrapper.append(button);
      buttons.push({ button, action });
    }
    toolbar.append(wrapper);
  }
  buttons[0].button.tabIndex = 0;

  toolbar.addEventListener("focusin", (event) => {
    const index = buttons.findIndex(({ button }) => button === event.target);
    if (index >= 0) moveTabStop(index);
  });
  toolbar.addEventListener("keydown", (event) => {
    const index = buttons.findIndex(({ button }) => button === document.activeElement);
    if (index < 0) return;
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: buttons.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key] + buttons.length) % buttons.length;
    moveTabStop(next);
    buttons[next].button.focus();
  });

  const refresh = () => {
    for (const { button, action } of buttons) {
      if (action.active) button.setAttribute("aria-pressed", String(action.active(editor)));
      if (action.enabled) button.setAttribute("aria-disabled", String(!action.enabled(editor)));
    }
    const usable = buttons.findIndex(({ button }) => !isDisabled(button));
    if (!toolbar.contains(document.activeElement) && isDisabled(buttons[tabStop].button) && usable >= 0) {
      moveTabStop(usable);
    }
  };
  editor.on("transaction", refresh);
  editor.on("focus", refresh);
  refresh();
  return toolbar;
}
