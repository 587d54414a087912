// The benchmarks' load generator: real Yjs clients (yjs + y-websocket's WebsocketProvider over
// `ws`, as in tests/e2e/node/yclients.cjs) against a Collab server, all in this one process, so
// every client reads the same clock.
//
// Usage: node bench/loadgen.cjs <mode> <args.json>
//   edits  clients type unique markers into their document; reports, for every edit, the delay
//          from the author's local insert to each other client observing it. The clients may
//          be spread over `workers` threads (bench/run.py --threads), so that a hundred
//          clients receiving the same edit are not served one after another by one event
//          loop; every thread reads the same clock (performance.timeOrigin + now). On a
//          2-core machine the extra threads compete with the server, so the default is 1.
//   hold   connects the clients it is told to on stdin and keeps them open (memory workload)
//   open   connects one client at a time to each document and times it until synced
//   churn  one client types while others leave the document (a closed tab): every client
//          that stays must still receive every edit
// Prints one JSON object a line: progress events, then {"event": "result", ...} last.
// Packages come from the front end's node_modules (COLLAB_FRONTEND, default ../frontend).
'use strict'
const fs = require('fs')
const path = require('path')
const readline = require('readline')
const { createRequire } = require('module')
const { performance, monitorEventLoopDelay } = require('perf_hooks')
const { Worker, isMainThread, parentPort, workerData } = require('worker_threads')

const frontend = createRequire(
  path.join(process.env.COLLAB_FRONTEND || path.join(__dirname, '..', 'frontend'), 'package.json'))
const mode = isMainThread ? process.argv[2] : 'worker'
const args = isMainThread ? JSON.parse(fs.readFileSync(process.argv[3], 'utf8')) : workerData
// A reference peer server (args.target, see targets.cjs) is reached through targets.cjs, whose yjs
// must then be the one the documents are made with; Collab keeps its own path, unchanged.
const peer = args.target && args.target.kind !== 'collab' ? require('./targets.cjs') : null
const Y = peer ? peer.Y : frontend('yjs')
const { WebsocketProvider } = peer ? {} : frontend('y-websocket')
const WebSocket = peer ? peer.WebSocket : frontend('ws')
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
// Wall-clock milliseconds with sub-millisecond resolution, the same clock in every thread.
const now = () => performance.timeOrigin + performance.now()

// Nothing here may run forever: past its budget the process reports and exits.
if (isMainThread) {
  setTimeout(() => {
    emit({ event: 'error', error: `load generator over its ${args.maxRuntimeS} s budget` })
    process.exit(3)
  }, (args.maxRuntimeS || 120) * 1000)
}

// A small seeded generator (mulberry32), so a run's schedule can be replayed from its seed.
function randomFrom (seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function connect (documentId, token) {
  const doc = new Y.Doc()
  if (peer) {
    const { provider } = peer.connect(args.target, documentId, doc)
    const client = { doc, provider, text: doc.getText('text'), closes: [], disconnects: 0 }
    provider.on('status', ({ status }) => { if (status === 'disconnected') client.disconnects++ })
    return client
  }
  const provider = new WebsocketProvider(args.server, documentId, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true, // providers in one process would otherwise sync around the server
    params: { token }
  })
  const client = { doc, provider, text: doc.getText('text'), closes: [], disconnects: 0 }
  provider.on('connection-close', (event) => { if (event) client.closes.push(event.code) })
  provider.on('status', ({ status }) => { if (status === 'disconnected') client.disconnects++ })
  return client
}

async function until (predicate, timeoutMs, what) {
  const deadline = now() + timeoutMs
  while (!predicate()) {
    if (now() > deadline) throw new Error('timed out: ' + what)
    await sleep(10)
  }
}

// Connects in batches (a handshake storm of 1,000 sockets measures the storm, not the server).
async function connectAll (specs, batch, timeoutMs) {
  const clients = []
  const started = now()
  for (let i = 0; i < specs.length; i += batch) {
    const group = specs.slice(i, i + batch).map(({ doc, token, ...extra }) =>
      Object.assign(connect(doc, token), extra))
    clients.push(...group)
    await until(() => group.every((c) => c.provider.synced),
      Math.max(1000, timeoutMs - (now() - started)), `sync of clients ${i}..${i + group.length - 1}`)
  }
  return { clients, ms: now() - started }
}

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : null

