// Counts AWS calls at the wire: an HTTP proxy in front of local-stack services that appends one
// line per request ("<name> <operation>", the operation from X-Amz-Target, e.g.
// "dynamodb DynamoDB_20120810.Query") to a log file before forwarding it unchanged (headers,
// Host included, so SigV4 signatures still verify). Tests and bench/run point a function's
// AWS_ENDPOINT_URL_* at it and count the lines, rather than trusting the code's own counter.
//
//   node count-proxy.mjs --log <file> --port-file <file.json> [--pid-file <file>]
//        [--bodies <file.jsonl>]
//        --upstream dynamodb=http://127.0.0.1:8000 [--upstream sms=http://127.0.0.1:8001 ...]
//
// --bodies also records each request body ({"service","operation","body"} per line), e.g. to
// check that bench/node's baseline sends what the C++ function sends.
// Each upstream gets its own port on 127.0.0.1; --port-file receives {"dynamodb": port, ...}
// once every port listens. A line is written (synchronously) before the request is forwarded,
// so when a caller has its answer, its call is in the log.
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    log: { type: 'string' },
    'port-file': { type: 'string' },
    'pid-file': { type: 'string' },
    bodies: { type: 'string' },
    upstream: { type: 'string', multiple: true },
  },
});
if (!opt.log || !opt['port-file'] || !opt.upstream?.length) {
  console.error('usage: count-proxy.mjs --log F --port-file F --upstream name=url [--upstream ...]');
  process.exit(2);
}

const agent = new http.Agent({ keepAlive: true });
const ports = {};
const servers = [];

function proxy(name, target) {
  const server = http.createServer((req, res) => {
    const operation = req.headers['x-amz-target'] ?? `${req.method} ${req.url}`;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      appendFileSync(opt.log, `${name} ${operation}\n`);
      if (opt.bodies) {
        appendFileSync(opt.bodies, `${JSON.stringify({ service: name, operation, body: body.toString() })}\n`);
      }
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`count-proxy: ${name}: ${err.message}`);
      });
      upstream.end(body);
    });
  });
  server.keepAliveTimeout = 60000;
  servers.push(server);
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      ports[name] = server.address().port;
      resolve();
    });
  });
}

await Promise.all(opt.upstream.map((spec) => {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new Error(`--upstream expects name=url, got ${spec}`);
  return proxy(spec.slice(0, eq), new URL(spec.slice(eq + 1)));
}));
writeFileSync(opt.log, '', { flag: 'a' });
if (opt['pid-file']) writeFileSync(opt['pid-file'], `${process.pid}\n`);
writeFileSync(`${opt['port-file']}.tmp`, `${JSON.stringify(ports)}\n`);
renameSync(`${opt['port-file']}.tmp`, opt['port-file']);
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    for (const s of servers) s.closeAllConnections?.();
    process.exit(0);
  });
}
