// The measuring half of bench/run: runs each contestant under lambda-emulator
// against the local stack and turns the emulator's per-invocation JSON and the
// bench-rusage wrapper's figures into a markdown table and a JSON result.
//
//   node bench/lib/measure.mjs --root <repo> --stack-dir <dir> --out <file.json>
//        [--cold 20] [--warm 1000] [--only name,name] [--ab <dirA> <dirB>]
//
// bench/run prepares everything (builds, npm ci, the stack) and calls this.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = parseArgs(process.argv.slice(2));
const root = args.root;
const stackDir = args['stack-dir'];
const stackEnv = path.join(stackDir, 'env');
const coldRuns = Number(args.cold ?? 20);
const warmEvents = Number(args.warm ?? 1000);
// RSS and CPU are read at two points: after `early` invocations and after
// `warmEvents`; both runs start cold, so the difference is warm work only.
const early = Math.min(100, Math.floor(warmEvents / 10));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'smsc-bench-'));
const logFile = path.join(work, 'functions.log');
const release = path.resolve(args['build-dir'] ?? path.join(root, 'build/release'));
const emulator = path.join(release, 'runtime/emulator/lambda-emulator');
const wrapper = path.join(release, 'bench/bench-rusage');

function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--ab') out.ab = [argv[++i], argv[++i]];
    else if (argv[i].startsWith('--')) out[argv[i].slice(2)] = argv[++i];
    else out._.push(argv[i]);
  }
  return out;
}

const progress = (line) => process.stderr.write(`\x1b[1m==>\x1b[0m bench: ${line}\n`);
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const template = (rel) => fs.readFileSync(path.join(root, rel), 'utf8');

// ---- events: every event is a distinct message, so no contestant meets a duplicate ----

let serial = Date.now() % 1000000;
// A fresh NANP number per event (exchange 200-999 passes the E.164/NANP checks).
const phone = (area) => `+1${area}${String(2000000 + (serial++ % 7000000)).padStart(7, '0')}`;

function snsEvent(rel, body) {
  const event = JSON.parse(template(rel));
  const sns = event.Records[0].Sns;
  const message = JSON.parse(sns.Message);
  const id = `bench-${serial}-${Math.random().toString(36).slice(2, 10)}`;
  message.originationNumber = phone(425);
  message.inboundMessageId = id;
  if (body) message.messageBody = body;
  sns.Message = JSON.stringify(message);
  sns.MessageId = `sns-${id}`;
  return JSON.stringify(event);
}
const stopEvent = () => snsEvent('functions/sms-inbound/events/stop.json');
const messageEvent = () => snsEvent('functions/sms-inbound/events/message.json');
function optOutEvent() {
  const event = JSON.parse(template('functions/opt-out-api/events/opt-out-email.json'));
  const body = JSON.parse(event.body);
  body.phone_number = phone(206);
  event.body = JSON.stringify(body);
  return JSON.stringify(event);
}
const fixedEvent = (rel) => () => JSON.stringify(JSON.parse(template(rel)));
// An SQS event of one message per body (a queue-triggered function's batch; `items` of the
// contestant = bodies.length, so its AWS calls and CPU are also given per message).
function sqsEvent(bodies) {
  const queue = 'arn:aws:sqs:us-east-1:123456789012:bench';
  return JSON.stringify({ Records: bodies.map((body) => {
    const id = `bench-${serial++}-${Math.random().toString(36).slice(2, 10)}`;
    return { messageId: id, receiptHandle: `rh-${id}`, body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'AIDABENCH',
        ApproximateFirstReceiveTimestamp: String(Date.now()) },
      messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: queue, awsRegion: 'us-east-1' };
  }) });
}

