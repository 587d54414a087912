// Issue 7, workload 3: an editing trace replayed by a real Yjs client through the server.
//
// Usage: node bench/tracereplay.cjs <args.json>
//   args: {target: {kind, url}, doc: {id, tokens}, trace: <path to .json.gz>, chunk, maxRuntimeS}
//   target as in targets.cjs (Collab or a reference server)
// A writer applies every transaction of a flat trace (one Yjs transaction, so one update, per
// trace transaction), yielding to the event loop every `chunk` transactions so its updates go
// out as it types; an observer client is connected throughout. When the observer's text equals
// the trace's endContent, a third client joins: what it syncs is what the server holds (its
// stored log plus its in-memory state), and must equal endContent too.
// A concurrent trace (several agents, a `parents` DAG) is first worked out offline: each agent
// types into a branch document holding exactly its transaction's parents' history (merged
// from the other agents' earlier updates), which yields one update per trace transaction.
// Then one live client per agent sends its agent's updates, in trace order, through the
// server; every live client, the late one and the database must end at endContent.
'use strict'
const fs = require('fs')
const path = require('path')
const zlib = require('zlib')
const { performance } = require('perf_hooks')
const targets = require('./targets.cjs')

const Y = targets.Y

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
  const conn = targets.connect({ ...args.target, token }, args.doc.id, doc)
  return { doc, conn, text: doc.getText('text') }
}

async function until (predicate, timeoutMs, what, pollMs = 10) {
  const deadline = now() + timeoutMs
  while (!predicate()) {
    if (now() > deadline) throw new Error('timed out: ' + what)
    await sleep(pollMs)
  }
}

// Trace positions are code points, Yjs counts UTF-16 units: they differ only past U+FFFF.
function utf16Offset (string, codePoints) {
  let units = 0
  for (let i = 0; i < codePoints; i++) units += string.codePointAt(units) > 0xffff ? 2 : 1
  return units
}

function applyPatches (text, patches, astral) {
  for (const [pos, del, ins] of patches) {
    const current = astral ? text.toString() : null
    const at = astral ? utf16Offset(current, pos) : pos
    const span = astral ? utf16Offset(current.slice(at), del) : del
    if (span) text.delete(at, span)
    if (ins) text.insert(at, ins)
  }
}

// One update per trace transaction, each typed at exactly its parents' version. A version is
// how many transactions of each agent it holds (an agent's transactions form a chain); an
// agent's branch document catches up to a transaction's version by applying the other
// agents' updates in their order, and must never hold more than that version.
function branchUpdates (trace, astral) {
  const agents = trace.numAgents
  const branches = []
  const updates = [] // per agent, its updates in order
  for (let agent = 0; agent < agents; agent++) {
    const doc = new Y.Doc()
    doc.clientID = agent + 1
    branches.push({ doc, text: doc.getText('text'), holds: new Array(agents).fill(0) })
    updates.push([])
  }
  const versions = []
  const ordered = []
  for (const txn of trace.txns) {
    const version = new Array(agents).fill(0)
    for (const parent of txn.parents) {
      for (let b = 0; b < agents; b++) version[b] = Math.max(version[b], versions[parent][b])
    }
    const branch = branches[txn.agent]
    for (let b = 0; b < agents; b++) {
      const behind = b === txn.agent ? branch.holds[b] !== version[b] : branch.holds[b] > version[b]
      if (behind) throw new Error(`agent ${txn.agent} cannot reach transaction ${versions.length}'s version`)
      for (; branch.holds[b] < version[b]; branch.holds[b]++) Y.applyUpdate(branch.doc, updates[b][branch.holds[b]])
    }
    // What a live client must hold before this update can integrate (and so be sent on):
    // every agent's content at the transaction's version, as Yjs clocks.
    const needs = Array.from({ length: agents }, (_, b) => Y.getState(branch.doc.store, b + 1))
    let update = null
    const keep = (u, origin) => { if (origin === 'trace') update = u }
    branch.doc.on('update', keep)
    branch.doc.transact(() => applyPatches(branch.text, txn.patches, astral), 'trace')
    branch.doc.off('update', keep)
    if (update === null) throw new Error(`transaction ${versions.length} changed nothing`)
    updates[txn.agent].push(update)
    ordered.push({ agent: txn.agent, update, needs })
    version[txn.agent] = ++branch.holds[txn.agent]
    versions.push(version)
  }
  return ordered
}

