// scripts/audit's worker: fetches every page of a number's consent history (GET
// /contacts/{phone_number}/history) or of a period's opt-outs (GET /opt-outs), from one of three
// sources, and writes the HTML report (audit-render.mjs). scripts/audit prepares the binaries and
// the local stack and calls this; docs/audit.md describes both.
//
//   node audit.mjs history <+1...> | period <from> <to>
//     --out FILE  --order oldest|newest  --limit N  --now RFC3339
//     source: --emulator BIN --bootstrap BIN [--env-file F ...]     (the local stack)
//           | --aws-request BIN --api-url URL --region R             (a deployed API, SigV4)
//           | --from-json DIR                                        (saved pages: tests, offline)
//
// Progress goes to stderr with numbers masked; the output path is printed on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  analyzeHistory, analyzePeriod, checkHistoryPage, checkPeriodPage, maskPhone, maskText,
  renderHistory, renderPeriod,
} from './audit-render.mjs';

const kMaxPages = 10000; // a cursor that never ends is a bug, not a long history

class UsageError extends Error {}
/** An API answer other than 200: shown with its code and message. */
class ApiError extends Error {}

function parseArgs(argv) {
  const [mode, ...rest] = argv;
  const o = { mode, order: 'oldest', limit: 200, envFiles: [] };
  const positional = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw new UsageError(`${a} needs a value`);
      return rest[++i];
    };
    switch (a) {
      case '--out': o.out = value(); break;
      case '--order': o.order = value(); break;
      case '--limit': o.limit = Number(value()); break;
      case '--now': o.now = value(); break;
      case '--emulator': o.emulator = value(); break;
      case '--bootstrap': o.bootstrap = value(); break;
      case '--env-file': o.envFiles.push(value()); break;
      case '--aws-request': o.awsRequest = value(); break;
      case '--api-url': o.apiUrl = value(); break;
      case '--region': o.region = value(); break;
      case '--from-json': o.fromJson = value(); break;
      default:
        if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (mode === 'history') {
    if (positional.length !== 1) throw new UsageError('history needs one phone number');
    [o.phone] = positional;
    if (!/^\+[1-9]\d{6,14}$/.test(o.phone)) throw new UsageError('the phone number must be E.164, e.g. +14255550123');
  } else if (mode === 'period') {
    if (positional.length !== 2) throw new UsageError('period needs --from and --to');
    [o.from, o.to] = positional;
    for (const d of [o.from, o.to]) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)) ||
          new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) {
        throw new UsageError(`'${d}' is not a date YYYY-MM-DD`);
      }
    }
    if (o.from > o.to) throw new UsageError(`--from ${o.from} is after --to ${o.to}`);
  } else {
    throw new UsageError('mode must be history or period');
  }
  if (!o.out) throw new UsageError('--out is required');
  if (!['oldest', 'newest'].includes(o.order)) throw new UsageError('--order is oldest or newest');
  if (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > 200) throw new UsageError('--limit is 1..200');
  o.nowMs = o.now ? Date.parse(o.now) : Date.now();
  if (Number.isNaN(o.nowMs)) throw new UsageError(`--now '${o.now}' is not an RFC 3339 time`);
  const sources = [o.fromJson, o.apiUrl, o.emulator].filter(Boolean).length;
  if (sources !== 1) throw new UsageError('give exactly one source: --emulator, --api-url or --from-json');
  return o;
}

/** The request of one page: path (percent-encoded), query pairs, route key and a log label. */
function pageRequest(o, cursor) {
  const query = o.mode === 'history'
    ? [['order', o.order], ['limit', String(o.limit)]]
    : [['from', o.from], ['to', o.to], ['limit', String(o.limit)]];
  if (cursor) query.push(['cursor', cursor]);
  const path = o.mode === 'history' ? `/contacts/${encodeURIComponent(o.phone)}/history` : '/opt-outs';
  return {
    path, query,
    queryString: query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
    routeKey: o.mode === 'history' ? 'GET /contacts/{phone_number}/history' : 'GET /opt-outs',
    label: o.mode === 'history' ? `GET /contacts/${maskPhone(o.phone)}/history` : `GET /opt-outs?from=${o.from}&to=${o.to}`,
  };
}

