// The message box: Enter sends, Shift+Enter starts a new line; while someone types it tells
// the room at most every two seconds (the server throttles too, and expires the indicator).
// With ``extras`` it also completes mentions (mentions.ts) and sends files (attachments.ts).

import type { UserSummary } from "../room-socket/events";
import { element } from "../ui/dom";
import { attachFiles, type AttachmentLimits } from "./attachments";
import { attachMentions } from "./mentions";

const TYPING_EVERY_MS = 2000;

/** What a chat box may add: mention autocomplete, and files sent to ``uploadUrl``. */
export interface ComposerExtras {
  members: () => Promise<UserSummary[]>;
  uploadUrl: string;
  csrfToken: string;
  limits: AttachmentLimits;
}

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
  extras?: ComposerExtras;
  /** The thread files go to (null, the default: the room). */
  parent?: () => number | null;
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
  const extras = options.extras;
  // Before the Enter handler below: a pick in the mention list must not also send.
  if (extras) {
    form.append(attachMentions(input, extras.members));
    attachFiles({ form, input, url: extras.uploadUrl, csrfToken: extras.csrfToken, limits: extras.limits, parent: options.parent ?? (() => null) });
  }

  let lastTyping = 0;
  input.addEventListener("input", () => {
    const now = Date.now();
    if (input.value.trim() && now - lastTyping >= TYPING_EVERY_MS) {
      lastTyping = now;
      options.typing();
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.defaultPrevented) {
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
