// Real Hocuspocus clients (@hocuspocus/provider over `ws`) against a Collab server's
// /ws/hocuspocus, some beside y-websocket clients on /ws/docs/{id}.
// Usage: node hocusclients.cjs <scenario> <json-args>; prints one JSON line with the outcome.
// Packages come from the front end's node_modules (COLLAB_FRONTEND points at frontend/).
'use strict'
const path = require('path')
const { createRequire } = require('module')

const frontend = createRequire(path.join(process.env.COLLAB_FRONTEND, 'package.json'))
const Y = frontend('yjs')
const { HocuspocusProvider, HocuspocusProviderWebsocket } = frontend('@hocuspocus/provider')
const { WebsocketProvider } = frontend('y-websocket')
const WebSocket = frontend('ws')

const args = JSON.parse(process.argv[3] || '{}')
const TIMEOUT_MS = 10000

function socket () {
  const websocket = new HocuspocusProviderWebsocket({
    url: args.server + '/ws/hocuspocus',
    WebSocketPolyfill: WebSocket
  })
  const closes = []
  websocket.on('close', ({ event }) => closes.push(event.code))
  return { websocket, closes }
}

// One document on a socket of its own, or on `shared` (several documents, one socket).
function open (token, name = args.document, shared = null) {
  const doc = new Y.Doc()
  const own = shared || socket()
  const client = { doc, text: doc.getText('text'), socket: own, scope: null, failed: null, stateless: [] }
  client.provider = new HocuspocusProvider({
    websocketProvider: own.websocket,
    name,
    document: doc,
    token,
    onAuthenticated: ({ scope }) => { client.scope = scope },
    onAuthenticationFailed: ({ reason }) => { client.failed = reason },
    onStateless: ({ payload }) => { client.stateless.push(payload) }
  })
  client.provider.attach()
  return client
}

function yclient (token, documentId = args.document) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(args.server + '/ws/docs', documentId, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    params: { token }
  })
  return { doc, provider, text: doc.getText('text') }
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

const synced = (client) => until(() => client.provider.synced, 'sync')
// Every update the client sent is stored: the server's sync status came back for each.
const saved = (client) => until(() => !client.provider.hasUnsyncedChanges, 'saved')