/** A page's HTTP answer as {status, body (text)}; throws on a failure to get any answer. */
function fetchLocal(o, request, pageNumber, tmp) {
  const now = new Date();
  const event = {
    version: '2.0', routeKey: request.routeKey, rawPath: request.path, rawQueryString: request.queryString,
    queryStringParameters: Object.fromEntries(request.query),
    pathParameters: o.mode === 'history' ? { phone_number: o.phone } : undefined,
    headers: { host: 'local', 'user-agent': 'scripts/audit' },
    requestContext: {
      accountId: '123456789012', apiId: 'local', domainName: 'local', domainPrefix: 'local',
      http: { method: 'GET', path: request.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'scripts/audit' },
      requestId: `audit-${now.getTime()}-${pageNumber}`, routeKey: request.routeKey, stage: '$default',
      time: now.toUTCString(), timeEpoch: now.getTime(),
      authorizer: { iam: { accountId: '123456789012', userArn: 'arn:aws:sts::123456789012:assumed-role/local/scripts-audit' } },
    },
    isBase64Encoded: false,
  };
  const file = join(tmp, `event-${pageNumber}.json`);
  writeFileSync(file, JSON.stringify(event));
  const args = ['--output', 'json', '--function-name', 'opt-out-api'];
  for (const f of o.envFiles) args.push('--env-file', f);
  args.push(o.bootstrap, file);
  const run = spawnSync(o.emulator, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new Error(`cannot run ${o.emulator}: ${run.error.message}`);
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
  let result;
  try { result = JSON.parse(line ?? ''); } catch {
    throw new Error(`the emulator gave no result (exit ${run.status}); its log:\n${maskText(run.stderr.slice(-4000))}`);
  }
  if (result.status !== 'success') {
    const err = result.error ? `${result.error.errorType}: ${result.error.errorMessage}` : '';
    throw new Error(`opt-out-api failed (${result.status}${err ? `, ${maskText(err)}` : ''}); its log:\n${maskText(run.stderr.slice(-4000))}`);
  }
  const response = result.response;
  if (!response || typeof response !== 'object' || !Number.isInteger(response.statusCode)) {
    throw new Error('opt-out-api answered without a statusCode (not an HTTP API response)');
  }
  const body = response.isBase64Encoded ? Buffer.from(response.body ?? '', 'base64').toString('utf8') : (response.body ?? '');
  return { status: response.statusCode, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** A page from the deployed API, signed (SigV4, service execute-api) by the project's aws-request. */
function fetchRemote(o, request) {
  const base = o.apiUrl.replace(/\/+$/, '');
  const url = `${base}${request.path}?${request.queryString}`;
  const args = ['--service', 'execute-api', '-i', '--timeout', '30'];
  if (o.region) args.push('--region', o.region);
  args.push(url);
  const run = spawnSync(o.awsRequest, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new Error(`cannot run ${o.awsRequest}: ${run.error.message}`);
  const m = /^HTTP (\d{3})\n/.exec(run.stdout);
  if (!m) {
    throw new Error(`no answer from the API (aws-request exit ${run.status}): ${maskText(run.stderr.trim())}`);
  }
  const split = run.stdout.indexOf('\n\n');
  return { status: Number(m[1]), body: split < 0 ? '' : run.stdout.slice(split + 2) };
}

/** A saved page: DIR/first.json, then DIR/<cursor>.json for each next_cursor (URI-encoded). */
function fetchSaved(o, cursor) {
  const file = join(o.fromJson, `${cursor ? encodeURIComponent(cursor) : 'first'}.json`);
  if (!existsSync(file)) throw new Error(`no saved page ${file}`);
  return { status: 200, body: readFileSync(file, 'utf8') };
}

/** Every page, following next_cursor; throws ApiError on a non-200 answer. */
function fetchAll(o) {
  const pages = [];
  const seen = new Set();
  const tmp = o.emulator ? mkdtempSync(join(tmpdir(), 'audit-')) : null;
  try {
    let cursor = null;
    for (;;) {
      const request = pageRequest(o, cursor);
      const n = pages.length + 1;
      const answer = o.fromJson ? fetchSaved(o, cursor) : o.apiUrl ? fetchRemote(o, request) : fetchLocal(o, request, n, tmp);
      let body;
      try { body = JSON.parse(answer.body); } catch { body = undefined; }
      if (answer.status !== 200) {
        const e = body?.error;
        const what = e && typeof e === 'object'
          ? `${e.code ?? 'error'}: ${e.message ?? ''}${e.field ? ` (field ${e.field})` : ''}`
          : (body?.message ?? answer.body.slice(0, 500)).toString();
        // The local bootstrap is built only when missing: one older than these routes says so.
        const hint = o.emulator && answer.status === 404 && e?.code === 'not_found'
          ? ` (is ${o.bootstrap} older than this route? rebuild it: scripts/build opt-out-api)` : '';
        throw new ApiError(`${request.label} page ${n}: HTTP ${answer.status} ${maskText(what)}${hint}`);
      }
      if (body === undefined) throw new Error(`${request.label} page ${n}: the body is not JSON`);
      const where = `${request.label} page ${n}`;
      if (o.mode === 'history') checkHistoryPage(body, o.phone, where);
      else checkPeriodPage(body, o.from, o.to, where);
      pages.push(body);
      const count = o.mode === 'history' ? body.events.length : body.opt_outs.length;
      process.stderr.write(`audit: ${request.label}: page ${n}, ${count} ${o.mode === 'history' ? 'events' : 'opt-outs'}${body.next_cursor ? ', more to come' : ', last page'}\n`);
      cursor = body.next_cursor ?? null;
      if (!cursor) break;
      if (seen.has(cursor)) throw new Error(`${where}: next_cursor repeats an earlier cursor (the API would loop)`);
      seen.add(cursor);
      if (pages.length >= kMaxPages) throw new Error(`more than ${kMaxPages} pages: stopping`);
    }
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  return pages;
}

function sourceText(o) {
  if (o.fromJson) return 'saved pages (--from-json)';
  if (o.apiUrl) return `the API at ${o.apiUrl}`;
  return 'the local stack (opt-out-api under the Runtime API emulator)';
}

function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`error: ${e.message} (scripts/audit --help)\n`);
    return 2;
  }
  try {
    const pages = fetchAll(o);
    const options = { order: o.order, generatedAt: o.nowMs, source: sourceText(o), pages: pages.length, from: o.from, to: o.to };
    let html;
    if (o.mode === 'history') {
      const model = analyzeHistory(pages, o.phone, o.nowMs);
      html = renderHistory(model, options);
      process.stderr.write(`audit: ${maskPhone(o.phone)}: ${model.events.length} events, ${model.revocations.length} revocation(s), ${model.violations.length} text(s) after revocation\n`);
    } else {
      const model = analyzePeriod(pages, o.nowMs);
      html = renderPeriod(model, options);
      process.stderr.write(`audit: ${o.from}..${o.to}: ${model.optOuts.length} opt-outs, ${model.late.length} late, ${model.overdue.length} overdue, ${model.textsAfter.length} text(s) after revocation\n`);
    }
    const out = resolve(o.out);
    writeFileSync(out, html);
    process.stdout.write(`${out}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`error: ${maskText(e.message)}\n`);
    return e instanceof ApiError ? 3 : 1;
  }
}

process.exitCode = main();
