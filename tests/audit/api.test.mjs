// scripts/audit --api-url: every page GET is signed by the project's aws-request (SigV4, service
// execute-api) and the cursor is followed. A loopback server stands in for API Gateway: it
// serves the saved pages (tests/audit/fixtures), checks each signature the way API Gateway's IAM
// authorisation would (scripts/node/sigv4.mjs, checked against AWS's suite in the stand-in's
// self-test) and answers 403 on a wrong one; error answers must come out as the API's code and
// message with exit status 3. AUDIT_AWS_REQUEST names the aws-request binary (ctest passes it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { canonicalRequest, signature } from '../../scripts/node/sigv4.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const fixtures = join(here, 'fixtures');
const kKey = 'AKIDAUDITTEST', kSecret = 'audit-test-secret', kRegion = 'us-west-2';
const signer = process.env.AUDIT_AWS_REQUEST;

let server, base, work;
let requests = [];
let answer = null; // {status, body} to answer every request with, instead of a page

// RFC 3986 encoding as SigV4 wants it (unreserved characters kept, %XX upper case).
const uriEncode = (text, keepSlash) => [...Buffer.from(text, 'utf8')].map((b) => {
  const c = String.fromCharCode(b);
  return /[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/') ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
}).join('');

/** Whether the request carries a valid SigV4 signature for execute-api in kRegion. */
function signatureProblem(req, rawPath, rawQuery) {
  const auth = req.headers.authorization ?? '';
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return `malformed Authorization: ${auth}`;
  const [, key, date, region, service, signed, sig] = m;
  if (key !== kKey || region !== kRegion || service !== 'execute-api') return `scope ${key}/${region}/${service}`;
  const signedHeaders = signed.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return 'host or x-amz-date not signed';
  // API Gateway (not S3): the path is URI-encoded once more; the query is sorted and re-encoded.
  const path = uriEncode(rawPath, true);
  const query = rawQuery.split('&').filter(Boolean).map((p) => {
    const [k, v = ''] = p.split('=');
    return [uriEncode(decodeURIComponent(k)), uriEncode(decodeURIComponent(v))];
  }).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('&');
  const canonical = canonicalRequest({ method: req.method, path, query, headers: req.headers, signedHeaders, body: '' });
  const expected = signature({ secretAccessKey: kSecret, date, region, service, amzDateValue: req.headers['x-amz-date'], canonical });
  return expected === sig ? null : 'signature mismatch';
}

function run(args, env = {}) {
  return new Promise((done) => {
    execFile('bash', [join(root, 'scripts/audit'), ...args, '--api-url', base, '--now', '2026-11-30T12:00:00Z'], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: kKey, AWS_SECRET_ACCESS_KEY: kSecret, AWS_SESSION_TOKEN: '',
        AWS_REGION: kRegion, AWS_REQUEST: signer, ...env },
      timeout: 60_000,
    }, (error, stdout, stderr) => done({ status: error ? error.code : 0, stdout, stderr }));
  });
}

before(async () => {
  assert.ok(signer, 'AUDIT_AWS_REQUEST must name the aws-request binary (ctest sets it)');
  work = mkdtempSync(join(tmpdir(), 'audit-api-'));
  server = createServer((req, res) => {
    const [rawPath, rawQuery = ''] = req.url.split('?');
    const problem = signatureProblem(req, rawPath, rawQuery);
    const params = new URLSearchParams(rawQuery);
    requests.push({ path: rawPath, params: Object.fromEntries(params), problem });
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (problem) return send(403, { message: `The request signature we calculated does not match (${problem})` });
    if (answer) return send(answer.status, answer.body);
    const dir = rawPath === '/opt-outs' ? 'period' : rawPath === '/contacts/%2B14255550123/history' ? 'history' : null;
    if (!dir) return send(404, { error: { code: 'not_found', message: 'no route' } });
    const cursor = params.get('cursor');
    try {
      send(200, readFileSync(join(fixtures, dir, `${cursor ? encodeURIComponent(cursor) : 'first'}.json`), 'utf8'));
    } catch {
      send(400, { error: { code: 'invalid_cursor', message: 'cursor is not valid', field: 'cursor' } });
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => {
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('scripts/audit --api-url (aws-request signs every GET)', () => {
  test('a history: four signed pages, the cursor followed, the report written', async () => {
    requests = [];
    const out = join(work, 'history.html');
    const r = await run(['+14255550123', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(requests.length, 4);
    for (const q of requests) assert.equal(q.problem, null);
    assert.deepEqual(requests.map((q) => q.path), Array(4).fill('/contacts/%2B14255550123/history'));
    assert.deepEqual(requests.map((q) => q.params.cursor), [undefined, 'eyJwIjoyfQ', 'eyJwIjozfQ', 'eyJwIjo0fQ']);
    assert.deepEqual(requests[0].params, { order: 'oldest', limit: '200' });
    assert.doesNotMatch(r.stderr, /4255550123/);
    const html = readFileSync(out, 'utf8');
    assert.ok(html.includes('Every revocation honoured within 10 business days: 1 revocation, honoured within the deadline in 1 business day'));
    assert.ok(html.includes(`from the API at ${base}; 4 pages, 13 events`));
  });

  test('a period: from, to, limit and cursor in the signed query', async () => {
    requests = [];
    const out = join(work, 'period.html');
    const r = await run(['--opt-outs', '--from', '2026-11-01', '--to', '2026-11-30', '--limit', '50', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(requests.map((q) => q.params), [
      { from: '2026-11-01', to: '2026-11-30', limit: '50' },
      { from: '2026-11-01', to: '2026-11-30', limit: '50', cursor: 'cGFnZTI' }]);
    for (const q of requests) assert.equal(q.problem, null);
    assert.ok(readFileSync(out, 'utf8').includes('median 1 business day (36.5 h), worst 12 business days (450.4 h)'));
  });

  test('a wrong secret is refused by the server, and the error is shown', async () => {
    requests = [];
    const r = await run(['+14255550123', '--out', join(work, 'x.html')], { AWS_SECRET_ACCESS_KEY: 'wrong' });
    assert.equal(r.status, 3);
    assert.equal(requests[0].problem, 'signature mismatch');
    assert.match(r.stderr, /page 1: HTTP 403 The request signature we calculated does not match/);
  });

  test('an API error is shown with its code and message, exit status 3', async () => {
    answer = { status: 404, body: { error: { code: 'contact_not_found', message: 'no consent record for this number' } } };
    try {
      const r = await run(['+14255550123', '--out', join(work, 'x.html')]);
      assert.equal(r.status, 3);
      assert.match(r.stderr, /GET \/contacts\/\+1425\*\*\*0123\/history page 1: HTTP 404 contact_not_found: no consent record for this number/);
      assert.doesNotMatch(r.stderr, /4255550123/);
    } finally {
      answer = null;
    }
  });

  test('no credentials: a clear error before any request', async () => {
    requests = [];
    const r = await run(['+14255550123', '--out', join(work, 'x.html')], { AWS_ACCESS_KEY_ID: '' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    assert.equal(requests.length, 0);
  });
});
