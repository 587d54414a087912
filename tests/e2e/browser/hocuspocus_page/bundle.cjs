// Bundles page.js with the front end's packages into one script for the browser test.
// Usage: node bundle.cjs <out-file>; COLLAB_FRONTEND points at frontend/.
'use strict'
const path = require('path')
const { createRequire } = require('module')

const modules = path.join(process.env.COLLAB_FRONTEND, 'node_modules')
const { build } = createRequire(path.join(process.env.COLLAB_FRONTEND, 'package.json'))('rolldown')

build({
  input: path.join(__dirname, 'page.js'),
  resolve: { modules: [modules] },
  output: { file: process.argv[2], format: 'iife' },
  logLevel: 'silent'
}).catch((error) => { process.stderr.write(error.stack + '\n'); process.exit(1) })
