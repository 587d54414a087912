// Real clients of the room socket (/ws/rooms/{room}, JSON text frames, `ws`) against Collab
// servers, for the multi-process tests (tests/e2e/test_room_multiprocess.py).
// Usage: node roomclients.cjs <scenario> <json-args>; prints one JSON line with the outcome,
// which includes every event each client received, so the test can check each one against
// rooms.events.SCHEMAS.
// Packages come from the front end's node_modules (COLLAB_FRONTEND points at frontend/).
'use strict'
const path = require('path')
const { createRequire } = require('module')

const frontend = createRequire(path.join(process.env.COLLAB_FRONTEND, 'package.json'))
const WebSocket = frontend('ws')

const args = JSON.parse(process.argv[3] || '{}')
// Generous: the tests run on a slow, shared 2-core machine.
const TIMEOUT_MS = args.timeoutMs || 20000

// One socket of one user. `frames` holds every frame received, in order, exactly as sent;
// `events` the same with each presence.batch read as the events it holds.
class RoomClient {
  constructor (name, server, token, room = args.room) {
    this.name = name
    this.url = `${server}/ws/rooms/${room}?token=${encodeURIComponent(token)}`
    this.frames = []
    this.events = []
    this.closeCode = null
    this.waiters = []
  }

  // Resolves once the socket has sent its presence.snapshot and message.history.
  open () {
    this.ws = new WebSocket(this.url) // no Origin header: a non-browser client with a token
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) throw new Error(`${this.name}: a binary frame`)
      const frame = JSON.parse(data.toString())
      this.frames.push(frame)
      this.events.push(...(frame.type === 'presence.batch' ? frame.events : [frame]))
      this.check()
    })
    this.ws.on('close', (code) => { this.closeCode = code; this.check() })
    this.ws.on('error', (error) => { this.error = String(error) })
    return this.waitFor((e) => e.type === 'message.history', 'history')
  }

  check () {
    this.waiters = this.waiters.filter((waiter) => !waiter())
  }

  // The first event from index `from` on that matches; fails after the timeout, or at once if
  // the socket closes first.
  waitFor (predicate, what, from = 0, timeoutMs = TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        done = true
        reject(new Error(`${this.name}: timed out waiting for ${what}; got ${this.types()}`))
      }, timeoutMs)
      let done = false
      const waiter = () => {
        if (done) return true
        const found = this.events.slice(from).find(predicate)
        if (found === undefined && this.closeCode === null) return false
        done = true
        clearTimeout(timer)
        if (found !== undefined) resolve(found)
        else reject(new Error(`${this.name}: closed (${this.closeCode}) waiting for ${what}; got ${this.types()}`))
        return true
      }
      if (!waiter()) this.waiters.push(waiter)
    })
  }

  types () {
    return JSON.stringify(this.events.map((e) => e.type))
  }

  // Resolves once the frame is handed to the operating system.
  send (frame) {
    return new Promise((resolve, reject) =>
      this.ws.send(JSON.stringify(frame), (error) => (error ? reject(error) : resolve())))
  }

  close () {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode)
    return new Promise((resolve) => {
      this.ws.once('close', (code) => resolve(code))
      this.ws.close(1000)
    })
  }

  // Drops the TCP connection without a closing handshake (a lost network, a killed tab).
  terminate () {
    return new Promise((resolve) => {
      if (this.closeCode !== null) return resolve()
      this.ws.once('close', () => resolve())
      this.ws.terminate()
    })
  }

  report () {
    return { name: this.name, frames: this.frames, events: this.events, closeCode: this.closeCode }
  }
}

const byUser = (type, username, extra = () => true) => (e) =>
  e.type === type && e.user && e.user.username === username && extra(e)
const newWithClientId = (clientId) => (e) => e.type === 'message.new' && e.message.client_id === clientId
const snapshotNames = (client) =>
  client.events.find((e) => e.type === 'presence.snapshot').members.map((m) => m.user.username).sort()

