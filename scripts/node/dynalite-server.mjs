// Runs dynalite for the local stack. A wrapper rather than dynalite's cli.js
// because cli.js treats --port 0 as "use 4567"; here 0 means "any free port",
// and the port actually bound is written to --port-file once we listen.
//
//   node dynalite-server.mjs [--port N] [--host H] [--path DIR]
//                            [--port-file F] [--pid-file F] [--create-table-ms MS]
import { writeFileSync, renameSync } from 'node:fs';
import { parseArgs } from 'node:util';
import dynalite from 'dynalite';

const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    path: { type: 'string' },
    'port-file': { type: 'string' },
    'pid-file': { type: 'string' },
    // Tables become ACTIVE almost at once, so start-up and resets stay quick.
    'create-table-ms': { type: 'string', default: '10' },
  },
});

/** Writes `text` to `file` through a temporary file, so readers never see half of it. */
function writeAtomic(file, text) {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

const ms = Number(opt['create-table-ms']);
const server = dynalite({ path: opt.path, createTableMs: ms, deleteTableMs: ms, updateTableMs: ms });
server.on('error', (err) => {
  console.error(`dynalite: cannot listen on ${opt.host}:${opt.port}: ${err.message}`);
  process.exit(1);
});
server.listen(Number(opt.port), opt.host, () => {
  const { port } = server.address();
  if (opt['pid-file']) writeAtomic(opt['pid-file'], `${process.pid}\n`);
  if (opt['port-file']) writeAtomic(opt['port-file'], `${port}\n`);
  console.log(`dynalite listening on http://${opt.host}:${port} (${opt.path ? `data in ${opt.path}` : 'in memory'})`);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