// A TEXT_DELIVERED event (the usual second and final event of a text, after TEXT_SUCCESSFUL) for
// the message-log item `m` seeded by bench/node/seed-messages.mjs; with `withRef`, its Context
// carries the item's key (message_ref, as sms-inbound's replies set it), else only a kind (as a
// reminder's, whose item is found by MessageId through the by-message-id index).
const deliveredEvent = (withRef) => (i, m) => {
  const event = JSON.parse(template('functions/delivery-events/events/delivered.json'));
  const sns = event.Records[0].Sns;
  const message = JSON.parse(sns.Message);
  message.messageId = m.message_id;
  message.destinationPhoneNumber = m.phone;
  message.messageRequestTimestamp = m.sent_at_ms;
  message.eventTimestamp = m.sent_at_ms + 1200;  // the time seed-messages.mjs gives a recorded one
  message.context = withRef ? { message_ref: m.sk } : { kind: 'reminder' };
  sns.Message = JSON.stringify(message);
  sns.MessageId = `sns-${m.message_id}-delivered`;
  sns.Timestamp = new Date(m.sent_at_ms + 1500).toISOString();
  return JSON.stringify(event);
};

// ---- seeding the small sets reminders and deadline-monitor work on ----

// A fixed Wednesday afternoon in every US zone, so quiet hours never defer the
// reminders (the run's clock comes from the event: REMINDERS_ACCEPT_EVENT_TIME).
// Run i of the "3 due" contestants runs at reminderClock + i s and finds the 3
// reminders seeded due at that second (the earlier ones are done); the "nothing
// due" contestants run a week later, whose look-back window holds nothing.
const reminderClock = Date.parse('2026-11-18T21:00:00.000Z');
const emptyReminderClock = Date.parse('2026-11-25T21:00:00.000Z');
const reminderEvent = (clockMs) => JSON.stringify({
  ...JSON.parse(template('functions/reminders/events/scheduled.json')), now: new Date(clockMs).toISOString() });