function summary (values) {
  const sorted = Float64Array.from(values).sort()
  const round = (x) => (x === null ? null : Math.round(x * 100) / 100)
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null),
    mean: round(mean)
  }
}

// A marker is "[<thread>.<edit id>.<send time in µs>]", base 36: unique, and it carries its own
// send time. Markers are typed whole at the end of the local text, so a marker is never split.
const MARKER = /\[([0-9a-z]+\.[0-9a-z]+)\.([0-9a-z]+)\]/g
const markerOf = (thread, id, sentAt) =>
  `[${thread.toString(36)}.${id.toString(36)}.${Math.round(sentAt * 1000).toString(36)}]`

// Calls onMarker(key, sentAt, observedAt) for every marker a remote transaction brings, by
// reading the new structs (the clocks between the transaction's before and after states)
// instead of computing a text delta, which walks the whole text.
function watch (client, onMarker) {
  client.doc.on('afterTransaction', (tr) => {
    if (tr.local) return
    const observedAt = now()
    const stored = client.doc.store.clients
    tr.afterState.forEach((after, author) => {
      const before = tr.beforeState.get(author) || 0
      if (after <= before) return
      const structs = stored.get(author)
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
        const str = structs[i].content && structs[i].content.str
        if (!str) continue
        const from = Math.max(0, before - structs[i].id.clock)
        for (const m of (from ? str.slice(from) : str).matchAll(MARKER)) {
          onMarker(m[1], parseInt(m[2], 36) / 1000, observedAt)
        }
      }
    })
  })
}

// Open-loop Poisson arrivals at `rate` a second: `fire` runs at its scheduled times whatever
// the server does, catching up in a burst when the event loop was late.
function poisson (rate, random, fire, running) {
  const gap = () => -Math.log(1 - random()) / rate * 1000
  let next = now() + gap()
  const tick = () => {
    if (!running()) return
    while (next <= now() && running()) { fire(); next += gap() }
    setTimeout(tick, Math.max(0, next - now()))
  }
  setTimeout(tick, Math.max(0, next - now()))
}

function closeCodes (clients) {
  const codes = {}
  for (const c of clients) for (const code of c.closes) codes[code] = (codes[code] || 0) + 1
  return codes
}

