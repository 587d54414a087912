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
const TIMEOUT_MS = 10000

function connect (token, documentId = args.document) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(args.server, documentId, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true, // two providers in one process would otherwise sync around the server
    params: { token }
  })
  const closes = []
  provider.on('connection-close', (event) => { if (event) closes.push(event.code) })
  return { doc, provider, closes, text: doc.getText('text') }
}

function until (predicate, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const timer = setInterval(() => {
      if (predicate()) { clearInterval(timer); resolve() }
      else if (Date.now() - started > TIMEOUT_MS) { clearInterval(timer); reject(new Error('timed out: ' + what)) }
    }, 10)
  })
}

const synced = (client) => until(() => client.provider.synced, 'sync')
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

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
    const b = connect(args.editor2)
    await Promise.all([synced(a), synced(b)])
    a.provider.awareness.setLocalStateField('user', { name: 'Mallory', color: '#000000' })
    a.provider.awareness.setLocalStateField('cursor', 7)
    const id = a.doc.clientID
    await until(() => b.provider.awareness.getStates().get(id)?.cursor === 7, 'awareness appears')
    const seen = b.provider.awareness.getStates().get(id)
    a.provider.destroy()
    await until(() => !b.provider.awareness.getStates().has(id), 'awareness removed')
    return { seen }
  },
  // Connections that must be refused report their close code.
  async refused () {
    const client = connect(args.token, args.target || args.document)
    await until(() => client.closes.length > 0, 'close')
    return { code: client.closes[0] }
  }
}

scenarios[process.argv[2]]()
  .then((result) => { console.log(JSON.stringify(result)); process.exit(0) })
  .catch((error) => { console.error(error.stack); process.exit(1) })
