// One Yjs client that edits, then reports how its connection was closed.
// Usage: node sigterm_client.cjs <json {server, document, token}>. Prints "synced" when the
// first edit is sent, then one JSON line {"code": <close code>, "text": <its text>}.
'use strict'
const path = require('path')
const { createRequire } = require('module')

const frontend = createRequire(path.join(process.env.COLLAB_FRONTEND, 'package.json'))
const Y = frontend('yjs')
const { WebsocketProvider } = frontend('y-websocket')
const WebSocket = frontend('ws')

const args = JSON.parse(process.argv[2])
const doc = new Y.Doc()
const provider = new WebsocketProvider(args.server, args.document, doc, {
  WebSocketPolyfill: WebSocket, disableBc: true, params: { token: args.token }
})
provider.on('connection-close', (event) => {
  console.log(JSON.stringify({ code: event && event.code, text: doc.getText('text').toString() }))
  process.exit(0)
})
provider.on('sync', (synced) => {
  if (synced && doc.getText('text').length === 0) {
    doc.getText('text').insert(0, 'written before SIGTERM')
    console.log('synced')
  }
})
setTimeout(() => { console.error('timed out'); process.exit(1) }, 20000)
