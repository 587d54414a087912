// The Hocuspocus server as it ships (in memory, no extensions): node hocuspocus-server.cjs PORT
const { Server } = require('@hocuspocus/server')

const port = Number(process.argv[2] || 1235)
const server = new Server({ port, address: '127.0.0.1', quiet: true })
server.listen().then(() => console.log(`hocuspocus listening on ${port}`))
