// Issue 7, workload 3: an editing trace replayed by a real Yjs client through the server.
//
// Usage: node bench/tracereplay.cjs <args.json>
//   args: {server, doc: {id, tokens}, trace: <path to .json.gz>, chunk, maxRuntimeS}
// A writer applies every transaction of a flat trace (one Yjs transaction, so one update, per
// trace transaction), yielding to the event loop every `chunk` transactions so its updates go
// out as it types; an observer client is connected throughout. When the observer's text equals
// the trace's endContent, a third client joins: what it syncs is what the server holds (its
// stored log plus its in-memory state), and must equal endContent too.
// Concurrent traces (a `parents` DAG) are refused: replaying them needs each agent to apply its
// edit at exactly its parents' version, which live clients cannot promise.
'use strict'
const fs = require('fs')
const path = require('path')
const zlib = require('zlib')
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
  emit({ event: 'error', error: `tracereplay over its ${args.maxRuntimeS} s budget` })
  process.exit(3)
}, (args.maxRuntimeS || 600) * 1000)

function connect (token) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(args.server, args.doc.id, doc, {
    WebSocketPolyfill: WebSocket, disableBc: true, params: { token }
  })
  return { doc, provider, text: doc.getText('text') }
}

async function until (predicate, timeoutMs, what) {
  const deadline = now() + timeoutMs
  while (!predicate()) {
    if (now() > deadline) throw new Error('timed out: ' + what)
    await sleep(10)
  }
}

// Trace positions are code points, Yjs counts UTF-16 units: they differ only past U+FFFF.
function utf16Offset (string, codePoints) {
  let units = 0
  for (let i = 0; i < codePoints; i++) units += string.codePointAt(units) > 0xffff ? 2 : 1
  return units
}

async function main () {
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(args.trace)))
  if (trace.kind === 'concurrent') throw new Error('concurrent traces are not replayed (see header)')
  const astral = /[\u{10000}-\u{10FFFF}]/u.test(trace.endContent)
  const writer = connect(args.doc.tokens[0])
  const observer = connect(args.doc.tokens[1 % args.doc.tokens.length])
  await until(() => writer.provider.synced && observer.provider.synced, 30000, 'first sync')
  const chunk = args.chunk || 50
  const started = now()
  let updates = 0
  writer.doc.on('update', () => { updates++ })
  for (let t = 0; t < trace.txns.length; t++) {
    writer.doc.transact(() => {
      for (const [pos, del, ins] of trace.txns[t].patches) {
        const current = astral ? writer.text.toString() : null
        const at = astral ? utf16Offset(current, pos) : pos
        const span = astral ? utf16Offset(current.slice(at), del) : del
        if (span) writer.text.delete(at, span)
        if (ins) writer.text.insert(at, ins)
      }
    })
    if (t % chunk === chunk - 1) await new Promise((resolve) => setImmediate(resolve))
  }
  const typedMs = now() - started
  const writerOk = writer.text.toString() === trace.endContent
  await until(() => observer.text.length === writer.text.length &&
    observer.text.toString() === trace.endContent, (args.settleS || 120) * 1000, 'observer converged')
    .catch(() => {})
  const convergedMs = now() - started
  const observerOk = observer.text.toString() === trace.endContent
  const late = connect(args.doc.tokens[2 % args.doc.tokens.length])
  await until(() => late.provider.synced, 60000, 'late client sync').catch(() => {})
  const serverOk = late.text.toString() === trace.endContent
  emit({
    event: 'result',
    trace: path.basename(args.trace),
    transactions: trace.txns.length,
    updates,
    end_chars: trace.endContent.length,
    typed_s: Math.round(typedMs) / 1000,
    converged_s: Math.round(convergedMs) / 1000,
    updates_per_s: Math.round(updates / (convergedMs / 1000)),
    writer_equal: writerOk,
    observer_equal: observerOk,
    server_equal: serverOk,
    pass: writerOk && observerOk && serverOk
  })
  for (const c of [writer, observer, late]) c.provider.destroy()
  process.exit(0)
}

main().catch((error) => { emit({ event: 'error', error: String(error.stack || error) }); process.exit(2) })
