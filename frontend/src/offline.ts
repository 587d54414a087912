// Registers the service worker (sw.ts) that lets a room page reload while offline, and hands
// it this page and its files: the page loaded before the worker could see its requests.

export function keepForOffline(workerUrl: string, manifestUrl: string): void {
  if (!("serviceWorker" in navigator)) return;
  const script = `${workerUrl}?manifest=${encodeURIComponent(manifestUrl)}`;
  navigator.serviceWorker.register(script, { scope: "/" }).catch((error: unknown) => {
    console.warn("Offline use is unavailable: the service worker did not register.", error);
  });
  void navigator.serviceWorker.ready.then((registration) => {
    const files = performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((name) => new URL(name).origin === location.origin);
    const styles = [...document.querySelectorAll<HTMLLinkElement>("link[rel=stylesheet], link[rel=modulepreload]")].map((link) => link.href);
    const scripts = [...document.querySelectorAll<HTMLScriptElement>("script[src]")].map((s) => s.src);
    registration.active?.postMessage({ type: "keep", urls: [location.href, ...styles, ...scripts, ...files] });
  });
}
