// Building DOM nodes without innerHTML, so text from the server is never parsed as markup.

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** An inline error for a control: ``role=alert`` so it is read out, tied to the control. */
export function errorFor(control: HTMLElement, id: string): { element: HTMLElement; show(message: string | null): void } {
  const node = element("p", "field-error");
  node.id = id;
  node.setAttribute("role", "alert");
  node.hidden = true;
  control.setAttribute("aria-describedby", id);
  return {
    element: node,
    show(message) {
      node.textContent = message ?? "";
      node.hidden = message === null;
      if (message === null) control.removeAttribute("aria-invalid");
      else control.setAttribute("aria-invalid", "true");
    },
  };
}
