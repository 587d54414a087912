// A WAI-ARIA toolbar's keyboard model for the board's toolbar: one Tab stop (the last control
// used), Left/Right/Home/End move between its controls, Up/Down stay with a control that has
// values (a select, a slider). Controls other code adds or hides later are picked up as they
// come, so the style panels and follow list need nothing of their own.

const CONTROLS = "button, select, input, [role=menuitem]";

export function rovingFocus(toolbar: HTMLElement): void {
  let current: HTMLElement | null = null;
  const controls = () =>
    [...toolbar.querySelectorAll<HTMLElement>(CONTROLS)].filter(
      (control) => !control.closest("[role=menu]") && !(control as HTMLButtonElement).disabled && control.getClientRects().length > 0,
    );
  const settle = () => {
    const all = controls();
    if (!current || !all.includes(current)) current = all[0] ?? null;
    for (const control of all) control.tabIndex = control === current ? 0 : -1;
  };
  toolbar.addEventListener("focusin", (event) => {
    const target = event.target as HTMLElement;
    if (!controls().includes(target)) return;
    current = target;
    settle();
  });
  toolbar.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const all = controls();
    const index = all.indexOf(event.target as HTMLElement);
    if (index < 0 || (event.target instanceof HTMLInputElement && event.target.type === "text")) return;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: all.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    all[(next + all.length) % all.length].focus();
  });
  // Panels shown and hidden with the selection add and remove controls; the arrange buttons
  // are disabled until enough shapes are selected. Settling reads the controls' layout, so it
  // runs only for a real change: the panels set the same values again on every redraw.
  new MutationObserver((records) => {
    if (records.some(changes)) settle();
  }).observe(toolbar, { childList: true, subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["hidden", "disabled"] });
  requestAnimationFrame(settle); // once the toolbar is on the page and its controls laid out
}

/** What ``changes`` reads of a mutation record (observed with ``attributeOldValue``). */
export interface ObservedMutation {
  type: string;
  attributeName: string | null;
  oldValue: string | null;
  target: object;
  addedNodes: ArrayLike<{ nodeType: number }>;
  removedNodes: ArrayLike<{ nodeType: number }>;
}

const ELEMENT_NODE = 1;

/** Whether a mutation changed the toolbar's controls: elements added or removed (not text, such
 * as the zoom label's on every zoom step), or an attribute that now has another value than
 * before (setting one to the value it had is a mutation too). */
export function changes(record: ObservedMutation): boolean {
  if (record.type === "childList") return [...Array.from(record.addedNodes), ...Array.from(record.removedNodes)].some((node) => node.nodeType === ELEMENT_NODE);
  const target = record.target as { getAttribute?(name: string): string | null };
  if (record.type !== "attributes" || !record.attributeName || !target.getAttribute) return true;
  return target.getAttribute(record.attributeName) !== record.oldValue;
}
