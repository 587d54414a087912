// The room socket's load generator: real clients of /ws/rooms/{room} (JSON text frames over
// `ws`, from the front end's node_modules, as in tests/e2e/node/roomclients.cjs), all in this
// one process, so every client reads the same clock.
//
// Usage: node bench/roomload.cjs <mode> <args.json>
//   fanout  every member connected (in batches), some of them sending chat messages (Poisson
//           arrivals, a random sender each): for every message and every other member, the
//           delay from the send to that member receiving its message.new
//   storm   observers connected first; then the storm's clients all open at once, and once
//           every one has its snapshot, all close at once: the time until every member's view
//           (presence.snapshot plus the join and leave events after it) is right
// Prints one JSON object a line: progress events, then {"event": "result", ...} last.
'use strict'
const fs = require('fs')
const path = require('path')
const { createRequire } = require('module')
const { performance, monitorEventLoopDelay } = require('perf_hooks')

const frontend = createRequire(
  path.join(process.env.COLLAB_FRONTEND || path.join(__dirname, '..', 'frontend'), 'package.json'))
const WebSocket = frontend('ws')

const mode = process.argv[2]
const args = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => performance.timeOrigin + performance.now()

// Nothing here may run forever: past its budget the process reports and exits.
setTimeout(() => {
  emit({ event: 'error', error: `room load generator over its ${args.maxRuntimeS} s budget` })
  process.exit(3)
}, (args.maxRuntimeS || 120) * 1000)

function randomFrom (seed) { // mulberry32, so a run's schedule can be replayed from its seed
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : null

function summary (values) {
  const sorted = Float64Array.from(values).sort()
  const round = (x) => (x === null ? null : Math.round(x * 100) / 100)
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.length ? sorted[sorted.length - 1] : null)
  }
}

async function until (predicate, timeoutMs, what, pollMs = 10) {
  const deadline = now() + timeoutMs
  while (!predicate()) {
    if (now() > deadline) throw new Error('timed out: ' + what)
    await sleep(pollMs)
  }
}

// One member's socket. `view` is who it believes is present (user ids): the snapshot, then
// each join and leave. `onEvent` sees every other event.
function open (index, token, userId, onEvent) {
  const c = {
    index,
    userId,
    view: null,
    openedAt: now(),
    snapshotAt: null,
    closedAt: null,
    closeCode: null,
    errors: {},
    onEvent,
    ws: new WebSocket(`${args.server}/ws/rooms/${args.room}?token=${encodeURIComponent(token)}`)
  }
  c.ws.on('message', (data) => {
    const at = now()
    const frame = JSON.parse(data)
    // A burst of presence events arrives as one presence.batch: applied one by one, in order.
    for (const event of frame.type === 'presence.batch' ? frame.events : [frame]) handle(c, event, at)
  })
  c.ws.on('close', (code) => { c.closeCode = code; c.closedAt = now() })
  c.ws.on('error', () => {}) // a refused handshake also closes: counted there
  return c
}

function handle (c, event, at) {
  switch (event.type) {
    case 'presence.snapshot':
      c.view = new Set(event.members.map((m) => m.user.id))
      c.snapshotAt = at
      break
    case 'presence.join': if (c.view) c.view.add(event.user.id); break
    case 'presence.leave': if (c.view) c.view.delete(event.user.id); break
    case 'error': c.errors[event.code] = (c.errors[event.code] || 0) + 1; break
    default: if (c.onEvent) c.onEvent(c, event, at)
  }
}

const joined = (c) => c.snapshotAt !== null
const gone = (c) => c.closeCode !== null

function tally (clients) {
  const closeCodes = {}
  const errors = {}
  for (const c of clients) {
    if (c.closeCode !== null) closeCodes[c.closeCode] = (closeCodes[c.closeCode] || 0) + 1
    for (const [code, n] of Object.entries(c.errors)) errors[code] = (errors[code] || 0) + n
  }
  return { closeCodes, errors }
}

// Connects in batches, each batch joined (snapshot received) before the next.
async function connectAll (specs, batch, onEvent, timeoutMs) {
  const clients = []
  const started = now()
  for (let i = 0; i < specs.length; i += batch) {
    const group = specs.slice(i, i + batch).map(({ token, userId }, k) => open(i + k, token, userId, onEvent))
    clients.push(...group)
    await until(() => group.every((c) => joined(c) || gone(c)),
      Math.max(1000, timeoutMs - (now() - started)), `join of clients ${i}..${i + group.length - 1}`)
    const refused = group.filter(gone)
    if (refused.length) throw new Error(`${refused.length} clients refused: ${JSON.stringify(tally(refused))}`)
  }
  return { clients, ms: now() - started }
}

