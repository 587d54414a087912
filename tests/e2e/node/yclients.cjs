// Real Yjs clients (yjs + y-websocket's WebsocketProvider over `ws`) against a Collab server.
// Usage: node yclients.cjs <scenario> <json-args>; prints one JSON line with the outcome.
// Packages come from the front end's node_modules (COLLAB_FRONTEND points at frontend/).
'use strict'
const path = require('path')
const { createRequire } = require('module')

const frontend = createRequire(path.join(process.env.COLLAB_FRONTEND, 'package.json'))
const Y = frontend('yjs')
const { WebsocketProvider } = frontend('y-websocket')
const WebSocket = frontend('ws')

const args = JSON.parse(process.argv[3] || '{}')
// Generous: a wait only runs this long when something is wrong, or the two-core machine is loaded
// (a cross-process revocation once took over 10 s at a load average of 10).
const TIMEOUT_MS = 20000

function connect (token, documentId = args.document, server = args.server) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(server, documentId, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true, // two providers in one process would otherwise sync around the server
    params: { token }
  })
  const closes = []
  provider.on('connection-close', (event) => { if (event) closes.push(event.code) })
  return { doc, provider, closes, text: doc.getText('text') }
}

function until (predicate, what, timeoutMs = TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const timer = setInterval(() => {
      if (predicate()) { clearInterval(timer); resolve() }
      else if (Date.now() - started > timeoutMs) { clearInterval(timer); reject(new Error('timed out: ' + what)) }
    }, 10)
  })
}

// Like `until`, but reports whether the predicate came true instead of failing, so the
// scenario can still print what each client holds and the test can say what went wrong.
const settle = (predicate, timeoutMs) =>
  until(predicate, '', timeoutMs).then(() => true, () => false)

const synced = (client) => until(() => client.provider.synced, 'sync')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// A small seeded generator (mulberry32), so a failing run can be replayed from its seed.
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

// Documents in the typing scenarios hold nothing but unique markers such as "[c2-17]".
// Inserting only at a marker boundary of the local text keeps every marker whole: a Yjs insert
// lands between the two items it was made between, whatever others insert concurrently.
const MARKER = /\[c\d+-\d+\]/g
const markersOf = (text) => text.match(MARKER) || []

function insertMarker (client, marker, random) {
  const text = client.text.toString()
  const boundaries = [0]
  for (let i = 0; i < text.length; i++) if (text[i] === ']') boundaries.push(i + 1)
  client.text.insert(boundaries[Math.floor(random() * boundaries.length)], marker)
}

const emit = (event) => console.log(JSON.stringify(event))

