// Issue 7, workload 2: a join storm. `clients` Yjs clients open one large document at the same
// moment; each is timed from its socket's creation to synced (its text as long as the stored
// document's, which the first, warm-up client measured beforehand, alone).
//
// Usage: node bench/joinstorm.cjs <args.json>
//   args: {target: {kind, url}, doc: {id, tokens}, clients, maxRuntimeS, syncTimeoutS, fillChars}
// target as in targets.cjs. Collab's document is filled beforehand in its database; a reference
// server keeps documents in memory only, so with `fillChars` the warm-up client first types that
// many characters (as scale_seed.py's fill does: 1,000-character updates of distinct lines) and
// a second client checks that the server holds all of it.
'use strict'
const fs = require('fs')
const { performance } = require('perf_hooks')
const targets = require('./targets.cjs')

const Y = targets.Y

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
  const conn = targets.connect({ ...args.target, token }, args.doc.id, doc)
  const client = { doc, conn, text: doc.getText('text'), started: now(), syncedAt: null }
  conn.onSynced(() => { if (client.syncedAt === null) client.syncedAt = now() })
  return client
}

const CHUNK = 1000

async function fill (client, chars) {
  for (let total = 0, line = 0; total < chars; line += 24) {
    let paragraph = ''
    for (let i = 0; i < 24; i++) paragraph += `line ${String(line + i).padStart(7, '0')} of a long benchmark text.\n`
    paragraph = paragraph.slice(0, Math.min(CHUNK, chars - total))
    client.text.insert(client.text.length, paragraph)
    total += paragraph.length
    if (line % 2400 === 0) await sleep(0)
  }
  const check = connect(args.doc.tokens[0])
  await until(() => check.syncedAt !== null && check.text.length === chars, (args.syncTimeoutS || 120) * 1000)
  const held = check.text.length
  check.conn.close()
  if (held !== chars) throw new Error(`the server holds ${held} of the ${chars} characters typed`)
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
  if (args.fillChars) await fill(warm, args.fillChars)
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
    all_synced_s: Math.round((ends - started) / 10) / 100,
    p50_ms: round(percentile(sorted, 50)),
    p95_ms: round(percentile(sorted, 95)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.length ? sorted[sorted.length - 1] : null)
  })
  for (const c of [warm, ...clients]) c.conn.close()
  process.exit(0)
}

main().catch((error) => { emit({ event: 'error', error: String(error.stack || error) }); process.exit(2) })
