// scripts/audit's default source: the function run under the project's lambda-emulator, one API
// Gateway payload 2.0 GET event per page. The function here is fake-opt-out-api.mjs (the saved
// pages behind the same routes), so this checks the events and the reading of the emulator's
// --output json answers; the real opt-out-api routes have their own integration tests.
// AUDIT_LAMBDA_EMULATOR names the emulator binary (ctest passes it).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const emulator = process.env.AUDIT_LAMBDA_EMULATOR;
const bootstrap = join(here, 'fake-opt-out-api.mjs');
let work;

function audit(args, pages) {
  const events = join(work, `events-${Math.random().toString(36).slice(2)}.jsonl`);
  const env = join(work, 'fake.env');
  writeFileSync(env, `AUDIT_PAGES_DIR=${pages}\nAUDIT_EVENTS_LOG=${events}\n`);
  const run = spawnSync('node', [join(root, 'scripts/node/audit.mjs'), ...args, '--now', '2026-11-30T12:00:00Z',
    '--emulator', emulator, '--bootstrap', bootstrap, '--env-file', env], { encoding: 'utf8', timeout: 60_000 });
  let sent = [];
  try { sent = readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l)); } catch { /* none */ }
  return { ...run, sent };
}

before(() => {
  assert.ok(emulator, 'AUDIT_LAMBDA_EMULATOR must name lambda-emulator (ctest sets it)');
  chmodSync(bootstrap, 0o755);
  work = mkdtempSync(join(tmpdir(), 'audit-local-'));
});
after(() => { if (work) rmSync(work, { recursive: true, force: true }); });

test('a history through the emulator: one GET event per page, the cursor followed', () => {
  const out = join(work, 'history.html');
  const r = audit(['history', '+14255550123', '--out', out, '--order', 'newest'], join(here, 'fixtures/history'));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.sent.length, 4);
  for (const e of r.sent) {
    assert.equal(e.routeKey, 'GET /contacts/{phone_number}/history');
    assert.equal(e.rawPath, '/contacts/%2B14255550123/history');
    assert.equal(e.pathParameters.phone_number, '+14255550123');
  }
  assert.deepEqual(r.sent.map((e) => e.queryStringParameters.cursor), [undefined, 'eyJwIjoyfQ', 'eyJwIjozfQ', 'eyJwIjo0fQ']);
  assert.equal(r.sent[0].rawQueryString, 'order=newest&limit=200');
  assert.doesNotMatch(r.stderr, /4255550123/);
  assert.ok(readFileSync(out, 'utf8').includes('from the local stack (opt-out-api under the Runtime API emulator); 4 pages, 13 events'));
});

test('a period through the emulator', () => {
  const out = join(work, 'period.html');
  const r = audit(['period', '2026-11-01', '2026-11-30', '--out', out], join(here, 'fixtures/period'));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.sent.map((e) => [e.routeKey, e.rawPath, e.rawQueryString]), [
    ['GET /opt-outs', '/opt-outs', 'from=2026-11-01&to=2026-11-30&limit=200'],
    ['GET /opt-outs', '/opt-outs', 'from=2026-11-01&to=2026-11-30&limit=200&cursor=cGFnZTI']]);
  assert.ok(readFileSync(out, 'utf8').includes('1 opt-out honoured LATE'));
});

test('the function\'s error answer is shown with its code and message, exit status 3', () => {
  const r = audit(['history', '+14255550123', '--out', join(work, 'x.html')], join(work, 'no-such-dir'));
  assert.equal(r.status, 3);
  assert.match(r.stderr, /GET \/contacts\/\+1425\*\*\*0123\/history page 1: HTTP 404 contact_not_found: no consent record for this number/);
});