// One thread's share of the `edits` clients. Messages from the main thread: `start` (type
// until `stop`), `stop`, `settle` (with every document's edit count: wait for them, report).
async function editsWorker () {
  const random = randomFrom(args.seed)
  const { clients } = await connectAll(args.clients.map((spec) => ({ ...spec, seen: new Set(), authored: 0 })),
    args.connectBatch, 90000)
  const sent = [] // per edit of this thread: [document, send time]
  const observed = [] // [send time, latency] of every remote edit observed
  const firstPeer = new Map() // edit key -> [send time, smallest latency seen in this thread]
  let duplicates = 0
  for (const c of clients) {
    watch(c, (key, sentAt, observedAt) => {
      if (c.seen.has(key)) { duplicates++; return }
      c.seen.add(key)
      const latency = observedAt - sentAt
      observed.push(sentAt, latency)
      const first = firstPeer.get(key)
      if (first === undefined) confirm(key)
      if (first === undefined || latency < first[1]) firstPeer.set(key, [sentAt, latency])
    })
  }
  let running = false
  const authors = [] // per edit of this thread, the client that typed it
  const type = (c) => {
    const sentAt = now()
    c.text.insert(c.text.length, markerOf(args.thread, sent.length, sentAt))
    sent.push([c.d, sentAt])
    authors.push(c)
    c.authored++
    c.inFlight = (c.inFlight || 0) + 1
  }
  // The first peer to see an edit confirms it to its author (closed-loop typing).
  const ownPrefix = args.thread.toString(36) + '.'
  const confirm = (key) => {
    if (!key.startsWith(ownPrefix)) return
    const author = authors[parseInt(key.slice(ownPrefix.length), 36)]
    author.inFlight--
    if (author.wake) { const wake = author.wake; author.wake = null; wake() }
  }
  // Types as fast as allowed: at most `perClientRate` edits a second (under the server's
  // per-connection limit) and never more than `maxInFlight` not yet seen by a peer.
  const typeFlatOut = async (c) => {
    const gap = 1000 / args.perClientRate
    let next = now() + random() * gap
    while (running) {
      await sleep(Math.max(0, next - now()))
      while (running && c.inFlight >= args.maxInFlight) await new Promise((resolve) => { c.wake = resolve })
      if (!running) break
      type(c)
      next = Math.max(next + gap, now())
    }
  }
  const loopDelay = monitorEventLoopDelay({ resolution: 5 })
  const start = () => {
    running = true
    loopDelay.enable()
    if (args.maxInFlight) {
      for (const c of clients) typeFlatOut(c)
    } else if (args.perClientRate) {
      for (const c of clients) poisson(args.perClientRate, random, () => type(c), () => running)
    } else {
      for (const { d, rate } of args.docRates) {
        const group = clients.filter((c) => c.d === d)
        poisson(rate, random, () => type(group[Math.floor(random() * group.length)]), () => running)
      }
    }
  }
  const settle = async ({ docEdits, windowStart, windowEnd, settleS, intervalS }) => {
    const expectedOf = (c) => docEdits[c.d] - c.authored
    let settled = true
    try {
      await until(() => clients.every((c) => c.seen.size >= expectedOf(c)), settleS * 1000, 'delivery')
    } catch { settled = false }
    const inWindow = (t) => t >= windowStart && t < windowEnd
    const latencies = []
    const byInterval = [] // with intervalS: the window's latencies by the edit's send interval
    for (let i = 0; i < observed.length; i += 2) {
      if (!inWindow(observed[i])) continue
      latencies.push(observed[i + 1])
      if (intervalS) {
        const k = Math.floor((observed[i] - windowStart) / (intervalS * 1000))
        ;(byInterval[k] = byInterval[k] || []).push(observed[i + 1])
      }
    }
    const first = []
    for (const [key, [sentAt, latency]] of firstPeer) if (inWindow(sentAt)) first.push(key, latency)
    let clientsMissing = 0
    let markersMissing = 0
    for (const c of clients) {
      const keys = new Set(Array.from(c.text.toString().matchAll(MARKER), (m) => m[1]))
      const missing = docEdits[c.d] - keys.size
      if (missing) { clientsMissing++; markersMissing += missing }
    }
    loopDelay.disable()
    return {
      settled,
      expected: clients.reduce((sum, c) => sum + expectedOf(c), 0),
      observed: clients.reduce((sum, c) => sum + c.seen.size, 0),
      duplicates,
      latencies,
      byInterval,
      first,
      clientsMissing,
      markersMissing,
      editsInWindow: sent.filter(([, t]) => inWindow(t)).length,
      disconnects: clients.reduce((sum, c) => sum + c.disconnects, 0),
      closeCodes: closeCodes(clients),
      loopDelayP99: loopDelay.percentile(99) / 1e6,
      loopDelayMax: loopDelay.max / 1e6
    }
  }
  parentPort.on('message', async (message) => {
    if (message.type === 'start') start()
    else if (message.type === 'stop') {
      running = false
      for (const c of clients) if (c.wake) { const wake = c.wake; c.wake = null; wake() }
      const perDoc = {}
      for (const [d] of sent) perDoc[d] = (perDoc[d] || 0) + 1
      parentPort.postMessage({ type: 'stopped', perDoc })
    } else if (message.type === 'settle') {
      parentPort.postMessage({ type: 'settled', ...(await settle(message)) })
    } else if (message.type === 'close') {
      for (const c of clients) c.provider.destroy()
      parentPort.postMessage({ type: 'closed' })
    }
  })
  parentPort.postMessage({ type: 'connected' })
}

