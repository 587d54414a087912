// Asks for the text of a text shape or sticky note; resolves to null when cancelled.

export function editText(title: string, initial: string): Promise<string | null> {
  return new Promise((resolve) => {
    const dialog = document.createElement("dialog");
    dialog.className = "link-dialog";
    dialog.setAttribute("aria-labelledby", "text-dialog-title");
    dialog.innerHTML = `
      <form method="dialog" class="link-form">
        <h2 id="text-dialog-title"></h2>
        <label for="shape-text">Text</label>
        <textarea id="shape-text" rows="4"></textarea>
        <div class="dialog-actions">
          <span class="spacer"></span>
          <button type="button" class="secondary" data-action="cancel">Cancel</button>
          <button type="submit">Done</button>
        </div>
      </form>`;
    dialog.querySelector("h2")!.textContent = title;
    const input = dialog.querySelector<HTMLTextAreaElement>("textarea")!;
    input.value = initial;
    let answered = false;
    const answer = (value: string | null) => {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.querySelector('[data-action="cancel"]')!.addEventListener("click", () => answer(null));
    dialog.querySelector("form")!.addEventListener("submit", (event) => {
      event.preventDefault();
      answer(input.value);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) answer(input.value);
    });
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      answer(null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
