#!/usr/bin/env node
// dynalite (an open-source DynamoDB engine on Node.js) bound to 127.0.0.1 only, for dynamo's tests,
// quick start and benchmark.
//
//   node server.js [--port N] [--path DIR] [--exit-on-stdin-eof]
//
//   --port N               the port (0, the default, takes a free one)
//   --path DIR             keep the tables in a LevelDB store under DIR (default: in memory)
//   --exit-on-stdin-eof    exit when standard input closes, so the engine cannot outlive its parent
//
// Prints "dynalite listening on 127.0.0.1:PORT" on stdout once it accepts connections. Tables are
// ACTIVE as soon as CreateTable answers (dynalite's default keeps them CREATING for 500 ms).
'use strict'

const path = require('path')
const dynalite = require('dynalite')

const HOST = '127.0.0.1'

function parseArgs (argv) {
  const options = { port: 0, path: undefined, exitOnStdinEof: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--port' && i + 1 < argv.length) options.port = Number(argv[++i])
    else if (arg === '--path' && i + 1 < argv.length) options.path = path.resolve(argv[++i])
    else if (arg === '--exit-on-stdin-eof') options.exitOnStdinEof = true
    else {
      console.error('dynalite launcher: unknown argument ' + JSON.stringify(arg) + ' (expected --port N, --path DIR, --exit-on-stdin-eof)')
      process.exit(2)
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    console.error('dynalite launcher: --port must be a number from 0 to 65535')
    process.exit(2)
  }
  return options
}

const options = parseArgs(process.argv.slice(2))

const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })

// dynalite's request handler rethrows a request's 'error' event (req.on('error', err => { throw err })),
// so a client that drops a connection with a request in flight ("Error: aborted") kills the whole
// engine. This listener runs right after dynalite's, for the same request: it replaces that listener
// with one that only closes the dead connection, so the engine keeps serving everyone else.
server.on('request', (req, res) => {
  req.removeAllListeners('error')
  req.on('error', () => res.destroy())
  res.on('error', () => {})
})
// Node closes a keep-alive connection after 5 s idle; a client that reuses it just then gets a reset and must retry
// (seen as one retry more than the faults CopyFaultsTest injected). DynamoDB keeps idle connections far longer.
server.keepAliveTimeout = 120000
server.headersTimeout = 125000

server.on('clientError', (err, socket) => {
  if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
  else socket.destroy()
})

server.on('error', (err) => {
  console.error('dynalite launcher: cannot listen on ' + HOST + ':' + options.port + ': ' + err.message)
  process.exit(1)
})

server.listen(options.port, HOST, () => {
  console.log('dynalite listening on ' + HOST + ':' + server.address().port + (options.path ? ' (store ' + options.path + ')' : ' (in memory)'))
})

function stop () {
  server.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 5000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
if (options.exitOnStdinEof) {
  process.stdin.on('end', () => process.exit(0))
  process.stdin.on('error', () => process.exit(0))
  process.stdin.resume()
}
