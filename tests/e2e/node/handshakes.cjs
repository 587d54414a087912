// Raw WebSocket clients (npm `ws`) that probe a Collab server's edges: handshakes with a given
// Origin, and frames of a given size. Usage: node handshakes.cjs <scenario> <json-args>; prints
// one JSON line with what each attempt got.
'use strict'
const path = require('path')
const { createRequire } = require('module')

const frontend = createRequire(path.join(process.env.COLLAB_FRONTEND, 'package.json'))
const WebSocket = frontend('ws')

const args = JSON.parse(process.argv[3] || '{}')
const TIMEOUT_MS = 30000

function withTimeout (promise, what) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out: ' + what)), TIMEOUT_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

// How the server answers a handshake that carries `origin`: {opened} or {status} (HTTP).
function handshake (origin) {
  return new Promise((resolve) => {
    const ws = new WebSocket(args.url, { origin })
    ws.on('open', () => { ws.close(); resolve({ origin, opened: true }) })
    ws.on('unexpected-response', (_request, response) => {
      resolve({ origin, opened: false, status: response.statusCode })
      ws.terminate()
    })
    ws.on('error', (error) => resolve({ origin, opened: false, error: String(error) }))
  })
}

// Opens a socket, sends one binary frame of `size` bytes (a sync message, zeros after the
// type) and reports the close code the client saw (1006: the connection dropped, no close).
function oversize (size) {
  return new Promise((resolve) => {
    const ws = new WebSocket(args.url)
    let sent = false
    ws.on('message', () => {
      if (sent) return
      sent = true
      ws.send(Buffer.alloc(size), { binary: true })
    })
    ws.on('close', (code, reason) => resolve({ size, code, reason: reason.toString() }))
    ws.on('error', () => {}) // the close event that follows carries the outcome
  })
}

const scenarios = {
  async origins () {
    const results = []
    for (const origin of args.origins) results.push(await withTimeout(handshake(origin), origin))
    console.log(JSON.stringify({ results }))
  },
  async frames () {
    const results = []
    for (const size of args.sizes) results.push(await withTimeout(oversize(size), `${size} bytes`))
    console.log(JSON.stringify({ results }))
  }
}

scenarios[process.argv[2]]().catch((error) => {
  console.error(error)
  process.exit(1)
})
