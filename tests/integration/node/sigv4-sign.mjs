// Signs request descriptions with the AWS SDK's own signer (@smithy/signature-v4),
// for the C++ signer's comparison test.
//
//   node sigv4-sign.mjs <cases.json>   -> JSON array of Authorization header values
//
// cases.json: {"time": "<ISO 8601>", "region", "service", "access_key", "secret_key",
//   "cases": [{"method", "path" (as on the wire), "query": [[key, value], ...] (decoded),
//   "headers": [[name, value], ...] (host included), "body_base64", "session_token"}]}
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../../scripts/node/package.json'));
const { SignatureV4 } = require('@smithy/signature-v4');

// The Checksum interface the signer expects, on node:crypto.
class Sha256 {
  constructor(secret) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', Buffer.from(secret));
  }
  update(data) { this.hash.update(data); }
  async digest() { return Uint8Array.from(this.hash.digest()); }
}

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const out = [];
for (const c of spec.cases) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: spec.access_key, secretAccessKey: spec.secret_key, sessionToken: c.session_token || undefined },
    region: spec.region, service: spec.service, sha256: Sha256, uriEscapePath: true, applyChecksum: false,
  });
  const query = {};
  for (const [k, v] of c.query) {
    if (query[k] === undefined) query[k] = v;
    else query[k] = [].concat(query[k], v);
  }
  const headers = Object.fromEntries(c.headers);
  const host = headers.host ?? headers.Host;
  const signed = await signer.sign({
    method: c.method, protocol: 'https:', hostname: host, path: c.path, query, headers,
    body: Buffer.from(c.body_base64, 'base64'),
  }, { signingDate: new Date(spec.time) });
  out.push(signed.headers.authorization);
}
process.stdout.write(JSON.stringify(out));