function seedAppointments(count) {
  run('node', [path.join(root, 'scripts/node/seed-appointments.mjs'), '--env-file', stackEnv,
    '--count', String(count), '--prefix', `bench${serial++}`, '--now', new Date(reminderClock).toISOString(),
    '--batch-size', '3', '--batch-step-ms', '1000']);
}
function seedPendingOptOuts(count) {
  run('node', [path.join(root, 'bench/node/seed-pending.mjs'), '--env-file', stackEnv, '--count', String(count),
    '--prefix', String(serial++ % 90 + 10)]);
}
// The message-log items delivery-events updates, one per event (bench/node/seed-messages.mjs:
// `key` reply|message-id, `recorded` successful|delivered); returns them, event i uses item i.
function seedMessages(count, key, recorded) {
  const first = serial;
  serial += count;
  return seedLines(runOut('node', [path.join(root, 'bench/node/seed-messages.mjs'), '--env-file', stackEnv,
    '--count', String(count), '--prefix', `bench${first}`, '--first', String(first), '--key', key,
    '--recorded', recorded]), count);
}
// Opted-in contacts with written marketing consent, one per event (bench/node/seed-contacts.mjs),
// for a sender through the send gate; returns them ({phone}), event i uses contact i.
function seedContacts(count, extra = []) {
  const first = serial;
  serial += count;
  return seedLines(runOut('node', [path.join(root, 'bench/node/seed-contacts.mjs'), '--env-file', stackEnv,
    '--count', String(count), '--first', String(first), ...extra]), count);
}
function seedLines(stdout, count) {
  const lines = stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  if (lines.length !== count) throw new Error(`seeded ${lines.length} items, not ${count}`);
  return lines;
}
function resetStack() {
  run(path.join(root, 'scripts/local-stack'), ['reset'], { LOCAL_STACK_DIR: stackDir });
}
function run(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
}
// run(), returning what the command printed.
function runOut(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 << 20, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

// notify requests (functions/notify/local.env's order_shipped template), at notifyClock: Tuesday
// 2026-12-01 11:00 PST, inside Washington's hours, so the seeded 425 numbers are sent to.
const notifyClock = Date.parse('2026-12-01T19:00:00Z');
const notifyRequest = (contact) => ({ idempotency_key: `bench-${serial++}-${Math.random().toString(36).slice(2, 10)}`,
  phone_number: contact.phone, category: 'transactional', template: 'order_shipped',
  variables: { name: 'Ana', order: '1042' } });
function notifyHttpEvent(contact) {
  const event = JSON.parse(template('functions/notify/events/http.json'));
  event.body = JSON.stringify(notifyRequest(contact));
  event.requestContext.timeEpoch = notifyClock;
  return JSON.stringify(event);
}
function notifySqsEvent(contacts) {
  const event = JSON.parse(sqsEvent(contacts.map(notifyRequest)));
  for (const r of event.Records) r.attributes.SentTimestamp = String(notifyClock);
  return JSON.stringify(event);
}

// ---- contestants ----

const fnEnv = (fn) => [stackEnv, path.join(root, `functions/${fn}/local.env`)];
// Pacing (3 parts/s in production) would measure sleep, not work.
const reminderEnv = { SMS_MAX_PARTS_PER_SECOND: '1000', REMINDERS_ACCEPT_EVENT_TIME: '1' };
const notifyEnv = { SMS_MAX_PARTS_PER_SECOND: '1000', NOTIFY_ACCEPT_EVENT_TIME: '1' };
const bootstrapOf = (dir, fn) => path.join(dir, `functions/${fn}/bootstrap`);

// A contestant: `id` (for --only), `label` (the table's), `fn` (the function's name, for the
// emulator and for --ab --only), `exec`, `envFiles` (none: it talks to no AWS), `env`;
// `seed(n)` before every run of n events (after the stack's reset, except between cold starts):
// what it returns, an array of n, goes item by item to `event(i, seeded[i])`, which builds event i
// of the run; `check(answer)` must hold for every answer, or the bench stops; `items`: the items
// (messages, records) each event carries, default 1 (calls and CPU are also given per item);
// `pair`/`baseline`: for the comparisons and the ordering.
function ourContestants(dir, tag = '') {
  const delivery = (id, label, key, recorded, check) => ({
    id: `${id}${tag}`, label: `${label}${tag}`, fn: 'delivery-events', exec: bootstrapOf(dir, 'delivery-events'),
    envFiles: fnEnv('delivery-events'), seed: (n) => seedMessages(n, key, recorded),
    event: deliveredEvent(key === 'reply'), check });
  return [
    { id: `sms-inbound-stop${tag}`, label: `sms-inbound STOP${tag}`, fn: 'sms-inbound',
      exec: bootstrapOf(dir, 'sms-inbound'), envFiles: fnEnv('sms-inbound'), event: stopEvent, pair: 'node-stop' },
    { id: `sms-inbound-message${tag}`, label: `sms-inbound message${tag}`, fn: 'sms-inbound',
      exec: bootstrapOf(dir, 'sms-inbound'), envFiles: fnEnv('sms-inbound'), event: messageEvent },
    { id: `opt-out-api${tag}`, label: `opt-out-api POST /opt-out${tag}`, fn: 'opt-out-api',
      exec: bootstrapOf(dir, 'opt-out-api'), envFiles: fnEnv('opt-out-api'), event: optOutEvent },
    { id: `reminders${tag}`, label: `reminders, nothing due${tag}`, fn: 'reminders',
      exec: bootstrapOf(dir, 'reminders'), envFiles: fnEnv('reminders'), env: reminderEnv,
      event: () => reminderEvent(emptyReminderClock), check: (r) => r.sent === 0, pair: 'node-reminders' },
    { id: `reminders-3due${tag}`, label: `reminders, 3 due${tag}`, fn: 'reminders',
      exec: bootstrapOf(dir, 'reminders'), envFiles: fnEnv('reminders'), env: reminderEnv,
      event: (i) => reminderEvent(reminderClock + i * 1000), seed: (events) => seedAppointments(3 * events),
      check: (r) => r.sent === 3, pair: 'node-reminders-3due' },
    { id: `deadline-monitor${tag}`, label: `deadline-monitor (3 pending)${tag}`, fn: 'deadline-monitor',
      exec: bootstrapOf(dir, 'deadline-monitor'), envFiles: fnEnv('deadline-monitor'),
      event: fixedEvent('functions/deadline-monitor/events/scheduled.json'), seed: () => seedPendingOptOuts(3) },
    // notify at a fixed daytime instant for the seeded Washington numbers (NOTIFY_ACCEPT_EVENT_TIME:
    // the event's own time), so every message is sent, none deferred: the full path (contact read,
    // claim, SendTextMessage, record, contact counters).
    { id: `notify-http${tag}`, label: `notify, POST /messages (sent)${tag}`, fn: 'notify',
      exec: bootstrapOf(dir, 'notify'), envFiles: fnEnv('notify'), env: notifyEnv,
      seed: (n) => seedContacts(n), event: (i, contact) => notifyHttpEvent(contact),
      check: (r) => r.statusCode === 202 && JSON.parse(r.body).status === 'sent' },
    { id: `notify-sqs10${tag}`, label: `notify, SQS batch of 10 (sent)${tag}`, fn: 'notify',
      exec: bootstrapOf(dir, 'notify'), envFiles: fnEnv('notify'), env: notifyEnv, items: 10,
      seed: (n) => { const c = seedContacts(10 * n); return Array.from({ length: n }, (_, i) => c.slice(10 * i, 10 * i + 10)); },
      event: (i, contacts) => notifySqsEvent(contacts),
      check: (r) => Array.isArray(r.batchItemFailures) && r.batchItemFailures.length === 0 },
    // One SNS record per invocation: SNS invokes Lambda with one message per event.
    delivery('delivery-events-ref', 'delivery-events, key in Context', 'reply', 'successful',
      (r) => r.records === 1 && r.recorded === 1),
    delivery('delivery-events', 'delivery-events, by MessageId (index)', 'message-id', 'successful',
      (r) => r.records === 1 && r.recorded === 1),
    delivery('delivery-events-duplicate', 'delivery-events, duplicate (by MessageId)', 'message-id', 'delivered',
      (r) => r.records === 1 && r.duplicates === 1),
  ];
}

const nodeLoop = fs.existsSync(path.join(root, 'bench/node/node_modules/aws-lambda-ric/rapid-client.node'))
  ? 'ric' : 'minimal';
const nodeLoopName = nodeLoop === 'ric' ? 'aws-lambda-ric' : 'minimal loop';
// A/B: the two revisions' contestants alternate, so drift in the machine's load hits both.
const abNames = (args['ab-names'] ?? 'A,B').split(',');
// A pair whose function one revision lacks (older than the function) is left out, and said so.
const leftOut = new Set();
const bothBuilt = ([a, b]) => {
  const ok = fs.existsSync(a.exec) && fs.existsSync(b.exec);
  if (!ok && !leftOut.has(a.fn)) progress(`A/B: ${a.fn} is not in both revisions: its rows are left out`);
  if (!ok) leftOut.add(a.fn);
  return ok;
};
const contestants = args.ab
  ? ourContestants(args.ab[0], ` [A: ${abNames[0]}]`)
    .map((a, i) => [a, ourContestants(args.ab[1], ` [B: ${abNames[1]}]`)[i]])
    .filter(([a]) => !args.only || args.only.split(',').includes(a.fn))
    .filter(bothBuilt)
    .flat()
  : [
    ...ourContestants(release),
    { id: 'node-stop', label: `Node.js 20 + SDK v3 STOP (${nodeLoopName})`,
      fn: 'sms-inbound', exec: path.join(root, 'bench/node/bootstrap'), envFiles: fnEnv('sms-inbound'),
      // The Node function's handler setting, as Lambda passes it in _HANDLER.
      env: { BENCH_NODE_LOOP: nodeLoop, _HANDLER: 'index.handler' }, event: stopEvent, baseline: true },
    // The same reminders runs in Node (bench/node/reminders.mjs: the same calls as ours).
    { id: 'node-reminders', label: `Node.js 20 + SDK v3 reminders, nothing due (${nodeLoopName})`, fn: 'reminders',
      exec: path.join(root, 'bench/node/bootstrap'), envFiles: fnEnv('reminders'),
      env: { ...reminderEnv, BENCH_NODE_LOOP: nodeLoop, _HANDLER: 'reminders.handler' },
      event: () => reminderEvent(emptyReminderClock), check: (r) => r.sent === 0, baseline: true },
    { id: 'node-reminders-3due', label: `Node.js 20 + SDK v3 reminders, 3 due (${nodeLoopName})`, fn: 'reminders',
      exec: path.join(root, 'bench/node/bootstrap'), envFiles: fnEnv('reminders'),
      env: { ...reminderEnv, BENCH_NODE_LOOP: nodeLoop, _HANDLER: 'reminders.handler' },
      event: (i) => reminderEvent(reminderClock + i * 1000), seed: (events) => seedAppointments(3 * events),
      check: (r) => r.sent === 3, baseline: true },
    { id: 'echo', label: 'echo on our loop', fn: 'echo', exec: path.join(release, 'bench/bench-echo'),
      envFiles: [], event: fixedEvent('functions/sms-inbound/events/stop.json'), pair: 'floor' },
    { id: 'floor', label: 'floor: raw libcurl GET+POST', fn: 'floor', exec: path.join(release, 'bench/bench-floor'),
      envFiles: [], event: fixedEvent('functions/sms-inbound/events/stop.json') },
  ].filter((c) => !args.only || args.only.split(',').includes(c.id));

// ---- running the emulator ----

// Runs `events` through one process of contestant `c`; with `rusage`, under
// bench-rusage so the kernel's accounting of the process is returned too.
async function emulate(c, events, { rusage = false } = {}) {
  const emulatorArgs = ['--output', 'json', '--timeout', '60', '--function-name', c.fn];
  for (const f of c.envFiles) emulatorArgs.push('--env-file', f);
  for (const [k, v] of Object.entries(c.env ?? {})) emulatorArgs.push('--env', `${k}=${v}`);
  let usageFile;
  if (rusage) {
    usageFile = path.join(work, `rusage-${c.id.replace(/\W+/g, '_')}-${events.length}.json`);
    fs.rmSync(usageFile, { force: true });
    emulatorArgs.push('--env', `BENCH_EXEC=${c.exec}`, '--env', `BENCH_RUSAGE_FILE=${usageFile}`,
      '--env', `LAMBDA_TASK_ROOT=${path.dirname(c.exec)}`, wrapper);
  } else {
    emulatorArgs.push(c.exec);
  }
  const log = fs.openSync(logFile, 'a');
  const child = spawn(emulator, emulatorArgs, { stdio: ['pipe', 'pipe', log] });
  const chunks = [];
  // RSS growth is read inside one process: VmRSS when the result of invocation
  // `early + 1` arrives and when that of the last but one does (the last one is
  // followed at once by the emulator's SIGTERM).
  const samples = {};
  const sampleAt = rusage ? new Set([early + 1, events.length - 1]) : new Set();
  let lines = 0;
  child.stdout.on('data', (d) => {
    chunks.push(d);
    for (const byte of d) {
      if (byte !== 10) continue;
      lines += 1;
      if (sampleAt.has(lines)) samples[lines] = procStatus(contestantPid(child.pid));
    }
  });
  child.stdin.end(events.join('\n') + '\n');
  const code = await new Promise((resolve) => child.on('close', resolve));
  fs.closeSync(log);
  const results = Buffer.concat(chunks).toString().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const failed = results.filter((r) => r.status !== 'success');
  if (code !== 0 || failed.length > 0 || results.length !== events.length) {
    throw new Error(`${c.label}: emulator exit ${code}, ${failed.length} failed ` +
      `(${JSON.stringify(failed[0] ?? {}).slice(0, 300)}); function logs in ${logFile}`);
  }
  // The work is what was meant (e.g. each "3 due" run sent 3), or the figures mean nothing.
  const answer = (r) => (typeof r.response === 'string' ? JSON.parse(r.response) : r.response);
  const wrong = c.check ? results.find((r) => !c.check(answer(r))) : undefined;
  if (wrong) throw new Error(`${c.label}: unexpected result ${JSON.stringify(wrong.response).slice(0, 300)}`);
  return { results, usage: rusage ? readJson(usageFile) : undefined, samples };
}

// The contestant under bench-rusage: the emulator's child's child.
function contestantPid(emulatorPid) {
  const children = (pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return [];
    }
  };
  return children(children(emulatorPid)[0])[0];
}

