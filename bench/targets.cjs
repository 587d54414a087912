// One way for every load generator to connect a Y.Doc to any server under test, so the same client
// code measures Collab and the reference Yjs servers (issue 7).
//
//   const { connect } = require('./targets.cjs')
//   const conn = connect({ kind: 'collab', url: 'ws://127.0.0.1:8000', token }, documentId, doc)
//   conn.provider, conn.synced (live getter), conn.close(),
//   conn.onSynced(callback) (each time the provider reports the first sync),
//   conn.onClose(callback(code)) (each time the socket closes; code undefined if not known)
//
// target.kind is 'collab' | 'y-websocket' | 'hocuspocus'; target.url is the server's base ws:// URL.
// Packages come from bench/peers/node_modules when it is installed (pinned to the same yjs, ws and
// y-websocket versions as the front end), else from frontend/node_modules; Hocuspocus's provider
// only exists in bench/peers.
const fs = require('fs')
const path = require('path')
const { createRequire } = require('module')

const peersDir = path.join(__dirname, 'peers')
const frontendDir = process.env.COLLAB_FRONTEND || path.join(__dirname, '..', 'frontend')
const fromPeers = createRequire(path.join(peersDir, 'package.json'))
const fromFrontend = createRequire(path.join(frontendDir, 'package.json'))
const peersInstalled = fs.existsSync(path.join(peersDir, 'node_modules'))

// The peers' copy first, so one process never loads two yjs instances (Yjs warns and breaks
// instanceof checks when a Y.Doc from one copy meets a provider built on the other).
function load (name) {
  if (peersInstalled) {
    try { return fromPeers(name) } catch (error) { if (error.code !== 'MODULE_NOT_FOUND') throw error }
  }
  return fromFrontend(name)
}

const Y = load('yjs')
const WebSocket = load('ws')

function websocketProvider (url, room, doc, params) {
  const { WebsocketProvider } = load('y-websocket')
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true, // providers in one process would otherwise sync around the server
    params
  })
  return {
    provider,
    get synced () { return provider.synced },
    onSynced (callback) { provider.on('sync', (synced) => { if (synced) callback() }) },
    onClose (callback) {
      provider.on('connection-close', (event) => callback(event ? event.code : undefined))
      provider.on('connection-error', () => callback('error'))
    },
    close () { provider.disconnect(); provider.destroy() }
  }
}

function hocuspocusProvider (url, name, doc, token) {
  if (!peersInstalled) throw new Error('Hocuspocus needs bench/peers: cd bench/peers && npm ci')
  const { HocuspocusProvider } = fromPeers('@hocuspocus/provider')
  // One socket per provider, as each Collab or y-websocket client has its own. Given a url (and no
  // shared websocketProvider), a v3 provider makes its own HocuspocusProviderWebsocket, attaches
  // to it at once, and closes it in destroy(), so provider.destroy() (what the load generators
  // call) really closes the client's socket, as WebsocketProvider.destroy() does.
  const provider = new HocuspocusProvider({ url, WebSocketPolyfill: WebSocket, name, document: doc, token })
  return {
    provider,
    get synced () { return provider.synced }, // v3: a getter over isSynced, set on sync step 2
    onSynced (callback) { provider.on('synced', ({ state }) => { if (state) callback() }) },
    onClose (callback) { provider.on('close', ({ event }) => callback(event ? event.code : undefined)) },
    close () { provider.destroy() }
  }
}

function connect (target, documentName, doc) {
  switch (target.kind) {
    case 'collab':
      return websocketProvider(`${target.url.replace(/\/$/, '')}/ws/docs`, documentName, doc,
        target.token ? { token: target.token } : {})
    case 'y-websocket':
      return websocketProvider(target.url, documentName, doc, {})
    case 'hocuspocus':
      return hocuspocusProvider(target.url, documentName, doc, target.token)
    default:
      throw new Error(`unknown target kind: ${target.kind}`)
  }
}

module.exports = { connect, load, Y, WebSocket }
