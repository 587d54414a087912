// A modal confirmation for actions that are hard to take back (restore a version, remove a
// member, revoke an invite, archive a room): a labelled <dialog>, Escape and Cancel say no.

import "./confirm.css";

export interface ConfirmOptions {
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
}

export function confirmAction({ title, body, confirm, danger = false }: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-title");
    dialog.setAttribute("aria-describedby", "confirm-body");
    const form = document.createElement("form");
    form.method = "dialog";
    const heading = document.createElement("h2");
    heading.id = "confirm-title";
    heading.textContent = title;
    const text = document.createElement("p");
    text.id = "confirm-body";
    text.textContent = body;
    const actions = document.createElement("div");
    actions.className = "dialog-actions";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = "Cancel";
    const ok = document.createElement("button");
    ok.type = "submit";
    ok.textContent = confirm;
    if (danger) ok.classList.add("danger");
    actions.append(cancel, ok);
    form.append(heading, text, actions);
    dialog.append(form);

    const close = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      opener?.focus();
      resolve(answer);
    };
    cancel.addEventListener("click", () => close(false));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      close(true);
    });
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    // Enter should not destroy something by accident: destructive dialogs start on Cancel.
    (danger ? cancel : ok).focus();
  });
}
