// The in-place text editor: a textarea laid over a shape's text on the canvas (text-place.ts),
// at the view's zoom and turned with the shape. The board writes each input to the document,
// so others see the text as it is typed; the editor ends on Escape, Ctrl/Cmd+Enter (Enter for
// a one-line title or alt text) or a press anywhere else.

import type { Shape, ShapeType } from "./model";
import { canvasMeasure } from "./text";
import { editorPlace, enterFinishes, type EditorPlace } from "./text-place";
import type { View } from "./viewport";

// The editor's accessible name for each shape with text: a connector's text is its label.
const EDIT_TITLES: Partial<Record<ShapeType, string>> = { text: "Text", sticky: "Sticky note", rect: "Label", ellipse: "Label", line: "Label", arrow: "Label", frame: "Frame name", image: "Alt text" };

export interface TextEditorOptions {
  host: HTMLElement; // the canvas: the editor is placed in its coordinates
  shape: Shape;
  text: string;
  view: View;
  onInput(text: string): void;
  /** The editor closed; ``refocus``: it had the focus, which goes back to the board. */
  onDone(refocus: boolean): void;
}

export interface TextEditor {
  readonly shapeId: string;
  /** Shows ``shape`` (moved, restyled or re-texted by anyone) on a canvas showing ``view``. */
  place(shape: Shape, view: View): void;
  /** Shows ``text`` written by someone else, the caret kept where it was (or at the end). */
  show(text: string): void;
  /** Ends the edit (the shape is gone). */
  close(): void;
}

export function openTextEditor(options: TextEditorOptions): TextEditor {
  const input = document.createElement("textarea");
  input.className = "board-text-editor";
  input.setAttribute("aria-label", EDIT_TITLES[options.shape.type] ?? "Text");
  input.dataset.shapeId = options.shape.id;
  input.value = options.text;
  let shape = options.shape;
  let view = options.view;
  let open = true;
  const layOut = () => placed(input, editorPlace(shape, input.value, view, canvasMeasure));
  const finish = (refocus: boolean) => {
    if (!open) return;
    open = false;
    input.remove();
    options.onDone(refocus);
  };
  input.addEventListener("input", () => {
    options.onInput(input.value);
    layOut();
  });
  input.addEventListener("keydown", (event) => {
    event.stopPropagation(); // the board's shortcuts are not for text being typed
    if (event.isComposing) return;
    const enter = event.key === "Enter" && (event.ctrlKey || event.metaKey || enterFinishes(shape));
    if (event.key === "Escape" || enter) {
      event.preventDefault();
      finish(true);
    }
  });
  // A press in the editor places the caret; it is not a press on the board.
  for (const type of ["pointerdown", "pointerup", "dblclick"]) input.addEventListener(type, (event) => event.stopPropagation());
  // Focus gone to anything else on the page ends the edit; another window taking it does not.
  input.addEventListener("blur", () => {
    if (document.hasFocus()) finish(false);
  });
  options.host.append(input);
  layOut();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
  return {
    shapeId: shape.id,
    place(next, nextView) {
      shape = next;
      view = nextView;
      layOut();
    },
    show(text) {
      if (text === input.value) return;
      const { selectionStart, selectionEnd } = input;
      input.value = text;
      input.setSelectionRange(Math.min(selectionStart, text.length), Math.min(selectionEnd, text.length));
      layOut();
    },
    close() {
      finish(document.activeElement === input);
    },
  };
}

/** Sets the editor's box, font and turn (CSSOM properties, which the page's Content-Security-
 * Policy allows where a style attribute is not). */
function placed(input: HTMLTextAreaElement, place: EditorPlace): void {
  const style = input.style;
  style.left = `${place.x}px`;
  style.top = `${place.y}px`;
  style.width = `${place.w}px`;
  style.height = `${place.h}px`;
  style.fontSize = `${place.fontSize}px`;
  style.lineHeight = `${place.lineHeight}px`;
  style.textAlign = place.align;
  style.color = place.color;
  style.transformOrigin = `${place.origin.x}px ${place.origin.y}px`;
  style.transform = place.angle === 0 ? "" : `rotate(${place.angle}deg)`;
  input.dataset.wraps = String(place.wraps);
}
