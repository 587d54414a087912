import { defineConfig } from "vite";

// The app is built into static files that Django serves (frontend/dist is one of
// STATICFILES_DIRS). Everything lands under dist/app/, so the files are /static/app/...; the
// manifest tells the `vite_entry` template tag which hashed files an entry needs.
//
// The service worker is the exception: it keeps one stable name (dist/sw.js, no hash) because
// the browser re-checks it by URL, and Django serves it at /sw.js so that its scope covers
// every page (collab/service_worker.py).
export default defineConfig({
  base: "./",
  publicDir: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "app",
    manifest: "app/manifest.json",
    target: "es2022",
    sourcemap: true,
    chunkSizeWarningLimit: 800, // the editor chunk is ProseMirror and Yjs, loaded on demand
    rolldownOptions: {
      input: { room: "src/room.ts", settings: "src/settings.ts", share: "src/share.ts", sw: "src/sw.ts", notifications: "src/notifications.ts", rooms: "src/rooms.ts" },
      output: {
        entryFileNames: (chunk) => (chunk.name === "sw" ? "sw.js" : "app/[name]-[hash].js"),
      },
    },
  },
});
