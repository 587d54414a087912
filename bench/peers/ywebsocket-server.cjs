// The y-websocket reference server as it ships (in memory): node ywebsocket-server.cjs PORT
const http = require('http')
const WebSocket = require('ws')
const { setupWSConnection } = require('@y/websocket-server/utils')

const port = Number(process.argv[2] || 1234)
const server = http.createServer((request, response) => { response.writeHead(200); response.end('ok') })
const wss = new WebSocket.Server({ noServer: true })
wss.on('connection', setupWSConnection)
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
})
server.listen(port, '127.0.0.1', () => console.log(`y-websocket listening on ${port}`))
