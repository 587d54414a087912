// The service worker: keeps the app shell (the built files, the page styles) and the room pages
// someone opened on this device, so a reload while offline still shows the room and the open
// document (whose content comes from IndexedDB, sync/connection.ts).
//
// Served by Django at /sw.js (collab/service_worker.py) so that its scope covers every page;
// registered by the room page with ?manifest=<the static URL of Vite's manifest>. It imports
// nothing: a classic worker script, one file.

export {};
declare const self: ServiceWorkerGlobalScope;

const VERSION = "v1";
const STATIC_CACHE = `collab-static-${VERSION}`;
const PAGES_CACHE = `collab-pages-${VERSION}`;
const KEPT = new Set([STATIC_CACHE, PAGES_CACHE]);
// Pages worth keeping for offline use; any other navigation goes to the network only.
const KEPT_PAGES = /^\/rooms\/[0-9a-f-]{36}\/(documents\/[0-9a-f-]{36}\/)?$/;
const LOGOUT_PATH = "/accounts/logout/";

const params = new URL(self.location.href).searchParams;
const MANIFEST_URL = params.get("manifest") ?? "/static/app/manifest.json";
const STATIC_PREFIX = new URL("..", new URL(MANIFEST_URL, self.location.origin)).pathname;

interface ManifestChunk {
  file: string;
  css?: string[];
}

async function shellFiles(): Promise<string[]> {
  const response = await fetch(MANIFEST_URL, { cache: "no-cache" });
  if (!response.ok) return [];
  const manifest = (await response.json()) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  for (const chunk of Object.values(manifest)) {
    if (chunk.file.startsWith("app/")) files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
  }
  return [...files].map((file) => new URL(file, new URL(STATIC_PREFIX, self.location.origin)).pathname);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      // Best effort: a file that fails now is cached the first time a page loads it.
      try {
        const cache = await caches.open(STATIC_CACHE);
        await Promise.allSettled((await shellFiles()).map((url) => cache.add(url)));
      } catch {
        // no manifest (the app is not built): nothing to precache
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("collab-") && !KEPT.has(name)) await caches.delete(name);
      }
      await pruneOldBuilds();
      await self.clients.claim();
    })(),
  );
});

/** Drops built files a newer build no longer lists (their names carry content hashes). */
async function pruneOldBuilds(): Promise<void> {
  let current: Set<string>;
  try {
    current = new Set(await shellFiles());
  } catch {
    return;
  }
  if (current.size === 0) return;
  const cache = await caches.open(STATIC_CACHE);
  const appPrefix = `${STATIC_PREFIX}app/`;
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith(appPrefix) && !current.has(path) && !path.endsWith(".json")) {
      await cache.delete(request);
    }
  }
}

function pageKey(url: URL): string {
  return url.origin + url.pathname;
}

async function fromNetworkKeepingPage(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const cache = await caches.open(PAGES_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && response.type === "basic") {
      await cache.put(pageKey(url), response.clone());
    } else if (response.redirected || response.type === "opaqueredirect" || response.status === 403 || response.status === 404) {
      // Signed out, or no longer allowed in: the kept copy must not outlive that.
      await cache.delete(pageKey(url));
    }
    return response;
  } catch (error) {
    const kept = await cache.match(pageKey(url));
    if (kept) return kept;
    if (request.mode === "navigate") return offlinePage();
    throw error;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

async function networkFirstStatic(request: Request): Promise<Response> {
  // Files without a content hash in their name (the page stylesheet): fresh when online.
  const cache = await caches.open(STATIC_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

function offlinePage(): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Collab</title>
<style>body{font-family:system-ui,sans-serif;color:#1b2230;background:#f5f6f8;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:28rem;padding:1.5rem 2rem;background:#fff;border:1px solid #e2e6ec;border-radius:8px}</style></head>
<body><main><h1>You are offline</h1><p>This page was not opened on this device before, so there is no copy of it here.
Rooms and documents you opened before still open while offline.</p><p><a href="">Try again</a></p></main></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT_PATH) {
    // Whoever signs in next on this device must not find this person's pages.
    event.waitUntil(caches.delete(PAGES_CACHE));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    const hashed = url.pathname.startsWith(`${STATIC_PREFIX}app/`) && !url.pathname.endsWith(".json");
    event.respondWith(hashed ? cacheFirst(request) : networkFirstStatic(request));
  } else if (request.mode === "navigate" && KEPT_PAGES.test(url.pathname)) {
    event.respondWith(fromNetworkKeepingPage(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage()));
  }
});

interface KeepMessage {
  type: "keep";
  urls: string[];
}

self.addEventListener("message", (event) => {
  const data = event.data as KeepMessage | undefined;
  if (data?.type !== "keep" || !Array.isArray(data.urls)) return;
  // The page that registered the worker loaded before the worker could see it: it names
  // itself and its files once the worker is ready, and they are kept now.
  event.waitUntil(
    Promise.allSettled(
      data.urls.map(async (raw) => {
        const url = new URL(raw, self.location.origin);
        if (url.origin !== self.location.origin) return;
        if (KEPT_PAGES.test(url.pathname)) {
          const response = await fetch(url.href, { credentials: "same-origin" });
          if (response.ok && !response.redirected) await (await caches.open(PAGES_CACHE)).put(pageKey(url), response);
        } else if (url.pathname.startsWith(STATIC_PREFIX)) {
          const cache = await caches.open(STATIC_CACHE);
          if (!(await cache.match(url.href, { ignoreSearch: true }))) await cache.add(url.href);
        }
      }),
    ),
  );
});