const scenarios = {
  // Two Hocuspocus editors type at once; a late joiner then reads everything.
  async converge () {
    const a = open(args.editor)
    const b = open(args.editor2)
    await Promise.all([synced(a), synced(b)])
    a.text.insert(0, 'hello ')
    b.text.insert(0, 'world ')
    await until(() => a.text.length === 12 && b.text.length === 12, 'converge')
    await Promise.all([saved(a), saved(b)])
    const late = open(args.editor)
    await synced(late)
    await until(() => late.text.length === 12, 'late joiner')
    return { a: a.text.toString(), b: b.text.toString(), late: late.text.toString(), scopes: [a.scope, b.scope] }
  },
  // A Hocuspocus client and a y-websocket client on one document: edits and awareness cross.
  async mixed () {
    const h = open(args.editor)
    const y = yclient(args.editor2)
    await Promise.all([synced(h), until(() => y.provider.synced, 'y sync')])
    h.text.insert(0, 'from hocuspocus ')
    y.text.insert(0, 'from y-websocket ')
    const total = 'from hocuspocus '.length + 'from y-websocket '.length
    await until(() => h.text.length === total && y.text.length === total, 'converge')
    h.provider.setAwarenessField('cursor', 3)
    y.provider.awareness.setLocalStateField('cursor', 5)
    const hid = h.doc.clientID
    const yid = y.doc.clientID
    await until(() => y.provider.awareness.getStates().get(hid)?.cursor === 3, 'hocuspocus awareness in y-websocket')
    await until(() => h.provider.awareness.getStates().get(yid)?.cursor === 5, 'y-websocket awareness in hocuspocus')
    return {
      h: h.text.toString(),
      y: y.text.toString(),
      seenByY: y.provider.awareness.getStates().get(hid),
      seenByH: h.provider.awareness.getStates().get(yid)
    }
  },
  // A viewer is told its scope is read-only; its edit is refused and stays unsaved.
  async viewer () {
    const v = open(args.viewer)
    const e = open(args.editor)
    await Promise.all([synced(v), synced(e)])
    e.text.insert(0, 'legit')
    await saved(e)
    await until(() => v.text.toString() === 'legit', 'viewer reads')
    v.text.insert(0, 'sneaky ')
    await until(() => v.provider.unsyncedChanges > 0, 'sent')
    // The editor's next edit reaches the viewer only after the server answered the viewer's.
    e.text.insert(5, '!')
    await saved(e)
    await until(() => v.text.toString().endsWith('legit!'), 'viewer reads the next edit')
    const late = open(args.editor)
    await synced(late)
    return {
      scope: v.scope,
      editorScope: e.scope,
      unsaved: v.provider.hasUnsyncedChanges,
      editor: e.text.toString(),
      late: late.text.toString()
    }
  },
  // A token the server does not accept: the provider's authenticationFailed, never synced.
  async refused () {
    const c = open(args.token, args.target || args.document)
    await until(() => c.failed !== null, 'authentication failed')
    return { failed: c.failed, scope: c.scope, synced: c.provider.synced, closes: c.socket.closes }
  },
  // Two documents over one socket, each with its own content; a second client on its own
  // sockets sees both.
  async multiplex () {
    const shared = socket()
    const one = open(args.editor, args.document, shared)
    const two = open(args.editor, args.document2, shared)
    await Promise.all([synced(one), synced(two)])
    one.text.insert(0, 'first')
    two.text.insert(0, 'second')
    await Promise.all([saved(one), saved(two)])
    const otherOne = open(args.editor2, args.document)
    const otherTwo = open(args.editor2, args.document2)
    await until(() => otherOne.text.toString() === 'first' && otherTwo.text.toString() === 'second', 'both documents')
    otherTwo.text.insert(6, '!')
    await until(() => two.text.toString() === 'second!', 'back over the shared socket')
    return { one: one.text.toString(), two: two.text.toString(), sockets: new Set([one.socket, two.socket]).size }
  },
  // A broadcast stateless message reaches every Hocuspocus client of the document.
  async stateless () {
    const a = open(args.editor)
    const b = open(args.viewer)
    await Promise.all([synced(a), synced(b)])
    a.provider.sendStateless('ping from a')
    // sendStateless is the provider's server-only message; the broadcast kind is written raw.
    const encoding = frontend('lib0/encoding')
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, args.document)
    encoding.writeVarUint(encoder, 6)
    encoding.writeVarString(encoder, 'hello all')
    a.socket.websocket.send(encoding.toUint8Array(encoder))
    await until(() => a.stateless.length && b.stateless.length, 'relayed')
    return { a: a.stateless, b: b.stateless }
  },
  // A peer of the browser test's page: reads what the browser wrote, answers, and waits until
  // its answer is stored.
  async browserPeer () {
    const c = open(args.editor2)
    await synced(c)
    await until(() => c.text.toString().includes(args.expect), 'the browser\'s text')
    c.text.insert(c.text.length, args.write)
    await saved(c)
    return { text: c.text.toString() }
  },
  // A malformed message: the socket closes with the documented code.
  async malformed () {
    const c = open(args.editor)
    await synced(c)
    c.socket.websocket.send(Uint8Array.from(args.bytes))
    await until(() => c.socket.closes.length > 0, 'close')
    return { code: c.socket.closes[0] }
  }
}

// Exit only once the output is written: writes to a pipe are asynchronous.
scenarios[process.argv[2]]()
  .then((result) => process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(0)))
  .catch((error) => process.stderr.write(error.stack + '\n', () => process.exit(1)))
