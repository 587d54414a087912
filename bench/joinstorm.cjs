// Issue 7, workload 2: a join storm. `clients` Yjs clients open one large document at the same
// moment; each is timed from its socket's creation to synced (its text as long as the stored
// document's, which the first, warm-up client measured beforehand, alone).
//
// Usage: node bench/joinstorm.cjs <args.json>
//   args: {server, doc: {id, tokens}, clients, maxRuntimeS, syncTimeoutS}
'use strict'
const fs = require('fs')
const path = require('path')
const { createRequire } = require('module')
const { performance } = require('perf_hooks')

const frontend = createRequire(
  path.join(process.env.COLLAB_FRONTEND || path.join(__dirname, '..', 'frontend'), 'package.json'))
const Y = frontend('yjs')
const { WebsocketProvider } = frontend('y-websocket')
const WebSocket = frontend('ws')

const args = JSON.parse(fs.readFileSync(process.argv[process.argv.length - 1], 'utf8'))
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => performance.timeOrigin + performance.now()

setTimeout(() => {
  emit({ event: 'error', error: `joinstorm over its ${args.maxRuntimeS} s budget` })
  process.exit(3)
}, (args.maxRuntimeS || 300) * 1000)

function connect (token) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(args.server, args.doc.id, doc, {
    WebSocketPolyfill: WebSocket, disableBc: true, params: { token }
  })
  const client = { doc, provider, text: doc.getText('text'), started: now(), syncedAt: null }
  provider.on('sync', (synced) => { if (synced && client.syncedAt === null) client.syncedAt = now() })
  return client
}

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : null
const round = (x) => (x === null ? null : Math.round(x * 10) / 10)

async function until (predicate, timeoutMs) {
  const deadline = now() + timeoutMs
  while (!predicate() && now() < deadline) await sleep(10)
}

async function main () {
  const timeoutMs = (args.syncTimeoutS || 120) * 1000
  // One client alone first: the document's length, and the server's cold load out of the way
  // (the storm measures many joins of a loaded document, not one load from the database).
  const warm = connect(args.doc.tokens[0])
  await until(() => warm.syncedAt !== null, timeoutMs)
  const length = warm.text.length
  const coldMs = warm.syncedAt === null ? null : warm.syncedAt - warm.started
  const update = Y.encodeStateAsUpdate(warm.doc).length
  emit({ event: 'phase', phase: 'storm', wall: now() / 1000, length, update_bytes: update })
  const started = now()
  const clients = []
  for (let i = 0; i < args.clients; i++) clients.push(connect(args.doc.tokens[(i + 1) % args.doc.tokens.length]))
  await until(() => clients.every((c) => c.syncedAt !== null && c.text.length === length), timeoutMs)
  const ends = now()
  emit({ event: 'phase', phase: 'done', wall: ends / 1000 })
  const ok = clients.filter((c) => c.syncedAt !== null && c.text.length === length)
  const sorted = Float64Array.from(ok.map((c) => c.syncedAt - c.started)).sort()
  emit({
    event: 'result',
    clients: clients.length,
    text_chars: length,
    state_update_bytes: update,
    cold_open_ms: round(coldMs),
    synced: ok.length,
    failures: clients.length - ok.length,
    all_synced_s: round((ends - started) / 100) / 10,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.length ? sorted[sorted.length - 1] : null)
  })
  for (const c of [warm, ...clients]) c.provider.destroy()
  process.exit(0)
}

main().catch((error) => { emit({ event: 'error', error: String(error.stack || error) }); process.exit(2) })
