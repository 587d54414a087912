// Sending files in the chat: a labelled "Attach a file" button, or files dropped on or pasted
// into the message box. Each file is checked against the server's limits first (a clear error,
// nothing sent), then uploaded over REST (which posts the `file` message itself, arriving over
// the room socket like any message) with its progress shown; a failed upload offers a retry
// that re-sends the same client_id, which the server never stores twice.

import "./attachments.css";
import { ApiError } from "../api";
import { element } from "../ui/dom";
import { sizeText } from "../ui/size";

export interface AttachmentLimits {
  maxBytes: number;
  contentTypes: string[];
}

interface Upload {
  file: File;
  clientId: string;
  parent: number | null;
  row: HTMLElement;
}

function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function paperclip(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const icon = document.createElementNS(ns, "svg");
  icon.setAttribute("viewBox", "0 0 16 16");
  icon.setAttribute("aria-hidden", "true");
  icon.classList.add("button-icon");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M10.5 4.5 5.8 9.2a1.2 1.2 0 0 0 1.7 1.7l5-5a2.6 2.6 0 0 0-3.7-3.7l-5 5a4 4 0 0 0 5.7 5.7l4.3-4.3");
  icon.append(path);
  return icon;
}

/** Why the server would refuse ``file``, or null if it fits the limits. */
export function refusal(file: File, limits: AttachmentLimits): string | null {
  if (file.size > limits.maxBytes) return `${file.name} is ${sizeText(file.size)}: files may be at most ${sizeText(limits.maxBytes)}.`;
  if (limits.contentTypes.length && !limits.contentTypes.includes(file.type || "application/octet-stream")) {
    return `${file.name}: files of type ${file.type || "unknown"} cannot be sent here.`;
  }
  return null;
}

function post(url: string, csrfToken: string, upload: Upload, progress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const data = new FormData();
    data.append("file", upload.file, upload.file.name);
    data.append("client_id", upload.clientId);
    if (upload.parent !== null) data.append("parent", String(upload.parent));
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("X-CSRFToken", csrfToken);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      if (request.status >= 200 && request.status < 300) return resolve();
      let detail = `The server answered ${request.status}.`;
      let code: string | null = null;
      try {
        const body = JSON.parse(request.responseText) as { detail?: string; code?: string };
        detail = body.detail ?? detail;
        code = body.code ?? null;
      } catch {
        // not JSON: keep the status
      }
      reject(new ApiError(detail, request.status, code));
    });
    request.addEventListener("error", () => reject(new ApiError("The server cannot be reached.", 0, null)));
    request.send(data);
  });
}

/** Adds attaching files to a chat box: the button goes in ``form``, drops and pastes land on
 * ``input``; ``parent`` says which thread the files go to (null: the room). */
export function attachFiles(options: {
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  url: string;
  csrfToken: string;
  limits: AttachmentLimits;
  parent(): number | null;
}): void {
  const { form, input } = options;
  const picker = element("input");
  picker.type = "file";
  picker.multiple = true;
  picker.hidden = true;
  picker.tabIndex = -1;
  if (options.limits.contentTypes.length) picker.accept = options.limits.contentTypes.join(",");
  const attach = element("button", "small secondary chat-attach");
  attach.append(paperclip());
  attach.type = "button";
  attach.setAttribute("aria-label", "Attach a file");
  attach.title = "Attach a file (or drop or paste it into the message box)";
  const uploads = element("ul", "chat-uploads");
  uploads.setAttribute("aria-label", "Files being sent");
  uploads.setAttribute("aria-live", "polite");
  form.append(picker, attach, uploads);

  const send = async (upload: Upload) => {
    const name = element("span", "chat-upload-name", upload.file.name);
    const bar = element("progress");
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute("aria-label", `Sending ${upload.file.name}`);
    upload.row.className = "chat-upload";
    upload.row.replaceChildren(name, bar);
    try {
      await post(options.url, options.csrfToken, upload, (fraction) => (bar.value = fraction));
      upload.row.remove();
    } catch (reason) {
      const message = reason instanceof ApiError ? reason.message : "The upload failed.";
      const retry = element("button", "small secondary", "Retry");
      retry.type = "button";
      retry.addEventListener("click", () => void send(upload));
      const dismiss = element("button", "small secondary", "Dismiss");
      dismiss.type = "button";
      dismiss.addEventListener("click", () => upload.row.remove());
      upload.row.className = "chat-upload failed";
      upload.row.replaceChildren(name, element("span", "chat-upload-error", `Not sent: ${message}`), retry, dismiss);
      retry.focus();
    }
  };
  const take = (files: Iterable<File>) => {
    for (const file of files) {
      const row = element("li", "chat-upload");
      uploads.append(row);
      const refused = refusal(file, options.limits);
      if (refused) {
        row.className = "chat-upload failed";
        const dismiss = element("button", "small secondary", "Dismiss");
        dismiss.type = "button";
        dismiss.addEventListener("click", () => row.remove());
        const text = element("span", "chat-upload-error", refused);
        text.setAttribute("role", "alert");
        row.replaceChildren(text, dismiss);
        continue;
      }
      void send({ file, clientId: newClientId(), parent: options.parent(), row });
    }
  };

  attach.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    take(picker.files ?? []);
    picker.value = "";
  });
  input.addEventListener("dragover", (event) => {
    if (event.dataTransfer?.types.includes("Files")) {
      event.preventDefault();
      input.classList.add("drop-target");
    }
  });
  input.addEventListener("dragleave", () => input.classList.remove("drop-target"));
  input.addEventListener("drop", (event) => {
    input.classList.remove("drop-target");
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    take(event.dataTransfer.files);
  });
  input.addEventListener("paste", (event) => {
    const files = event.clipboardData?.files;
    if (!files?.length) return;
    event.preventDefault();
    take(files);
  });
}