const scenarios = {
  // Two editors type at once; a late joiner then reads everything.
  async converge () {
    const a = connect(args.editor)
    const b = connect(args.editor2)
    await Promise.all([synced(a), synced(b)])
    a.text.insert(0, 'hello ')
    b.text.insert(0, 'world ')
    await until(() => a.text.length === 12 && b.text.length === 12, 'convergence')
    const late = connect(args.viewer)
    await synced(late)
    await until(() => late.text.length === 12, 'late joiner')
    return { a: a.text.toString(), b: b.text.toString(), late: late.text.toString() }
  },
  // A viewer's edit never reaches an editor.
  async viewer () {
    const editor = connect(args.editor)
    const viewer = connect(args.viewer)
    await Promise.all([synced(editor), synced(viewer)])
    viewer.text.insert(0, 'sneaky')
    await sleep(700)
    editor.text.insert(0, 'legit')
    await until(() => viewer.text.toString().includes('legit'), 'viewer receives')
    await sleep(200)
    return { editor: editor.text.toString() }
  },
  // Awareness of one client appears for another with the server's name, then disappears.
  async awareness () {
    const a = connect(args.editor)
    const b = connect(args.editor2, args.document, args.server2 || args.server)
    await Promise.all([synced(a), synced(b)])
    a.provider.awareness.setLocalStateField('user', { name: 'Mallory', color: '#000000' })
    a.provider.awareness.setLocalStateField('cursor', 7)
    const id = a.doc.clientID
    await until(() => b.provider.awareness.getStates().get(id)?.cursor === 7, 'awareness appears')
    const seen = b.provider.awareness.getStates().get(id)
    // y-websocket clients send every awareness change they apply back to the server, others'
    // included: give those echoes time to arrive, then see what a newcomer is told.
    await sleep(300)
    const late = connect(args.editor2, args.document, args.server2 || args.server)
    await synced(late)
    await until(() => late.provider.awareness.getStates().get(id)?.cursor === 7, 'late joiner')
    const seenLate = late.provider.awareness.getStates().get(id)
    a.provider.destroy()
    const gone = () => [b, late].every((c) => !c.provider.awareness.getStates().has(id))
    await until(gone, 'awareness removed')
    return { seen, seenLate }
  },
  // One client on `server`, one on `server2`: after `idleMs` of silence, an edit from the
  // first must still cross to the second promptly, `rounds` times.
  async idle () {
    const a = connect(args.editor, args.document, args.server)
    const b = connect(args.editor2, args.document, args.server2)
    await Promise.all([synced(a), synced(b)])
    const latencies = []
    for (let round = 0; round < args.rounds; round++) {
      await sleep(args.idleMs)
      const marker = `[c0-${round}]`
      const sent = Date.now()
      a.text.insert(0, marker)
      await until(() => b.text.toString().includes(marker), 'edit crosses')
      latencies.push(Date.now() - sent)
    }
    return { latencies }
  },
  // Clients spread over `servers` (client i on servers[i % n], with tokens[i]) all type
  // `inserts` unique markers at random boundaries with random pauses, at the same time; then
  // every client, and a fresh client on each server, reports its text.
  async typing () {
    const random = randomFrom(args.seed)
    const clients = args.tokens.map((token, i) =>
      connect(token, args.document, args.servers[i % args.servers.length]))
    await Promise.all(clients.map(synced))
    const expected = []
    const started = Date.now()
    await Promise.all(clients.map(async (client, i) => {
      for (let k = 0; k < args.inserts; k++) {
        await sleep(random() * args.maxDelayMs)
        const marker = `[c${i}-${k}]`
        expected.push(marker)
        insertMarker(client, marker, random)
      }
    }))
    const typedMs = Date.now() - started
    const converged = await settle(() => {
      const first = clients[0].text.toString()
      return clients.every((c) => c.text.toString() === first) &&
        expected.every((marker) => first.includes(marker))
    }, args.settleMs)
    const convergedMs = Date.now() - started
    const fresh = []
    for (const server of args.servers) {
      const late = connect(args.tokens[0], args.document, server)
      await synced(late)
      fresh.push(late.text.toString())
      late.provider.destroy()
    }
    return {
      converged,
      typedMs,
      convergedMs,
      texts: clients.map((c) => c.text.toString()),
      fresh
    }
  },
  // Clients (client i on servers[i % n] with tokens[i]) type unique markers until told `stop`
  // on stdin (or `maxInserts` each), through whatever happens to the servers meanwhile (the
  // test kills and restarts them). Whenever its connection drops, a client records the
  // markers of other clients it had seen. After `stop` the clients wait to be back in sync
  // and to agree; a fresh client on each server then reads. Prints {"event": "ready"} once
  // every client is synced, and its result last.
  async durability () {
    const random = randomFrom(args.seed)
    const clients = args.tokens.map((token, i) => {
      const client = connect(token, args.document, args.servers[i % args.servers.length])
      client.index = i
      client.created = []
      client.drops = []
      client.connects = 0
      client.provider.on('status', ({ status }) => {
        if (status === 'connected') client.connects++
        if (status !== 'disconnected') return
        const own = new Set(client.created)
        client.drops.push({
          at: Date.now(),
          created: client.created.length,
          seenRemote: markersOf(client.text.toString()).filter((m) => !own.has(m))
        })
      })
      return client
    })
    await Promise.all(clients.map(synced))
    let stopping = false
    process.stdin.setEncoding('utf8')
    process.stdin.on('data', (chunk) => { if (chunk.includes('stop')) stopping = true })
    emit({ event: 'ready' })
    const started = Date.now()
    await Promise.all(clients.map(async (client) => {
      for (let k = 0; !stopping && k < args.maxInserts; k++) {
        await sleep(args.minDelayMs + random() * (args.maxDelayMs - args.minDelayMs))
        if (stopping) break
        const marker = `[c${client.index}-${k}]`
        client.created.push(marker)
        insertMarker(client, marker, random)
      }
    }))
    const typedMs = Date.now() - started
    const created = clients.flatMap((c) => c.created)
    const converged = await settle(() => {
      const first = clients[0].text.toString()
      return clients.every((c) => c.provider.synced && c.text.toString() === first) &&
        created.every((marker) => first.includes(marker))
    }, args.settleMs)
    const settledMs = Date.now() - started - typedMs
    const fresh = []
    for (const server of args.servers) {
      const late = connect(args.tokens[0], args.document, server)
      await synced(late)
      fresh.push(late.text.toString())
      late.provider.destroy()
    }
    return {
      converged,
      typedMs,
      settledMs,
      fresh,
      clients: clients.map((c) => ({
        index: c.index,
        created: c.created,
        drops: c.drops,
        connects: c.connects,
        synced: c.provider.synced,
        final: c.text.toString()
      }))
    }
  },
  // The owner takes `member`'s write access away over REST on `api` (remove or demote), and the
  // member's client edits the moment the answer arrives; then the observer (the owner, on
  // `server2`) and the server's stored content must not hold that edit.
  async revoked () {
    const denied = []
    const warn = console.warn
    console.warn = (...parts) => denied.push(parts.join(' ')) // y-websocket's permission denied
    const member = connect(args.member, args.document, args.server)
    const observer = connect(args.owner, args.document, args.server2)
    await Promise.all([synced(member), synced(observer)])
    member.text.insert(0, 'before ')
    await until(() => observer.text.toString().includes('before'), 'a write before the change')
    const answer = await fetch(`${args.api}/api/v1/rooms/${args.room}/members/${args.userId}`, {
      method: args.action === 'remove' ? 'DELETE' : 'PATCH',
      headers: { Authorization: `Bearer ${args.owner}`, 'Content-Type': 'application/json' },
      body: args.action === 'remove' ? undefined : JSON.stringify({ role: 'viewer' })
    })
    member.text.insert(0, 'AFTER ')
    await until(() => member.closes.length > 0 || denied.length > 0, 'a close or a denial')
    member.provider.destroy()
    console.warn = warn
    await sleep(300) // an update the server had wrongly accepted would be committed by then
    const written = await fetch(`${args.api}/api/v1/documents/${args.document}/content?format=text`, {
      headers: { Authorization: `Bearer ${args.owner}` }
    })
    return {
      status: answer.status,
      closes: member.closes,
      denied,
      observer: observer.text.toString(),
      stored: written.status === 200 ? await written.text() : null
    }
  },
  // One client streams `count` single-character edits as fast as it can while a second one
  // watches its awareness; a late client then reads. Reports what each holds, every close, and
  // how many of the watcher's looks (every 10 ms) missed the streamer's awareness.
  async stream () {
    const a = connect(args.editor)
    const b = connect(args.editor2)
    await Promise.all([synced(a), synced(b)])
    a.provider.awareness.setLocalStateField('cursor', 1)
    const id = a.doc.clientID
    await until(() => b.provider.awareness.getStates().get(id)?.cursor === 1, 'awareness appears')
    let looks = 0
    let missed = 0
    const watching = setInterval(() => {
      looks++
      if (!b.provider.awareness.getStates().has(id)) missed++
    }, 10)
    const started = Date.now()
    for (let i = 0; i < args.count; i++) a.text.insert(i, String.fromCharCode(97 + (i % 26)))
    const converged = await settle(() => b.text.length === args.count, args.settleMs)
    const streamMs = Date.now() - started
    clearInterval(watching)
    const late = connect(args.editor2)
    await synced(late)
    await until(() => late.text.length === args.count, 'late joiner', args.settleMs)
    return {
      converged,
      streamMs,
      looks,
      missed,
      a: a.text.toString(),
      b: b.text.toString(),
      late: late.text.toString(),
      closes: [...a.closes, ...b.closes, ...late.closes]
    }
  },
  // A client whose connection drops reconnects: how long until a second client sees its
  // awareness again, after having seen it removed.
  async reconnect () {
    const a = connect(args.editor)
    const b = connect(args.editor2, args.document, args.server2 || args.server)
    await Promise.all([synced(a), synced(b)])
    a.provider.awareness.setLocalStateField('cursor', 7)
    const id = a.doc.clientID
    await until(() => b.provider.awareness.getStates().get(id)?.cursor === 7, 'awareness appears')
    a.provider.ws.close() // the connection drops; the provider reconnects by itself
    await until(() => !b.provider.awareness.getStates().has(id), 'awareness removed')
    const removed = Date.now()
    const back = await settle(() => b.provider.awareness.getStates().get(id)?.cursor === 7,
      args.boundMs)
    return { back, afterMs: Date.now() - removed, connects: a.closes.length }
  },
  // A client sends `first` edits at once (over its rate for less than the server allows), waits
  // until they are all through, then floods `flood` edits: the close codes after each.
  async abuse () {
    const a = connect(args.editor)
    await synced(a)
    for (let i = 0; i < args.first; i++) a.text.insert(i, 'x')
    const b = connect(args.editor2)
    await synced(b)
    await until(() => b.text.length >= args.first, 'first edits through', args.settleMs)
    const closesAfterFirst = [...a.closes]
    for (let i = 0; i < args.flood; i++) a.text.insert(0, 'y')
    await until(() => a.closes.length > closesAfterFirst.length, 'close', args.settleMs)
    return { closesAfterFirst, closes: a.closes }
  },
  // Connections that must be refused report their close code.
  async refused () {
    const client = connect(args.token, args.target || args.document)
    await until(() => client.closes.length > 0, 'close')
    return { code: client.closes[0] }
  }
}

// Exit only once the output is written: writes to a pipe are asynchronous, and exiting at once
// would cut a long result short.
scenarios[process.argv[2]]()
  .then((result) => process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0)))
  .catch((error) => process.stderr.write(error.stack + '\n', () => process.exit(1)))
