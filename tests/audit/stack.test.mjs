// scripts/audit end to end: the real opt-out-api bootstrap (its default source, under the Runtime
// API emulator) on the integration tests' local stack, over records the real bootstraps made there
// (opt-out-api POST /opt-in and POST /opt-out, sms-inbound ALTO), both reports read in Debian's
// headless Chromium. Rules: 47 CFR 64.1200(a)(10) (a revocation honoured within 10 business
// days), (a)(12) (the one confirmation within 5 minutes).
//
// ctest passes AUDIT_STACK_DIR (the `local_stack` fixture's state directory), AUDIT_LAMBDA_EMULATOR,
// AUDIT_OPT_OUT_API and AUDIT_SMS_INBOUND (the targets' files). Other tests' records share the
// stack: rows are checked for this test's numbers only, global counts as "at least".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dumpDom, findChromium, textOf } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const stackDir = process.env.AUDIT_STACK_DIR;
const emulator = process.env.AUDIT_LAMBDA_EMULATOR;
const optOutApi = process.env.AUDIT_OPT_OUT_API;
const smsInbound = process.env.AUDIT_SMS_INBOUND;
const kDay = 24 * 3600 * 1000;

let browser;
let work;
let stackEnv;
const numbers = {};   // spanish: opted in, then ALTO; overdue: opt-out 19 days ago, list failing;
                      // before: opt-out 25 days ago, before the period
const faulted = [];
let history;          // {file, dom, text, stderr}
let period;

/** A random NANP number in 206 whose exchange is never 550-559 (the hand-picked test ranges). */
function freshNumber() {
  for (;;) {
    const exchange = randomInt(200, 1000);
    if (Math.floor(exchange / 10) === 55) continue;
    return `+1206${exchange}${String(randomInt(0, 10000)).padStart(4, '0')}`;
  }
}

const fresh = (prefix) => `${prefix}-${randomInt(2 ** 47)}`;

function readEnv(file) {
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** Runs `bootstrap` on `event` as scripts/invoke does; returns the emulator's one JSON result. */
function invoke(bootstrap, event, fn, extraEnv = []) {
  const file = join(work, `${fresh('event')}.json`);
  writeFileSync(file, JSON.stringify(event));
  const args = ['--output', 'json', '--timeout', '20', '--env-file', join(stackDir, 'env'),
    '--env-file', join(root, 'functions', fn, 'local.env')];
  for (const e of extraEnv) args.push('--env', e);
  const run = spawnSync(emulator, [...args, bootstrap, file], { encoding: 'utf8', timeout: 60_000 });
  assert.ifError(run.error);
  const lines = run.stdout.split('\n').filter((l) => l.startsWith('{'));
  assert.equal(lines.length, 1, `${fn}: one result expected; log:\n${run.stderr.slice(-3000)}`);
  const result = JSON.parse(lines[0]);
  assert.equal(result.status, 'success', `${fn}: ${JSON.stringify(result)}\n${run.stderr.slice(-3000)}`);
  return result.response;
}

/** opt-out-api on a POST: {status, body}. AWS_MAX_ATTEMPTS=1: a failing list update fails once. */
function post(path, body) {
  const response = invoke(optOutApi, {
    version: '2.0', routeKey: `POST ${path}`, rawPath: path, rawQueryString: '',
    headers: { 'content-type': 'application/json', 'user-agent': 'audit-stack-test' },
    requestContext: { requestId: fresh('req'), http: { method: 'POST', path, sourceIp: '198.51.100.23' } },
    body: JSON.stringify(body), isBase64Encoded: false,
  }, 'opt-out-api', ['AWS_MAX_ATTEMPTS=1']);
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

/** One inbound text through sms-inbound: the SNS record End User Messaging publishes, received now. */
function sms(phone, text) {
  const id = fresh('in');
  const message = {
    originationNumber: phone, destinationNumber: '+12065550100', messageKeyword: 'KEYWORD_123456789012',
    messageBody: text, inboundMessageId: id, previousPublishedMessageId: `prev-${id}`,
  };
  invoke(smsInbound, { Records: [{
    EventSource: 'aws:sns', EventVersion: '1.0',
    Sns: { Type: 'Notification', MessageId: fresh('sns'), TopicArn: 'arn:aws:sns:us-east-1:123456789012:sms-inbound',
      Message: JSON.stringify(message), Timestamp: new Date().toISOString() },
  }] }, 'sms-inbound');
}

/** POSTs to the SMS stand-in's fault control (docs: scripts/node/README.md). */
async function standInFaults(body) {
  const url = `${stackEnv.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2}/_standin/faults`;
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 200, `${url}: ${await r.text()}`);
}

/** scripts/audit as a user runs it, on the test stack; the report read in Chromium. */
function audit(name, args) {
  const out = join(work, `${name}.html`);
  const run = spawnSync('bash', [join(root, 'scripts/audit'), ...args, '--out', out], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, LOCAL_STACK_DIR: stackDir },
  });
  assert.ifError(run.error);
  assert.equal(run.status, 0, `scripts/audit ${name}: exit ${run.status}\n${run.stderr}`);
  assert.equal(run.stdout.trim(), out, 'the report path is printed on stdout');
  const dom = dumpDom(browser, out);
  return { file: out, dom, text: textOf(dom), stderr: run.stderr };
}