async function typeFlat (trace, astral, writer, chunk) {
  for (let t = 0; t < trace.txns.length; t++) {
    writer.doc.transact(() => applyPatches(writer.text, trace.txns[t].patches, astral), 'trace')
    if (t % chunk === chunk - 1) await new Promise((resolve) => setImmediate(resolve))
  }
}

// An update whose dependencies a live client lacks would wait inside Yjs, unsent: its
// client first waits (for the other agents' updates to come back through the server).
async function typeConcurrent (ordered, writers, chunk) {
  let waits = 0
  for (let t = 0; t < ordered.length; t++) {
    const { agent, update, needs } = ordered[t]
    const doc = writers[agent].doc
    const ready = () => needs.every((clock, b) => Y.getState(doc.store, b + 1) >= clock)
    if (!ready()) {
      waits++
      await until(ready, 60000, `agent ${agent} to receive transaction ${t}'s dependencies`, 1)
    }
    Y.applyUpdate(doc, update, 'trace')
    if (t % chunk === chunk - 1) await new Promise((resolve) => setImmediate(resolve))
  }
  return waits
}

async function main () {
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(args.trace)))
  const astral = /[\u{10000}-\u{10FFFF}]/u.test(trace.endContent)
  const concurrent = trace.kind === 'concurrent'
  const prepareStarted = now()
  const ordered = concurrent ? branchUpdates(trace, astral) : null
  const prepareMs = now() - prepareStarted
  const tokens = args.doc.tokens
  const writers = []
  for (let agent = 0; agent < (concurrent ? trace.numAgents : 1); agent++) {
    writers.push(connect(tokens[agent % tokens.length]))
  }
  const observer = connect(tokens[writers.length % tokens.length])
  await until(() => writers.every((w) => w.conn.synced) && observer.conn.synced, 30000, 'first sync')
  const chunk = args.chunk || 50
  const started = now()
  let updates = 0
  for (const writer of writers) writer.doc.on('update', (u, origin) => { if (origin === 'trace') updates++ })
  let waits = 0
  if (concurrent) waits = await typeConcurrent(ordered, writers, chunk)
  else await typeFlat(trace, astral, writers[0], chunk)
  const typedMs = now() - started
  const converged = (c) => c.text.length === trace.endContent.length && c.text.toString() === trace.endContent
  await until(() => [observer, ...writers].every(converged), (args.settleS || 120) * 1000, 'converged')
    .catch(() => {})
  const convergedMs = now() - started
  const late = connect(tokens[(writers.length + 1) % tokens.length])
  await until(() => late.conn.synced, 60000, 'late client sync').catch(() => {})
  const writerOk = writers.every(converged)
  const observerOk = converged(observer)
  const serverOk = converged(late)
  emit({
    event: 'result',
    trace: path.basename(args.trace),
    agents: writers.length,
    transactions: trace.txns.length,
    updates,
    end_chars: trace.endContent.length,
    prepare_s: Math.round(prepareMs) / 1000,
    dependency_waits: waits,
    typed_s: Math.round(typedMs) / 1000,
    converged_s: Math.round(convergedMs) / 1000,
    updates_per_s: Math.round(updates / (convergedMs / 1000)),
    writer_equal: writerOk,
    observer_equal: observerOk,
    server_equal: serverOk,
    pass: writerOk && observerOk && serverOk
  })
  for (const c of [...writers, observer, late]) c.conn.close()
  process.exit(0)
}

main().catch((error) => { emit({ event: 'error', error: String(error.stack || error) }); process.exit(2) })
