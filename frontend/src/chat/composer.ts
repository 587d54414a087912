// The message box: Enter sends, Shift+Enter starts a new line; while someone types it tells
// the room at most every two seconds (the server throttles too, and expires the indicator).

import { element } from "../ui/dom";

const TYPING_EVERY_MS = 2000;

export interface Composer {
  form: HTMLFormElement;
  focus(): void;
}

let composers = 0;

export function createComposer(options: {
  label: string;
  placeholder: string;
  send(body: string): void;
  typing(): void;
}): Composer {
  const id = `chat-input-${++composers}`;
  const form = element("form", "chat-composer");
  const label = element("label", "visually-hidden", options.label);
  label.htmlFor = id;
  const input = element("textarea");
  input.id = id;
  input.rows = 2;
  input.placeholder = options.placeholder;
  input.maxLength = 10_000;
  const submit = element("button", "small", "Send");
  submit.type = "submit";
  form.append(label, input, submit);

  let lastTyping = 0;
  input.addEventListener("input", () => {
    const now = Date.now();
    if (input.value.trim() && now - lastTyping >= TYPING_EVERY_MS) {
      lastTyping = now;
      options.typing();
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    input.value = "";
    lastTyping = 0;
    options.send(body);
    input.focus();
  });
  return { form, focus: () => input.focus() };
}
