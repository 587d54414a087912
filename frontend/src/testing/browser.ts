// Just enough of a browser, under Node, for modules that use `window` timers and events. The
// timers delegate to the global ones at call time, so vi.useFakeTimers() drives them.

import { vi } from "vitest";

export function stubWindow(): EventTarget {
  const window = Object.assign(new EventTarget(), {
    setTimeout: (handler: () => void, ms?: number) => setTimeout(handler, ms),
    clearTimeout: (id?: number) => clearTimeout(id),
    setInterval: (handler: () => void, ms?: number) => setInterval(handler, ms),
    clearInterval: (id?: number) => clearInterval(id),
  });
  vi.stubGlobal("window", window);
  return window;
}