// The main thread of `edits`: spreads the clients over the threads, runs the phases, merges.
async function edits () {
  const threads = Math.max(1, Math.min(args.workers || 1, args.docs.length * args.clientsPerDoc))
  const shares = Array.from({ length: threads }, (_, thread) => ({ thread, clients: [], docRates: [] }))
  // A document's clients share a thread when there are documents enough to go round (an
  // author then learns at once that a peer saw its edit); else clients are dealt out singly.
  const byDocument = args.docs.length >= threads
  let i = 0
  args.docs.forEach((doc, d) => {
    const members = Array(threads).fill(0)
    for (let k = 0; k < args.clientsPerDoc; k++, i++) {
      const thread = byDocument ? d % threads : i % threads
      shares[thread].clients.push({ doc: doc.id, token: doc.tokens[k % doc.tokens.length], d })
      members[thread]++
    }
    members.forEach((m, thread) => {
      if (m) shares[thread].docRates.push({ d, rate: args.ratePerDoc * m / args.clientsPerDoc })
    })
  })
  const connectStart = now()
  const workers = shares.map((share) => new Worker(__filename, {
    workerData: {
      ...share,
      server: args.server,
      target: args.target, // a worker picks its client library (and yjs) from this, as main does
      seed: (args.seed || 1) * 1000 + share.thread,
      perClientRate: args.perClientRate,
      maxInFlight: args.maxInFlight,
      connectBatch: Math.max(5, Math.ceil((args.connectBatch || 50) / threads))
    }
  }))
  const inbox = workers.map(() => [])
  workers.forEach((worker, w) => {
    worker.on('message', (message) => {
      if (message.type === 'failed') { emit({ event: 'error', error: message.error }); process.exit(1) }
      inbox[w].push(message)
    })
    worker.on('error', (error) => { emit({ event: 'error', error: String(error.stack || error) }); process.exit(1) })
  })
  const all = async (type, timeoutMs) => {
    await until(() => inbox.every((box) => box.some((m) => m.type === type)), timeoutMs, type)
    return inbox.map((box) => box.splice(box.findIndex((m) => m.type === type), 1)[0])
  }
  const tell = (message) => workers.forEach((worker) => worker.postMessage(message))
  await all('connected', 120000)
  const connectMs = now() - connectStart
  const clientCount = args.docs.length * args.clientsPerDoc
  emit({ event: 'connected', clients: clientCount, threads, ms: Math.round(connectMs) })

  tell({ type: 'start' })
  await sleep(args.warmupS * 1000)
  const cpuBefore = process.cpuUsage()
  const windowStart = now()
  emit({ event: 'measure-start', wall: windowStart / 1000 })
  await sleep(args.durationS * 1000)
  const windowEnd = now()
  const cpu = process.cpuUsage(cpuBefore)
  emit({ event: 'measure-end', wall: windowEnd / 1000 })
  tell({ type: 'stop' })
  const docEdits = args.docs.map(() => 0)
  for (const { perDoc } of await all('stopped', 10000)) {
    for (const [d, n] of Object.entries(perDoc)) docEdits[d] += n
  }
  const settleStart = now()
  tell({ type: 'settle', docEdits, windowStart, windowEnd, settleS: args.settleS, intervalS: args.intervalS })
  const reports = await all('settled', (args.settleS + 30) * 1000)
  const settleMs = now() - settleStart
  tell({ type: 'close' })
  await all('closed', 10000).catch(() => {})

  const sum = (key) => reports.reduce((total, r) => total + r[key], 0)
  const firstPeer = new Map()
  for (const { first } of reports) {
    for (let j = 0; j < first.length; j += 2) {
      const known = firstPeer.get(first[j])
      if (known === undefined || first[j + 1] < known) firstPeer.set(first[j], first[j + 1])
    }
  }
  const codes = {}
  for (const r of reports) for (const [code, n] of Object.entries(r.closeCodes)) codes[code] = (codes[code] || 0) + n
  const windowMs = windowEnd - windowStart
  const round2 = (x) => Math.round(x * 100) / 100
  const latencies = reports.flatMap((r) => r.latencies)
  return {
    event: 'result',
    clients: clientCount,
    documents: args.docs.length,
    threads,
    connectMs: Math.round(connectMs),
    editsTotal: docEdits.reduce((a, b) => a + b, 0),
    editsInWindow: sum('editsInWindow'),
    editsPerSecond: Math.round(sum('editsInWindow') / (windowMs / 1000) * 10) / 10,
    deliveriesExpected: sum('expected'),
    deliveriesObserved: sum('observed'),
    deliveriesLost: sum('expected') - sum('observed'),
    duplicates: sum('duplicates'),
    settled: reports.every((r) => r.settled),
    settleMs: Math.round(settleMs),
    clientsMissingEdits: sum('clientsMissing'),
    markersMissing: sum('markersMissing'),
    latencyMs: summary(latencies),
    // With args.intervalS: the latency of the edits sent in each interval of the window, so a
    // long run shows whether (and when) it drifts.
    latencyByIntervalMs: args.intervalS
      ? Array.from({ length: Math.ceil(windowMs / 1000 / args.intervalS) }, (_, k) => ({
        fromS: k * args.intervalS,
        ...summary(reports.flatMap((r) => r.byInterval[k] || []))
      }))
      : undefined,
    firstPeerLatencyMs: summary(Array.from(firstPeer.values())),
    disconnects: sum('disconnects'),
    closeCodes: codes,
    loadgenCpuPercent: Math.round((cpu.user + cpu.system) / 1000 / windowMs * 1000) / 10,
    // All of this process's CPU in the window (typing included) over the deliveries of the
    // window's edits: with one thread, a delivery waits for those handled before it.
    loadgenCpuUsPerDelivery: latencies.length ? Math.round((cpu.user + cpu.system) / latencies.length) : null,
    loadgenLoopDelayMs: {
      p99: round2(Math.max(...reports.map((r) => r.loopDelayP99))),
      max: round2(Math.max(...reports.map((r) => r.loopDelayMax)))
    }
  }
}