/** The visible text of every table row holding `needle`. */
function rowsWith(dom, needle) {
  return dom.split(/<tr[\s>]/).slice(1).map((r) => r.split('</tr>')[0])
    .filter((r) => r.includes(needle)).map((r) => textOf(`<tr ${r}`));
}

const isoDay = (t) => new Date(t).toISOString().slice(0, 10);

before(async () => {
  browser = findChromium(); // fails, never skips, without Chromium
  for (const [name, value] of Object.entries({ AUDIT_STACK_DIR: stackDir, AUDIT_LAMBDA_EMULATOR: emulator,
    AUDIT_OPT_OUT_API: optOutApi, AUDIT_SMS_INBOUND: smsInbound })) {
    assert.ok(value, `${name} must be set (ctest sets it)`);
  }
  // scripts/audit runs build/release's bootstrap and emulator: they must be the ones ctest built,
  // or it would build others (scripts/build) instead of using these.
  assert.equal(resolve(optOutApi), join(root, 'build/release/functions/opt-out-api/bootstrap'));
  assert.equal(resolve(emulator), join(root, 'build/release/runtime/emulator/lambda-emulator'));
  assert.ok(existsSync(join(stackDir, 'env')), `no ${stackDir}/env: the local_stack fixture did not start`);
  stackEnv = readEnv(join(stackDir, 'env'));
  work = mkdtempSync(join(tmpdir(), 'audit-stack-'));
  numbers.spanish = freshNumber();
  do numbers.overdue = freshNumber(); while (numbers.overdue === numbers.spanish);
  do numbers.before = freshNumber(); while ([numbers.spanish, numbers.overdue].includes(numbers.before));

  // 1. Web-form consent, then ALTO by SMS: the Spanish confirmation, on the list at once.
  const optIn = post('/opt-in', {
    phone_number: numbers.spanish, method: 'web_form',
    source: { ip: '198.51.100.23', user_agent: 'Mozilla/5.0' },
    disclosure_version: '2026-10-web-v3',
    disclosure_text: 'I agree to receive appointment reminders from Acme Dental.',
    consented_at: new Date(Date.now() - 2 * kDay).toISOString(),
  });
  assert.equal(optIn.status, 200, JSON.stringify(optIn.body));
  sms(numbers.spanish, 'ALTO');

  // 2. An opt-out by phone call 19 days ago whose list update fails: past its deadline, overdue.
  // (10 business days reach 18 calendar days at most, around Christmas and New Year's Day: with
  // 18 the deadline could fall on this very second.)
  faulted.push(numbers.overdue);
  await standInFaults({ operation: 'PutOptedOutNumber', numbers: faulted, status: 500, code: 'InternalServerException' });
  const late = post('/opt-out', { phone_number: numbers.overdue, channel: 'voice',
    requested_at: new Date(Date.now() - 19 * kDay).toISOString() });
  assert.equal(late.status, 200, JSON.stringify(late.body));
  assert.equal(late.body.status, 'pending', JSON.stringify(late.body));

  // 3. An opt-out received 25 days ago, reported now: before the period, not in its report.
  const earlier = post('/opt-out', { phone_number: numbers.before, channel: 'email',
    requested_at: new Date(Date.now() - 25 * kDay).toISOString() });
  assert.equal(earlier.status, 200, JSON.stringify(earlier.body));

  const bootstrapTime = statSync(optOutApi).mtimeMs;
  const now = Date.now();
  history = audit('history', [numbers.spanish]);
  period = audit('period', ['--opt-outs', '--from', isoDay(now - 20 * kDay), '--to', isoDay(now)]);
  assert.equal(statSync(optOutApi).mtimeMs, bootstrapTime, 'scripts/audit rebuilt the bootstrap');
});