const modes = {
  async fanout () {
    const random = randomFrom(args.seed || 7)
    const sent = new Map() // client_id -> { sender, sentAt }
    const latencies = []
    const firstLatencies = new Map() // client_id -> smallest latency
    let duplicates = 0
    let running = false
    let windowStart = Infinity
    let windowEnd = Infinity
    const onEvent = (c, event, at) => {
      if (event.type !== 'message.new') return
      const key = event.message.client_id
      const send = sent.get(key)
      if (send === undefined) return // not ours (history, system messages)
      if (c.seen.has(key)) { duplicates++; return }
      c.seen.add(key)
      if (c.index === send.sender) { send.confirmedAt = at; return }
      const latency = at - send.sentAt
      if (send.sentAt >= windowStart && send.sentAt < windowEnd) latencies.push(latency)
      const first = firstLatencies.get(key)
      if (first === undefined || latency < first) firstLatencies.set(key, latency)
    }
    const specs = args.tokens.map((token, i) => ({ token, userId: args.userIds[i] }))
    const { clients, ms: connectMs } = await connectAll(specs, args.connectBatch || 50, onEvent, 240000)
    for (const c of clients) c.seen = new Set()
    emit({ event: 'connected', clients: clients.length, ms: Math.round(connectMs) })
    // Let the joins' presence events drain before sending anything: every member sees all.
    // If they never do (a lost presence event), say so and measure the chat all the same.
    const drainStart = now()
    const presenceSettled = await until(() => clients.every((c) => c.view && c.view.size === clients.length),
      args.drainS * 1000, 'every member sees every other', 50).then(() => true, () => false)
    const drainMs = now() - drainStart
    const presenceWrongViews = clients.filter((c) => !c.view || c.view.size !== clients.length).length
    await sleep(1000)

    const senders = clients.slice(0, args.senders)
    let count = 0
    const fire = () => {
      const sender = senders[Math.floor(random() * senders.length)]
      const key = `b${count++}`
      sent.set(key, { sender: sender.index, sentAt: now(), confirmedAt: null })
      sender.ws.send(JSON.stringify({ type: 'message.send', body: `bench message ${key}`, client_id: key }))
    }
    const gap = () => -Math.log(1 - random()) / args.rate * 1000
    running = true
    const schedule = async () => { // open-loop Poisson arrivals, catching up when late
      let next = now() + gap()
      while (running) {
        await sleep(Math.max(0, next - now()))
        while (running && next <= now()) { fire(); next += gap() }
      }
    }
    const scheduler = schedule()
    const loopDelay = monitorEventLoopDelay({ resolution: 5 })
    await sleep(args.warmupS * 1000)
    loopDelay.enable()
    const cpuBefore = process.cpuUsage()
    windowStart = now()
    emit({ event: 'measure-start', wall: windowStart / 1000 })
    await sleep(args.durationS * 1000)
    windowEnd = now()
    const cpu = process.cpuUsage(cpuBefore)
    loopDelay.disable()
    emit({ event: 'measure-end', wall: windowEnd / 1000 })
    running = false
    await scheduler

    // Every member must receive every message once: the sender's own copy is its confirmation,
    // the others' are the deliveries measured.
    const observed = () => clients.reduce((sum, c) => sum + c.seen.size, 0)
    const settleStart = now()
    let settled = true
    try {
      await until(() => observed() >= sent.size * clients.length, args.settleS * 1000, 'delivery', 50)
    } catch { settled = false }
    const settleMs = now() - settleStart
    const unconfirmed = Array.from(sent.values()).filter((s) => s.confirmedAt === null).length
    const inWindow = Array.from(sent.values()).filter((s) => s.sentAt >= windowStart && s.sentAt < windowEnd)
    const deliveriesExpected = sent.size * (clients.length - 1)
    const deliveriesObserved = observed() - (sent.size - unconfirmed)
    const { closeCodes, errors } = tally(clients)
    const result = {
      event: 'result',
      clients: clients.length,
      senders: senders.length,
      connectMs: Math.round(connectMs),
      presenceDrainMs: Math.round(drainMs),
      presenceSettled,
      presenceWrongViews,
      messagesTotal: sent.size,
      messagesInWindow: inWindow.length,
      messagesPerSecond: Math.round(inWindow.length / ((windowEnd - windowStart) / 1000) * 100) / 100,
      deliveriesExpected,
      deliveriesObserved,
      deliveriesLost: deliveriesExpected - deliveriesObserved,
      duplicates,
      unconfirmedBySender: unconfirmed,
      settled,
      settleMs: Math.round(settleMs),
      latencyMs: summary(latencies),
      firstMemberLatencyMs: summary(Array.from(sent.entries())
        .filter(([, s]) => s.sentAt >= windowStart && s.sentAt < windowEnd)
        .map(([key]) => firstLatencies.get(key))
        .filter((x) => x !== undefined)),
      senderConfirmMs: summary(inWindow.filter((s) => s.confirmedAt !== null).map((s) => s.confirmedAt - s.sentAt)),
      closeCodes,
      errors,
      loadgenCpuPercent: Math.round((cpu.user + cpu.system) / 1000 / (windowEnd - windowStart) * 1000) / 10,
      loadgenLoopDelayMs: {
        p99: Math.round(loopDelay.percentile(99) / 1e4) / 100,
        max: Math.round(loopDelay.max / 1e4) / 100
      }
    }
    for (const c of clients) c.ws.close()
    return result
  },

  async storm () {
    // What one wrong view holds that it should not, and lacks: for the report.
    const viewDiff = (c, ids) => c && {
      client: c.index,
      extra: [...c.view].filter((id) => !ids.has(id)).length,
      missing: [...ids].filter((id) => !c.view.has(id)).length
    }
    const observerSpecs = args.observers
    const stormSpecs = args.storm
    const { clients: observers, ms: observersMs } = await connectAll(observerSpecs, 50, null, 120000)
    const observerIds = new Set(observerSpecs.map((s) => s.userId))
    const viewIs = (c, ids) => c.view !== null && c.view.size === ids.size && [...ids].every((id) => c.view.has(id))
    await until(() => observers.every((c) => viewIs(c, observerIds)), 30000, 'observers see each other')
    emit({ event: 'connected', clients: observers.length, ms: Math.round(observersMs) })
    await sleep(1000)

    // Joins: every storm client opens at once.
    const joinStart = now()
    emit({ event: 'measure-start', wall: joinStart / 1000 })
    const storm = stormSpecs.map((s, i) => open(observers.length + i, s.token, s.userId, null))
    const present = () => {
      const ids = new Set(observerIds)
      for (const c of storm) if (joined(c) && !gone(c)) ids.add(c.userId)
      return ids
    }
    const members = () => [...observers, ...storm.filter((c) => joined(c) && !gone(c))]
    const wrongViews = (ids) => members().filter((c) => !viewIs(c, ids)).length
    // Correct: every storm client has joined or was refused, and every member sees everyone.
    // The check is cheap (sizes first), so polling every 5 ms costs little.
    const allCorrect = () => {
      if (!storm.every((c) => joined(c) || gone(c))) return false
      const ids = present()
      return members().every((c) => c.view.size === ids.size) && wrongViews(ids) === 0
    }
    let joinConverged = true
    try { await until(allCorrect, args.phaseTimeoutS * 1000, 'join views', 5) } catch { joinConverged = false }
    const joinCorrectAt = now()
    const joinedStorm = storm.filter((c) => joined(c) && !gone(c))
    const lastSnapshotAt = Math.max(...storm.filter(joined).map((c) => c.snapshotAt))
    const joinWrong = joinConverged ? 0 : wrongViews(present())
    const joinDiff = joinConverged ? null : viewDiff(members().find((c) => !viewIs(c, present())), present())
    const joinTally = tally(storm)
    await sleep(1000)

    // Leaves: every storm client closes at once; the observers must end seeing only themselves.
    const leaveStart = now()
    for (const c of joinedStorm) c.ws.close(1000)
    let leaveConverged = true
    try {
      await until(() => observers.every((c) => viewIs(c, observerIds)), args.phaseTimeoutS * 1000, 'leave views', 5)
    } catch { leaveConverged = false }
    const leaveCorrectAt = now()
    emit({ event: 'measure-end', wall: leaveCorrectAt / 1000 })
    await until(() => joinedStorm.every(gone), 30000, 'closes').catch(() => {})
    const lastCloseAt = Math.max(...joinedStorm.filter(gone).map((c) => c.closedAt))
    const result = {
      event: 'result',
      observers: observers.length,
      storm: storm.length,
      stormJoined: joinedStorm.length,
      stormRefused: storm.length - joinedStorm.length,
      joinCloseCodes: joinTally.closeCodes,
      joinErrors: joinTally.errors,
      join: {
        converged: joinConverged,
        wrongViewsAtTimeout: joinWrong,
        firstWrongView: joinDiff,
        lastSnapshotMs: Math.round(lastSnapshotAt - joinStart),
        allViewsCorrectMs: Math.round(joinCorrectAt - joinStart),
        afterLastSnapshotMs: Math.round(joinCorrectAt - lastSnapshotAt),
        snapshotMs: summary(storm.filter(joined).map((c) => c.snapshotAt - c.openedAt))
      },
      leave: {
        converged: leaveConverged,
        wrongViewsAtTimeout: leaveConverged ? 0 : observers.filter((c) => !viewIs(c, observerIds)).length,
        firstWrongView: leaveConverged ? null : viewDiff(observers.find((c) => !viewIs(c, observerIds)), observerIds),
        observerViewsCorrectMs: Math.round(leaveCorrectAt - leaveStart),
        lastCloseMs: Math.round(lastCloseAt - leaveStart)
      },
      observerCloseCodes: tally(observers).closeCodes
    }
    for (const c of observers) c.ws.close()
    return result
  }
}

modes[mode]()
  .then((result) => { emit(result); setTimeout(() => process.exit(0), 200) })
  .catch((error) => { emit({ event: 'error', error: String(error.stack || error) }); process.exit(1) })