function procStatus(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(text.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1]);
    return { rss_kb: kb('VmRSS'), hwm_kb: kb('VmHWM') };
  } catch {
    return {};
  }
}

// Event i of a run (the reminders contestants give each its own clock; a seeding contestant its
// own seeded item).
const makeEvents = (c, n, seeded) => Array.from({ length: n }, (_, i) => c.event(i, seeded?.[i]));

// ---- statistics ----

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}
function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { n: s.length, min: s[0], median, p99: quantile(s, 0.99), max: s[s.length - 1] };
}

// ---- the measurements ----

async function measureCold() {
  const cold = Object.fromEntries(contestants.map((c) => [c.id, { init: [], invocation: [], cpu: [] }]));
  for (let round = 0; round < coldRuns; round++) {
    progress(`cold starts: round ${round + 1}/${coldRuns} (${contestants.length} contestants, interleaved)`);
    for (const c of contestants) {
      const seeded = c.seed?.(1);
      const { results } = await emulate(c, makeEvents(c, 1, seeded));
      cold[c.id].init.push(results[0].init_duration_ms);
      cold[c.id].invocation.push(results[0].init_duration_ms + results[0].duration_ms);
    }
  }
  return cold;
}

// Every contestant's short run, then every contestant's long run: the two runs
// of one contestant are minutes apart, so load drift is shared, not compounded.
async function measureWarmRuns() {
  const runs = Object.fromEntries(contestants.map((c) => [c.id, {}]));
  for (const n of [early, warmEvents]) {
    for (const c of contestants) {
      resetStack();
      const seeded = c.seed?.(n + 1);
      progress(`warm: ${c.label}: 1 cold + ${n} warm invocations`);
      runs[c.id][n] = await emulate(c, makeEvents(c, n + 1, seeded), { rusage: true });
    }
  }
  return runs;
}

