// Verifies captured webhook deliveries with the official npm `standardwebhooks` package, as a
// Node receiver would. Usage: node standardwebhooks_verify.cjs verify <json-args> where args
// are {secret: "whsec_...", cases: {name: {body: base64 of the exact bytes, headers}}}; prints
// one JSON line: {name: {verified: payload} | {error: message}}.
'use strict'
const path = require('path')
const { createRequire } = require('module')

const frontend = createRequire(path.join(process.env.COLLAB_FRONTEND, 'package.json'))
const { Webhook } = frontend('standardwebhooks')

const args = JSON.parse(process.argv[3] || '{}')
const webhook = new Webhook(args.secret)
const results = {}
for (const [name, { body, headers }] of Object.entries(args.cases)) {
  try {
    results[name] = { verified: webhook.verify(Buffer.from(body, 'base64'), headers) }
  } catch (error) {
    results[name] = { error: error.message }
  }
}
console.log(JSON.stringify(results))
