// In-page probes of bench/whiteboard.py, added to every page before the app's own scripts.
// Everything is timed with the page's own clock (performance.now and rAF timestamps).
(() => {
  const probe = (window.__boardBench = { syncArrivals: [], latencies: [], frame: 0, inFrame: false });

  // The number of the frame being rendered (or last rendered), and whether its rendering is under
  // way: set by the first rAF callback of each frame (this loop's, registered a frame ahead),
  // cleared by a task that runs once that frame's rendering is done.
  const after = new MessageChannel();
  after.port1.onmessage = () => (probe.inFrame = false);
  const mark = () => {
    probe.frame += 1;
    probe.inFrame = true;
    after.port2.postMessage(null);
    requestAnimationFrame(mark);
  };
  requestAnimationFrame(mark);

  // Each document-socket message's arrival, noted before y-websocket handles it (a listener added
  // in the constructor runs before the provider's onmessage). Only sync messages (first byte 0:
  // a Yjs update) count: awareness messages (pointers) come on the same socket.
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(url, protocols) {
      super(url, protocols);
      if (!String(url).includes("/ws/docs")) return;
      this.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer && new Uint8Array(event.data)[0] === 0) {
          probe.syncArrivals.push({ at: performance.now(), frame: probe.frame });
        }
      });
    }
  };

  const canvas = () => document.querySelector(".board-canvas");

  /** Pans and zooms for ``seconds`` by wheel events sent from a rAF loop (one pan step and one
   * zoom step a frame), recording each frame's time (rAF timestamp deltas) and the board's own
   * work per frame (the synchronous time its wheel handlers take). With ``still`` the loop sends
   * nothing: the frames the machine delivers to an idle page, the control. */
  probe.panZoom = (seconds, still = false) =>
    new Promise((resolve) => {
      const target = canvas();
      const rect = target.getBoundingClientRect();
      const at = { clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2 };
      const frames = [];
      const work = [];
      let start = null;
      let last = null;
      let logZoom = 0;
      const step = (now) => {
        if (start === null) start = now;
        if (last !== null) frames.push(now - last);
        last = now;
        const t = (now - start) / 1000;
        if (t >= seconds) return resolve({ frames, work, seconds: t });
        // Zoom swings between about 0.3 and 1.6 every 6 s; the pan drifts in a slow circle.
        const wanted = Math.log(0.7) + 0.8 * Math.sin((2 * Math.PI * t) / 6);
        const deltaY = -(wanted - logZoom) / 0.002;
        logZoom = wanted;
        if (still) {
          requestAnimationFrame(step);
          return;
        }
        const began = performance.now();
        target.dispatchEvent(new WheelEvent("wheel", { ...at, deltaY, ctrlKey: true, bubbles: true, cancelable: true }));
        target.dispatchEvent(
          new WheelEvent("wheel", { ...at, deltaX: 9 * Math.cos(t / 2), deltaY: 6 * Math.sin(t / 2), bubbles: true, cancelable: true }),
        );
        work.push(performance.now() - began);
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });

  /** Watches shape ``id``: each time its drawn x changes, the time from the first sync message
   * that arrived since the previous change to the end of the frame that shows it (a task queued
   * during a frame's rendering runs once that rendering is done), and that frame's number
   * counted from the arrival's (1: the first frame that began after the arrival). */
  probe.watchShape = (id) => {
    const layer = document.querySelector(".board-canvas .shapes");
    const drawnX = () => layer.querySelector(`[data-shape-id="${id}"]`)?.getAttribute("data-x") ?? null;
    let lastX = drawnX();
    let consumed = probe.syncArrivals.length;
    const channel = new MessageChannel();
    let pending = null;
    channel.port1.onmessage = () => {
      if (pending === null) return;
      probe.latencies.push({ ms: performance.now() - pending.arrived.at, frames: pending.frame - pending.arrived.frame, x: pending.x });
      pending = null;
    };
    new MutationObserver(() => {
      const x = drawnX();
      if (x === lastX) return;
      lastX = x;
      const arrivals = probe.syncArrivals;
      if (arrivals.length === consumed) return; // not a remote change
      // Drawn inside a frame: done once that frame is. Drawn outside one: the next frame shows it.
      pending = { arrived: arrivals[consumed], x: Number(x), frame: probe.inFrame ? probe.frame : probe.frame + 1 };
      consumed = arrivals.length;
      if (probe.inFrame) channel.port2.postMessage(null);
      else requestAnimationFrame(() => channel.port2.postMessage(null));
    }).observe(layer, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-x"] });
  };
})();