// AWS calls per invocation, counted at the wire: each contestant that talks to AWS runs one
// event (after a reset and its seed) with every endpoint of the local stack (each
// AWS_ENDPOINT_URL_* of its env file: DynamoDB and the SMS stand-in, and any service the stack
// adds) pointed at scripts/node/count-proxy.mjs.
async function measureCalls() {
  const stack = Object.fromEntries(fs.readFileSync(stackEnv, 'utf8').split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const endpoints = Object.keys(stack).filter((k) => k.startsWith('AWS_ENDPOINT_URL_'));
  const service = (k) => k.slice('AWS_ENDPOINT_URL_'.length).toLowerCase();
  const log = path.join(work, 'calls.log');
  const portFile = path.join(work, 'count-proxy-ports.json');
  const proxy = spawn('node', [path.join(root, 'scripts/node/count-proxy.mjs'), '--log', log, '--port-file', portFile,
    ...endpoints.flatMap((k) => ['--upstream', `${service(k)}=${stack[k]}`])], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (let i = 0; i < 100 && !fs.existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
    if (!fs.existsSync(portFile)) throw new Error('scripts/node/count-proxy.mjs did not start (its errors are above)');
    const ports = readJson(portFile);
    const viaProxy = Object.fromEntries(endpoints.map((k) => [k, `http://127.0.0.1:${ports[service(k)]}`]));
    const calls = {};
    for (const c of contestants.filter((x) => x.envFiles.length > 0)) {
      resetStack();
      const seeded = c.seed?.(1);
      fs.writeFileSync(log, '');
      await emulate({ ...c, env: { ...c.env, ...viaProxy } }, makeEvents(c, 1, seeded));
      const byOperation = {};
      for (const line of fs.readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
        // "<service> <X-Amz-Target>" (the JSON protocols: "DynamoDB_20120810.Query" -> Query), or
        // "<service> <method> <path>" for a REST one.
        const op = line.slice(line.indexOf(' ') + 1).replace(/^[A-Za-z0-9_]+\.(?=[A-Za-z]+$)/, '');
        byOperation[op] = (byOperation[op] ?? 0) + 1;
      }
      const total = Object.values(byOperation).reduce((a, b) => a + b, 0);
      calls[c.id] = { total, items: c.items ?? 1, per_item: total / (c.items ?? 1), by_operation: byOperation };
      progress(`calls: ${c.label}: ${total}`);
    }
    return calls;
  } finally {
    proxy.kill();
  }
}

function warmFigures(runs) {
  const cpu = (u) => u.utime_us + u.stime_us;
  const a = runs[early].usage;
  const b = runs[warmEvents].usage;
  return {
    latency_ms: summary(runs[warmEvents].results.slice(1).map((r) => r.duration_ms)),
    cpu_us_per_warm: (cpu(b) - cpu(a)) / (warmEvents - early),
    user_us_per_warm: (b.utime_us - a.utime_us) / (warmEvents - early),
    peak_rss_kb: b.maxrss_kb,
    // Same process: VmRSS after invocation early+1 and after the last but one.
    rss_kb_samples: runs[warmEvents].samples,
    rss_growth_kb: rssGrowth(runs[warmEvents].samples),
    // Across the two runs' peaks (separate processes: about +-250 KB of noise).
    peak_rss_growth_kb: b.maxrss_kb - a.maxrss_kb,
    rusage: { [early + 1]: a, [warmEvents + 1]: b },
  };
}

function rssGrowth(samples) {
  const [first, last] = Object.keys(samples).map(Number).sort((x, y) => x - y).map((k) => samples[k]?.rss_kb);
  return Number.isFinite(first) && Number.isFinite(last) ? last - first : NaN;
}

function zipSizes() {
  const sizes = {};
  // bench/run rebuilds dist/ but not dist/arm64/ (scripts/build --arch arm64): say when that is older.
  const x86Built = Math.max(0, ...fs.readdirSync(path.join(root, 'dist')).filter((n) => n.endsWith('.zip'))
    .map((n) => fs.statSync(path.join(root, 'dist', n)).mtimeMs));
  for (const [arch, dir] of [['x86_64', 'dist'], ['arm64', 'dist/arm64']]) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full)) continue;
    for (const f of fs.readdirSync(full).filter((n) => n.endsWith('.zip')).sort()) {
      const stat = fs.statSync(path.join(full, f));
      const stale = arch === 'arm64' && stat.mtimeMs < x86Built - 60e3
        ? `, built ${new Date(stat.mtimeMs).toISOString().slice(0, 16)}Z before this run` : '';
      sizes[`${f.replace(/\.zip$/, '')} (${arch}${stale})`] = stat.size;
    }
  }
  const nodeZip = path.join(work, 'node-baseline.zip');
  // What a Node user uploads: the handler and its two SDK clients (the runtime ships aws-lambda-ric).
  const zipped = spawnSync('sh', ['-c',
    `cd "${path.join(root, 'bench/node')}" && zip -qr -9 "${nodeZip}" index.mjs package.json node_modules ` +
    '-x "node_modules/aws-lambda-ric/*" -x "node_modules/node-addon-api/*" -x "node_modules/node-gyp/*"']);
  if (zipped.status === 0) sizes['Node.js baseline: index.mjs + SDK clients'] = fs.statSync(nodeZip).size;
  return sizes;
}