after(async () => {
  if (faulted.length) {
    await standInFaults({ operation: 'PutOptedOutNumber', numbers: faulted, clear: true }).catch(() => {});
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

test('scripts/audit uses the running test stack and the built bootstrap: no new stack, no build', () => {
  for (const r of [history, period]) {
    assert.match(r.stderr, /local stack already running/, r.stderr);
    assert.doesNotMatch(r.stderr, /starting dynalite|scripts\/setup|Building|Linking|building/i, r.stderr);
    assert.match(r.stderr, /report from the local stack/);
  }
  assert.ok(history.text.includes('from the local stack (opt-out-api under the Runtime API emulator)'));
  assert.doesNotMatch(history.stderr, new RegExp(numbers.spanish.slice(1)), 'full number in the progress output');
});

test('the history: opted out, Spanish, ALTO honoured IN TIME in 0 business days', () => {
  const t = history.text;
  assert.ok(t.includes(`Consent history of ${numbers.spanish}`));
  assert.match(t, /Current status: opted_out; may receive texts: no( \([^)]*\))?; language: Spanish/, t.slice(0, 1500));
  assert.ok(t.includes('Every revocation honoured within 10 business days: 1 revocation, honoured within the deadline in 0 business days'), t.slice(0, 1500));
  const [revocation] = rowsWith(history.dom, '<span class="flag ok">IN TIME</span> honoured within');
  assert.ok(revocation, 'a revocation row');
  assert.match(revocation, /sms, .*keyword:ALTO/, revocation);
  assert.match(revocation, /by sms-inbound/, revocation);
  assert.match(revocation, /IN TIME honoured within the deadline in 0 business days \(\d+(\.\d)? (s|min)\)/, revocation);
  assert.ok(!/OVERDUE|LATE|PENDING|VIOLATION/.test(t), t.slice(0, 1500));
});

test('the history: the Spanish confirmation is shown, and nothing was sent after the revocation', () => {
  const t = history.text;
  assert.ok(t.includes('No text was sent after a revocation (the one opt-out confirmation within 5 minutes excepted)'), t.slice(0, 1500));
  assert.ok(t.includes('1 text sent (status sent or outcome_unknown): 0 while consent was in force, 1 opt-out confirmation within 5 minutes'), t.slice(0, 1500));
  const [confirmation, ...more] = rowsWith(history.dom, 'opt_out_confirmation');
  assert.equal(more.length, 0, 'one confirmation');
  // As sent: smart encoding (common/sms/segments.hpp) keeps a body GSM-7, so á becomes a.
  assert.ok(confirmation.includes('body: Acme Dental: Se ha dado de baja y no recibira mas mensajes. Responda COMENZAR o START para volver a suscribirse.'), confirmation);
  assert.match(confirmation, /language: es/, confirmation);
  assert.ok(confirmation.includes('the one confirmation, within 5 min'), confirmation);
  const [inbound] = rowsWith(history.dom, '<td>Text in</td>');
  assert.match(inbound, /body: ALTO intent: opt_out/, inbound);
  // The timeline: the consent, then the revocation, the text, the confirmation, the honour.
  assert.match(t, /Timeline \(5 events, oldest first\)/);
  assert.ok(t.includes('First consent and its evidence'));
  assert.ok(t.includes('disclosure version 2026-10-web-v3'));
  assert.ok(t.includes('source ip: 198.51.100.23'));
});

test('the period: the overdue opt-out flagged, the ALTO in time, only this test\'s opt-outs of the period', () => {
  const t = period.text;
  const spanish = rowsWith(period.dom, `<td class="time">${numbers.spanish}</td>`);
  const overdue = rowsWith(period.dom, `<td class="time">${numbers.overdue}</td>`);
  assert.equal(spanish.length, 1, `one row for the ALTO: ${spanish.join('\n')}`);
  assert.equal(overdue.length, 1, `one row for the overdue opt-out: ${overdue.join('\n')}`);
  assert.deepEqual(rowsWith(period.dom, numbers.before), [], 'an opt-out received before --from is not listed');
  assert.match(spanish[0], /sms, sms_keyword|sms, keyword/, spanish[0]);
  assert.match(spanish[0], /0 business days \d+(\.\d)? (s|min) IN TIME 0$/, spanish[0]);
  assert.match(overdue[0], /voice, opt_out_api/, overdue[0]);
  assert.match(overdue[0], /not honoured - OVERDUE not honoured, deadline passed 0$/, overdue[0]);
  // The overdue row is flagged: the table row is marked, and the summary counts it.
  const overdueRow = period.dom.split(/<tr[\s>]/).find((r) => r.includes(`<td class="time">${numbers.overdue}</td>`));
  assert.match(overdueRow, /^class="violation"/, overdueRow);
  const n = /(\d+) opt-outs? OVERDUE: not honoured and past the deadline/.exec(t);
  assert.ok(n && Number(n[1]) >= 1, t.slice(0, 1500));
  const received = /(\d+) opt-out requests? received: (\d+) revocations?/.exec(t);
  assert.ok(received && Number(received[1]) >= 2 && Number(received[2]) >= 2, t.slice(0, 1500));
  assert.doesNotMatch(period.stderr, /\+1\d{10}/, 'full number in the progress output');
});
