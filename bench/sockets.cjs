// Issue 7, workload 1: many connected Yjs clients, mostly idle, a few editing.
//
// Usage: node bench/sockets.cjs <args.json>
//   args: {target: {kind, url}, docs: [{id, tokens}], clients, editors, editRateHz, idleS, editS,
//          settleS, batch, maxRuntimeS}; target as in targets.cjs (Collab or a reference server)
// Client i opens document i % docs.length with token i / docs.length (one person per socket).
// Phases, each announced as {"event": "phase", "phase": ..., "wall": <epoch s>} so that the
// caller can sample the server's CPU and RSS in the right window: connect, idle, edit, settle.
// Every editor types unique markers; every other client of its document must observe each one
// (the edit-to-peer delay is measured in this one process, so one clock).
'use strict'
const fs = require('fs')
const { performance } = require('perf_hooks')
const targets = require('./targets.cjs')

const Y = targets.Y

const args = JSON.parse(fs.readFileSync(process.argv[process.argv.length - 1], 'utf8'))
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => performance.timeOrigin + performance.now()
const phase = (name) => emit({ event: 'phase', phase: name, wall: now() / 1000 })

setTimeout(() => {
  emit({ event: 'error', error: `sockets over its ${args.maxRuntimeS} s budget` })
  process.exit(3)
}, (args.maxRuntimeS || 600) * 1000)

const sent = new Map() // marker -> local insert time
const delays = []
const MARKER = /\[e(\d+)\.(\d+)\]/g

function connect (index, documentId, token) {
  const doc = new Y.Doc()
  const conn = targets.connect({ ...args.target, token }, documentId, doc)
  const client = { index, doc, conn, text: doc.getText('text'), seen: 0, closes: 0, codes: [] }
  conn.onClose((code) => { client.closes++; if (code !== undefined) client.codes.push(code) })
  client.text.observe((event, transaction) => {
    if (transaction.local) return
    const t = now()
    for (const op of event.delta) {
      if (typeof op.insert !== 'string') continue
      for (const match of op.insert.matchAll(MARKER)) {
        const at = sent.get(match[0])
        if (at !== undefined) { delays.push(t - at); client.seen++ }
      }
    }
  })
  return client
}

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : null
const round = (x) => (x === null ? null : Math.round(x * 100) / 100)

async function main () {
  const docs = args.docs
  const clients = []
  const started = now()
  phase('connect')
  const batch = args.batch || 200
  for (let i = 0; i < args.clients; i += batch) {
    const group = []
    for (let j = i; j < Math.min(args.clients, i + batch); j++) {
      const d = docs[j % docs.length]
      group.push(connect(j, d.id, d.tokens[Math.floor(j / docs.length) % d.tokens.length]))
    }
    clients.push(...group)
    const deadline = now() + (args.syncTimeoutS || 60) * 1000
    while (!group.every((c) => c.conn.synced) && now() < deadline) await sleep(20)
    emit({ event: 'progress', connected: clients.length, synced: clients.filter((c) => c.conn.synced).length })
  }
  const connectMs = now() - started
  const synced = clients.filter((c) => c.conn.synced).length
  phase('idle')
  await sleep((args.idleS || 10) * 1000)

  // Editors: the first `editors` clients, spread over distinct documents by construction.
  const editors = clients.slice(0, args.editors)
  const perDoc = new Map()
  for (const c of clients) perDoc.set(c.index % docs.length, (perDoc.get(c.index % docs.length) || 0) + 1)
  phase('edit')
  let edits = 0
  let expected = 0
  const editUntil = now() + (args.editS || 20) * 1000
  const interval = 1000 / (args.editRateHz || 1)
  let next = now()
  while (now() < editUntil) {
    for (const editor of editors) {
      const marker = `[e${editor.index}.${edits}]`
      sent.set(marker, now())
      editor.text.insert(Math.floor(editor.text.length / 2), marker)
      expected += perDoc.get(editor.index % docs.length) - 1
    }
    edits++
    next += interval
    await sleep(Math.max(0, next - now()))
  }
  phase('settle')
  const settleUntil = now() + (args.settleS || 10) * 1000
  while (delays.length < expected && now() < settleUntil) await sleep(50)
  phase('done')
  const sorted = Float64Array.from(delays).sort()
  emit({
    event: 'result',
    clients: clients.length,
    documents: docs.length,
    synced,
    connect_all_s: round(connectMs / 1000),
    editors: editors.length,
    edits_sent: edits * editors.length,
    receipts_expected: expected,
    receipts: delays.length,
    missing: expected - delays.length,
    closes: clients.reduce((n, c) => n + c.closes, 0),
    close_codes: clients.flatMap((c) => c.codes).reduce((h, k) => { h[k] = (h[k] || 0) + 1; return h }, {}),
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.length ? sorted[sorted.length - 1] : null),
    node_rss_mib: Math.round(process.memoryUsage().rss / 2 ** 20)
  })
  for (const c of clients) c.conn.close()
  process.exit(0)
}

main().catch((error) => { emit({ event: 'error', error: String(error.stack || error) }); process.exit(2) })