const modes = {
  edits,

  async churn () {
    const spec = () => ({ doc: args.doc, token: args.token })
    const total = { event: 'result', rounds: args.rounds, typed: 0, left: 0, stayed: args.stay, stayedMissingEdits: 0 }
    const codes = { typer: [], stay: [] }
    for (let round = 0; round < args.rounds; round++) {
      const { clients: stay } = await connectAll(Array.from({ length: args.stay }, spec), 50, 60000)
      const { clients: [typer] } = await connectAll([spec()], 1, 60000)
      const { clients: leaving } = await connectAll(Array.from({ length: args.leave }, spec), 50, 60000)
      let typed = 0
      const typing = setInterval(() => typer.text.insert(typer.text.length, `[r${round}t${typed++}]`), args.typeEveryMs)
      for (const c of leaving) { c.provider.destroy(); await sleep(args.leaveEveryMs) }
      clearInterval(typing)
      const expected = Array.from({ length: typed }, (_, k) => `[r${round}t${k}]`)
      const complete = (c) => { const text = c.text.toString(); return expected.every((m) => text.includes(m)) }
      const settleStart = now()
      while (now() - settleStart < args.settleS * 1000 && !stay.every(complete)) await sleep(50)
      total.typed += typed
      total.left += leaving.length
      total.stayedMissingEdits += stay.filter((c) => !complete(c)).length
      codes.typer.push(typer)
      codes.stay.push(...stay)
      for (const c of [...stay, typer]) c.provider.destroy()
      await sleep(500)
    }
    return { ...total, typerCloseCodes: closeCodes(codes.typer), stayedCloseCodes: closeCodes(codes.stay) }
  },

  async hold () {
    const all = []
    const lines = readline.createInterface({ input: process.stdin })
    emit({ event: 'ready' })
    for await (const line of lines) {
      const command = JSON.parse(line)
      if (command.cmd === 'exit') break
      const { clients, ms } = await connectAll(command.connections, command.batch || 50, 90000)
      all.push(...clients)
      const lengths = clients.map((c) => c.text.length)
      emit({ event: 'connected', n: clients.length, ms: Math.round(ms), minLength: Math.min(...lengths) })
    }
    const result = { event: 'result', clients: all.length, disconnects: all.reduce((s, c) => s + c.disconnects, 0), closeCodes: closeCodes(all) }
    for (const c of all) c.provider.destroy()
    return result
  },

  async open () {
    const times = {}
    for (let rep = 0; rep < args.reps; rep++) {
      for (const doc of args.docs) {
        const started = now()
        const client = connect(doc.id, doc.token)
        await until(() => client.provider.synced, 60000, `sync of ${doc.label}`)
        const ms = now() - started
        const length = client.text.length
        client.provider.destroy()
        if (length !== doc.length) throw new Error(`${doc.label}: ${length} characters, expected ${doc.length}`)
        ;(times[doc.label] = times[doc.label] || []).push(ms)
        await sleep(args.pauseMs) // the last client out unloads the document: the next open is cold
      }
    }
    const result = { event: 'result', reps: args.reps }
    for (const [label, values] of Object.entries(times)) result[label] = summary(values)
    return result
  }
}

if (!isMainThread) {
  editsWorker().catch((error) => parentPort.postMessage({ type: 'failed', error: String(error.stack || error) }))
} else {
  modes[mode]()
    .then((result) => { emit(result); process.exit(0) })
    .catch((error) => { emit({ event: 'error', error: String(error.stack || error) }); process.exit(1) })
}