// ---- report ----

const fmt = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const ratio = (ours, base) => (Number.isFinite(ours) && Number.isFinite(base) && ours > 0 ? base / ours : NaN);

function table(result) {
  const rows = [
    '| contestant | init ms (min / med / max) | cold invocation ms (min / med / max) | warm ms (med / p99) | CPU µs / warm inv. | peak RSS MB | RSS growth ' +
      `inv. ${early + 1}->${warmEvents} KB |`,
    '|---|---|---|---|---|---|---|',
  ];
  // An event of several items (an SQS batch) also gets its figure per item.
  const perItem = (items, v, digits) => (items > 1 ? ` (${fmt(v / items, digits)} per item)` : '');
  for (const c of contestants) {
    const r = result.contestants[c.id];
    rows.push(`| ${c.label} | ${fmt(r.init_ms.min)} / **${fmt(r.init_ms.median)}** / ${fmt(r.init_ms.max)} | ` +
      `${fmt(r.cold_invocation_ms.min)} / **${fmt(r.cold_invocation_ms.median)}** / ${fmt(r.cold_invocation_ms.max)} | ` +
      `**${fmt(r.warm.latency_ms.median, 2)}** / ${fmt(r.warm.latency_ms.p99, 2)} | ${fmt(r.warm.cpu_us_per_warm, 0)}` +
      `${perItem(r.items, r.warm.cpu_us_per_warm, 0)} | ${fmt(r.warm.peak_rss_kb / 1024, 1)} | ${r.warm.rss_growth_kb} |`);
  }
  const lines = [rows.join('\n')];
  if (result.ratios.length) {
    lines.push('', '| comparison | init | cold invocation | warm latency | CPU / warm inv. | peak RSS |', '|---|---|---|---|---|---|');
    for (const q of result.ratios) {
      lines.push(`| ${q.label} | ${fmt(q.init, 1)}x | ${fmt(q.cold, 1)}x | ${fmt(q.warm, 2)}x | ${fmt(q.cpu, 1)}x | ${fmt(q.rss, 1)}x |`);
    }
  }
  if (Object.keys(result.calls ?? {}).length) {
    lines.push('', '| contestant | AWS calls per invocation (counted at the wire) | by operation |', '|---|---|---|');
    for (const c of contestants) {
      const k = result.calls[c.id];
      if (!k) continue;
      const ops = Object.entries(k.by_operation).sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => `${op} ${n}`);
      lines.push(`| ${c.label} | ${k.total}${perItem(k.items, k.total, 1)} | ${ops.join(', ')} |`);
    }
  }
  if (Object.keys(result.zip_bytes).length) {
    lines.push('', '| package | zip bytes | MB |', '|---|---|---|');
    for (const [k, v] of Object.entries(result.zip_bytes)) lines.push(`| ${k} | ${v} | ${fmt(v / 1e6, 2)} |`);
  }
  return lines.join('\n');
}