const scenarios = {
  // `editor` on servers[0], `editor2` on servers[1]: each sees the other join, chat, type,
  // change status and document, and leave.
  async crossprocess () {
    const [serverA, serverB] = args.servers
    const a = new RoomClient('a', serverA, args.tokens.editor)
    const b = new RoomClient('b', serverB, args.tokens.editor2)
    await a.open()
    const bJoinAt = a.events.length
    await b.open()
    const steps = {}
    steps.aSawBJoin = await a.waitFor(byUser('presence.join', 'editor2'), 'join of editor2', bJoinAt)
    steps.bSnapshot = snapshotNames(b)

    let from = b.events.length
    await a.send({ type: 'message.send', body: 'hello from a', client_id: 'a-1' })
    steps.bGotA = await b.waitFor(newWithClientId('a-1'), 'message a-1', from)
    steps.aGotOwn = await a.waitFor(newWithClientId('a-1'), 'own message a-1')

    from = a.events.length
    await b.send({ type: 'message.send', body: 'hello from **b**', client_id: 'b-1' })
    steps.aGotB = await a.waitFor(newWithClientId('b-1'), 'message b-1', from)

    from = b.events.length
    await a.send({ type: 'typing' })
    steps.bGotTyping = await b.waitFor(byUser('typing', 'editor'), 'typing of editor', from)
    from = a.events.length
    await b.send({ type: 'typing' })
    steps.aGotTyping = await a.waitFor(byUser('typing', 'editor2'), 'typing of editor2', from)

    from = a.events.length
    await b.send({ type: 'presence.status', status: 'away' })
    steps.aSawAway = await a.waitFor(
      byUser('presence.update', 'editor2', (e) => e.status === 'away'), 'editor2 away', from)
    from = a.events.length
    await b.send({ type: 'presence.viewing', document: args.document })
    steps.aSawViewing = await a.waitFor(
      byUser('presence.update', 'editor2', (e) => e.viewing === args.document), 'editor2 viewing', from)
    from = b.events.length
    await a.send({ type: 'presence.status', status: 'away' })
    steps.bSawAway = await b.waitFor(
      byUser('presence.update', 'editor', (e) => e.status === 'away'), 'editor away', from)

    from = a.events.length
    await b.close()
    steps.aSawBLeave = await a.waitFor(byUser('presence.leave', 'editor2'), 'leave of editor2', from)
    await a.close()
    return { steps, clients: [a.report(), b.report()] }
  },

  // One user with a tab on each process counts once: one join, no leave while a tab is open.
  // The tab on servers[1] goes away first (the user stays online: the other tab is); closing
  // the online tab on servers[0] then makes the user away, which the watcher must see as
  // presence.update, not presence.leave; closing the last tab is the leave.
  async tabs () {
    const [serverA, serverB] = args.servers
    const watcher = new RoomClient('watcher', serverA, args.tokens.editor)
    const tab1 = new RoomClient('tab1', serverA, args.tokens.editor2)
    const tab2 = new RoomClient('tab2', serverB, args.tokens.editor2)
    await watcher.open()
    await tab1.open()
    await watcher.waitFor(byUser('presence.join', 'editor2'), 'join of editor2')
    await tab2.open()
    const tab2Snapshot = tab2.events.find((e) => e.type === 'presence.snapshot')
    await tab2.send({ type: 'presence.status', status: 'away' })
    // tab2 sees its own user's state only change once tab1 has gone; a typing event from
    // tab2 is the fence that its status frame was handled (frames are handled in order).
    await tab2.send({ type: 'typing' })
    await watcher.waitFor(byUser('typing', 'editor2'), 'typing of editor2 (fence)')
    await tab1.close()
    await watcher.waitFor(byUser('presence.update', 'editor2', (e) => e.status === 'away'), 'editor2 away')
    const beforeLastClose = watcher.events
      .filter((e) => e.type.startsWith('presence.') && e.user && e.user.username === 'editor2')
      .map((e) => (e.type === 'presence.update' ? `${e.type}:${e.status}` : e.type))
    const from = watcher.events.length
    await tab2.close()
    await watcher.waitFor(byUser('presence.leave', 'editor2'), 'leave of editor2', from)
    await watcher.close()
    return {
      tab2Snapshot,
      beforeLastClose,
      clients: [watcher.report(), tab1.report(), tab2.report()]
    }
  },
  // The owner removes `member` over REST on `api`, then posts a message there: the member's
  // room socket (on `server`) is closed with 4403 and never gets the message, which the
  // owner's socket (on `server2`) does get.
  async removed () {
    const member = new RoomClient('member', args.server, args.member)
    const owner = new RoomClient('owner', args.server2, args.owner)
    await Promise.all([member.open(), owner.open()])
    const headers = { Authorization: `Bearer ${args.owner}`, 'Content-Type': 'application/json' }
    const base = `${args.api}/api/v1/rooms/${args.room}`
    const removed = await fetch(`${base}/members/${args.userId}`, { method: 'DELETE', headers })
    const posted = await fetch(`${base}/messages`, {
      method: 'POST', headers, body: JSON.stringify({ body: 'after the removal' })
    })
    await owner.waitFor((e) => e.type === 'message.new' && e.message.body === 'after the removal', 'the message')
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the member socket stayed open')), TIMEOUT_MS)
      member.waiters.push(() => member.closeCode !== null && (clearTimeout(timer), resolve(), true))
      member.check()
    })
    const result = {
      removed: removed.status,
      posted: posted.status,
      memberClose: member.closeCode,
      memberGot: member.events.filter((e) => e.type === 'message.new').map((e) => e.message.body)
    }
    await owner.close()
    return result
  },

  // A sender's message, its re-send after a reconnect (to servers[1]) with the same client_id,
  // and an observer on servers[0] throughout. `mode`:
  //   after: the sender waits for its message.new, then closes, reconnects, re-sends;
  //   before: the sender drops its connection as soon as the frame is written (no
  //           confirmation yet), reconnects, re-sends;
  //   concurrent: two tabs of the sender, one on each process, send it at the same moment.
  // A last message ("fence") from the re-sending socket, which the observer must receive,
  // bounds what it could still receive of the first.
  async resend () {
    const [serverA, serverB] = args.servers
    const clientId = args.clientId
    const frame = { type: 'message.send', body: `once ${clientId}`, client_id: clientId }
    const observer = new RoomClient('observer', serverA, args.tokens.observer)
    await observer.open()
    const first = new RoomClient('first', serverA, args.tokens.sender)
    await first.open()
    const second = new RoomClient('second', serverB, args.tokens.sender)
    let confirmedBeforeClose = null
    if (args.mode === 'after') {
      await first.send(frame)
      confirmedBeforeClose = (await first.waitFor(newWithClientId(clientId), 'confirmation')).message.id
      await first.close()
      await second.open()
      await second.send(frame)
    } else if (args.mode === 'before') {
      await first.send(frame)
      await first.terminate()
      confirmedBeforeClose = first.events.some(newWithClientId(clientId))
      await second.open()
      await second.send(frame)
    } else {
      await second.open()
      await Promise.all([first.send(frame), second.send(frame)])
    }
    const answer = await second.waitFor(newWithClientId(clientId), 're-send answer')
    const fenceId = `${clientId}-fence`
    await second.send({ type: 'message.send', body: 'fence', client_id: fenceId })
    await observer.waitFor(newWithClientId(clientId), 'the message')
    await observer.waitFor(newWithClientId(fenceId), 'the fence')
    if (args.mode === 'concurrent') await first.waitFor(newWithClientId(clientId), 'first tab answer')
    const idsSeen = (client) => client.events.filter(newWithClientId(clientId)).map((e) => e.message.id)
    const result = {
      answerId: answer.message.id,
      confirmedBeforeClose,
      observerIds: idsSeen(observer),
      firstIds: idsSeen(first),
      secondIds: idsSeen(second),
      errors: [first, second].flatMap((c) => c.events.filter((e) => e.type === 'error'))
    }
    await Promise.all([observer.close(), first.close(), second.close()])
    return { ...result, clients: [observer.report(), first.report(), second.report()] }
  }
}

// Nothing here may hang: past its budget the process fails with what it knows.
setTimeout(() => {
  process.stderr.write('roomclients: over its budget\n', () => process.exit(2))
}, args.budgetMs || 120000).unref()

// Exit only once the output is written: a long result would otherwise be cut short.
scenarios[process.argv[2]]()
  .then((result) => process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0)))
  .catch((error) => process.stderr.write(error.stack + '\n', () => process.exit(1)))