function comparisons(result) {
  const pairs = [];
  const get = (id) => result.contestants[id];
  const add = (label, a, b) => {
    if (!a || !b) return;
    pairs.push({
      label,
      init: ratio(a.init_ms.median, b.init_ms.median),
      cold: ratio(a.cold_invocation_ms.median, b.cold_invocation_ms.median),
      warm: ratio(a.warm.latency_ms.median, b.warm.latency_ms.median),
      cpu: ratio(a.warm.cpu_us_per_warm, b.warm.cpu_us_per_warm),
      rss: ratio(a.warm.peak_rss_kb, b.warm.peak_rss_kb),
    });
  };
  if (args.ab) {
    for (let i = 0; i + 1 < contestants.length; i += 2) {
      const [a, b] = [contestants[i], contestants[i + 1]];
      add(`${a.label.replace(/ \[A: .*\]$/, '')}: A / B (above 1: B is better)`, get(b.id), get(a.id));
    }
  } else {
    add('Node.js STOP / sms-inbound STOP (times ours is better; targets: init >= 20, CPU >= 10)',
      get('sms-inbound-stop'), get('node-stop'));
    add('echo / floor (what our loop costs over two bare HTTP exchanges; target: warm <= 1.5)',
      get('floor'), get('echo'));
    add('Node.js reminders / reminders, nothing due (times ours is better)', get('reminders'), get('node-reminders'));
    add('Node.js reminders / reminders, 3 due (times ours is better)', get('reminders-3due'), get('node-reminders-3due'));
  }
  return pairs;
}

async function main() {
  progress(`${contestants.length} contestants; ${coldRuns} cold starts each; ${warmEvents} warm events; work dir ${work}`);
  const started = new Date();
  const calls = await measureCalls();
  const cold = await measureCold();
  const result = {
    date: started.toISOString(),
    machine: machine(),
    settings: { cold_runs: coldRuns, warm_events: warmEvents, early_sample: early + 1, node_loop: nodeLoop,
      ab: args.ab ? { a: abNames[0], b: abNames[1], a_dir: args.ab[0], b_dir: args.ab[1] } : null },
    contestants: {},
    ratios: [],
    calls,
    zip_bytes: args.ab ? {} : zipSizes(),
  };
  const warmRuns = await measureWarmRuns();
  for (const c of contestants) {
    const warm = warmFigures(warmRuns[c.id]);
    result.contestants[c.id] = {
      label: c.label, exec: path.relative(root, c.exec), items: c.items ?? 1,
      init_ms: summary(cold[c.id].init), cold_invocation_ms: summary(cold[c.id].invocation), warm,
    };
  }
  result.ratios = comparisons(result);
  result.markdown = table(result);
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`${result.markdown}\n`);
  progress(`JSON: ${path.relative(root, args.out)}`);
  fs.rmSync(work, { recursive: true, force: true });
}

function machine() {
  const cpus = os.cpus();
  return { hostname: os.hostname(), cpu: cpus[0]?.model ?? 'unknown', cpus: cpus.length,
    memory_gb: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), loadavg_at_start: os.loadavg(),
    node: process.version };
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error}\n(work dir kept: ${work})\n`);
  process.exit(1);
});
