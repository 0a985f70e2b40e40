// scripts/audit's reports from saved API pages (tests/audit/fixtures, the history and period
// contracts of docs/audit.md), rendered by Debian's headless Chromium: the summary must say what
// the data says, message bodies must stay text, and a text after a revocation must be reported.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, dumpDom, findChromium, textOf } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const fixtures = join(here, 'fixtures');
const kNow = '2026-11-30T12:00:00Z';
let browser;
let work;

/** Runs scripts/audit; returns {status, stdout, stderr}. */
function audit(args) {
  const run = spawnSync('bash', [join(root, 'scripts/audit'), ...args, '--now', kNow],
    { encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw run.error;
  return run;
}

/** A report written from saved pages and rendered: {html, dom, text, stderr}. */
function report(name, args) {
  const out = join(work, `${name}.html`);
  const run = audit([...args, '--out', out]);
  assert.equal(run.status, 0, `scripts/audit failed: ${run.stderr}`);
  assert.equal(run.stdout.trim(), out, 'the report path is printed on stdout');
  const dom = dumpDom(browser, out);
  return { file: out, html: readFileSync(out, 'utf8'), dom, text: textOf(dom), stderr: run.stderr };
}

/** The visible text of the table row holding `needle` (the first one). */
function rowText(dom, needle) {
  const row = dom.split(/<tr[\s>]/).find((r) => r.includes(needle));
  assert.ok(row, `a row with ${needle}`);
  return textOf(`<tr ${row.split('</tr>')[0]}`);
}

/** The times of the timeline's rows, in order. */
function timelineTimes(dom) {
  const section = dom.slice(dom.indexOf('class="timeline"'));
  return [...section.matchAll(/<td class="time">([^<]*)<\/td>/g)].map((m) => m[1]);
}

before(() => {
  browser = findChromium();
  work = mkdtempSync(join(tmpdir(), 'audit-test-'));
});
after(() => { if (work) rmSync(work, { recursive: true, force: true }); });

describe('a number\'s history: web form, reminder, ALTO, Spanish confirmation, list, START', () => {
  let r;
  before(() => {
    r = report('history', ['+14255550123', '--from-json', join(fixtures, 'history')]);
  });

  test('every page is fetched by following next_cursor, and the logs never show the number', () => {
    assert.match(r.stderr, /page 4, 2 events, last page/);
    assert.match(r.stderr, /\+1425\*\*\*0123/);
    assert.doesNotMatch(r.stderr, /4255550123/, 'full number in the progress output');
  });

  test('the summary says what the data says', () => {
    assert.ok(r.text.includes('Current status: opted_in; may receive texts: yes (opted_in); language: Spanish'), r.text.slice(0, 600));
    assert.ok(r.text.includes('Every revocation honoured within 10 business days: 1 revocation, honoured within the deadline in 1 business day'));
    assert.ok(r.text.includes('No text was sent after a revocation'));
    assert.ok(r.text.includes('5 texts sent (status sent or outcome_unknown): 4 while consent was in force, 1 opt-out confirmation within 5 minutes'));
    assert.ok(!r.text.includes('VIOLATION'));
    assert.ok(!/OVERDUE|LATE/.test(r.text));
  });

  test('the revocation: requested, deadline, honour time, business days and hours', () => {
    const row = rowText(r.dom, '2026-11-06 14:20:00</td><td>sms, keyword');
    assert.ok(row.includes('2026-11-22 14:20:00'), row);
    assert.ok(row.includes('2026-11-09 13:05:00 by deadline-monitor'), row);
    assert.ok(row.includes('IN TIME honoured within the deadline in 1 business day (70.8 h)'), row);
  });

  test('the first consent with its evidence, and both consent periods', () => {
    assert.ok(r.text.includes('First consent and its evidence time 2026-11-02 15:00:00 UTC method web_form channel web source ip: 203.0.113.7'), r.text);
    assert.ok(r.text.includes('disclosure version 2026-10-web-v3'));
    assert.ok(r.text.includes('Msg & data rates may apply. Reply HELP for help, STOP to cancel.'));
    assert.ok(rowText(r.dom, '<td class="time">2026-11-02 15:00:00</td><td class="time">2026-11-06').includes('(revoked) web_form, web, disclosure 2026-10-web-v3 2'));
    assert.ok(rowText(r.dom, '<td class="time">2026-11-12 18:30:00</td><td class="time">in force').includes('keyword, sms, disclosure sms-keyword-v1 2'));
  });

  test('the timeline: every event once, oldest first, with the Spanish confirmation marked', () => {
    const times = timelineTimes(r.dom);
    assert.equal(times.length, 13);
    assert.deepEqual(times, [...times].sort());
    const confirmation = rowText(r.dom, 'msg-0003');
    assert.ok(confirmation.includes('opt_out_confirmation'), confirmation);
    assert.ok(confirmation.includes('Te has dado de baja'), confirmation);
    assert.ok(confirmation.includes('the one confirmation, within 5 min'), confirmation);
    assert.ok(rowText(r.dom, 'deadline-monitor</td>').includes('IN TIME 1 business day (70.8 h)'));
    const blocked = rowText(r.dom, '<td>Blocked</td>');
    assert.ok(blocked.includes('2026-11-09 12:00:00 Blocked kind: reminder'), blocked);
    assert.ok(blocked.includes('consent gate (opted_out) not sent'), blocked);
  });

  test('a message body with markup is shown as text, never run', () => {
    assert.ok(r.text.includes('Quién es? <script>document.title="PWNED"</script><img src=x onerror="document.body.setAttribute(\'data-pwned\',\'1\')">'));
    assert.doesNotMatch(r.dom, /<script|<img|data-pwned="1"/i);
    assert.match(r.dom, /<title>Consent history of \+14255550123<\/title>/);
  });

  test('self-contained: no script, no external resource, print rules', () => {
    assert.doesNotMatch(r.html, /<(script|link|img|iframe|object|embed)\b|<[a-z][^>]*\s(src|href)=|url\(/i);
    assert.doesNotMatch(r.html.replace(/<td[\s\S]*?<\/td>|<dd>[\s\S]*?<\/dd>/g, ''), /https?:\/\//, 'a link outside the data');
    assert.match(r.html, /@media print/);
  });

  test('printable: Chromium prints the summary, then the timeline from a new page', () => {
    const pdf = join(work, 'history.pdf');
    chromium(browser, r.file, [`--print-to-pdf=${pdf}`, '--no-pdf-header-footer']);
    const pages = (readFileSync(pdf, 'latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    assert.ok(pages >= 2, `the PDF has ${pages} page(s)`);
  });

  test('--order newest shows the timeline newest first', () => {
    const newest = report('history-newest', ['+14255550123', '--order', 'newest', '--from-json', join(fixtures, 'history')]);
    const times = timelineTimes(newest.dom);
    assert.equal(times.length, 13);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.ok(newest.text.includes('Timeline (13 events, newest first)'));
  });

  test('a screenshot renders the page (1000x1400)', () => {
    const png = join(work, 'history.png');
    chromium(browser, r.file, [`--screenshot=${png}`, '--window-size=1000,1400']);
    const bytes = readFileSync(png);
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.equal(bytes.readUInt32BE(16), 1000);
    assert.equal(bytes.readUInt32BE(20), 1400);
    assert.ok(statSync(png).size > 30_000, 'a blank page would be a few KB');
  });
});

describe('negative: a history with a text after its revocation', () => {
  test('the violation is reported, and the overdue revocation too', () => {
    const r = report('violation', ['+12065550166', '--from-json', join(fixtures, 'history-violation')]);
    assert.ok(r.text.includes('1 TEXT SENT AFTER REVOCATION'), r.text.slice(0, 800));
    assert.ok(r.text.includes('VIOLATION: text sent after revocation: 2026-11-04 17:00:00 UTC, reminder (status outcome_unknown, message id msg-0102), 2 d 7 h after the opt-out requested at 2026-11-02 10:00:00 UTC'));
    assert.ok(!r.text.includes('No text was sent after a revocation'));
    assert.ok(r.text.includes('Revocations: 1 revocation: 0 honoured in time, 1 OVERDUE'));
    assert.ok(rowText(r.dom, 'msg-0102').includes('SENT AFTER REVOCATION'));
    // The confirmation 3 s after the STOP is the one allowed text.
    assert.ok(rowText(r.dom, 'msg-0101').includes('the one confirmation, within 5 min'));
  });

  test('a second opt-out confirmation is not allowed', () => {
    const dir = join(work, 'second-confirmation');
    cpSync(join(fixtures, 'history-violation'), dir, { recursive: true });
    const page = JSON.parse(readFileSync(join(dir, 'first.json'), 'utf8'));
    page.events.splice(3, 1, { ...page.events[2], at: '2026-11-02T10:01:00.000Z', id: 'x', message_id: 'msg-0103' });
    writeFileSync(join(dir, 'first.json'), JSON.stringify(page));
    const r = report('second-confirmation', ['+12065550166', '--from-json', dir]);
    assert.ok(r.text.includes('VIOLATION: text sent after revocation: 2026-11-02 10:01:00 UTC, opt_out_confirmation'), r.text.slice(0, 900));
  });
});

describe('an opt-out reported as earlier than it was recorded', () => {
  test('covers the texts sent between its request time and its recording', () => {
    const dir = join(work, 'earlier');
    cpSync(join(fixtures, 'history-violation'), dir, { recursive: true });
    const page = JSON.parse(readFileSync(join(dir, 'first.json'), 'utf8'));
    const [optIn, optOut] = page.events;
    page.events = [optIn,
      { at: '2026-11-01T17:00:00.000Z', type: 'outbound', id: 'o1', kind: 'reminder', status: 'sent', message_id: 'msg-0201' },
      { at: '2026-11-03T17:00:00.000Z', type: 'outbound', id: 'o2', kind: 'reminder', status: 'sent', message_id: 'msg-0202' },
      { ...optOut, at: '2026-11-05T09:00:00.000Z', change: 'earlier', method: 'api', channel: 'email' }];
    writeFileSync(join(dir, 'first.json'), JSON.stringify(page));
    const r = report('earlier', ['+12065550166', '--from-json', dir]);
    assert.ok(r.text.includes('VIOLATION: text sent after revocation: 2026-11-03 17:00:00 UTC, reminder (status sent, message id msg-0202), 1 d 7 h after the opt-out requested at 2026-11-02 10:00:00 UTC'), r.text.slice(0, 1200));
    assert.ok(r.text.includes('2 texts sent (status sent or outcome_unknown): 1 while consent was in force, 1 after a revocation'));
  });
});

describe('the period report: one late honour, one overdue opt-out', () => {
  let r;
  before(() => {
    r = report('period', ['--opt-outs', '--from', '2026-11-01', '--to', '2026-11-30', '--from-json', join(fixtures, 'period')]);
  });

  test('both pages are read, and no number is logged', () => {
    assert.match(r.stderr, /page 2, 4 opt-outs, last page/);
    assert.doesNotMatch(r.stderr, /\+1\d{10}/);
  });

  test('counts, median and worst time to honour', () => {
    assert.ok(r.text.includes('8 opt-out requests received: 7 revocations, 1 repeat or superseded'), r.text.slice(0, 800));
    // Honoured: 0, 0, 1, 2, 12 business days; 1.8 s, 0.9 s, 70.75 h, 36.5 h, 450.4 h.
    assert.ok(r.text.includes('Time to honour (5 honoured revocations): median 1 business day (36.5 h), worst 12 business days (450.4 h)'));
    assert.ok(r.text.includes('2 revocations not honoured yet (1 overdue): not in the median and worst figures.'));
  });

  test('the late one and the overdue one are flagged', () => {
    assert.ok(r.text.includes('1 opt-out honoured LATE (after the 10-business-day deadline)'));
    assert.ok(r.text.includes('1 opt-out OVERDUE: not honoured and past the deadline'));
    const late = rowText(r.dom, '+13605550177');
    assert.ok(late.includes('2026-11-19 16:45:00 2026-11-23 11:10:00 12 business days 450.4 h LATE honoured after the deadline'), late);
    const overdue = rowText(r.dom, '+15035550188');
    assert.ok(overdue.includes('not honoured - OVERDUE not honoured, deadline passed'), overdue);
    assert.ok(rowText(r.dom, '+13605550122').includes('PENDING deadline not passed'));
    assert.ok(rowText(r.dom, '+14255550123').includes('1 business day 70.8 h IN TIME'));
  });

  test('no text after a revocation, said explicitly', () => {
    assert.ok(r.text.includes('No text was sent after a revocation (the one opt-out confirmation within 5 minutes excepted)'));
    assert.ok(!r.text.includes('VIOLATION'));
  });

  test('negative: a text after a revocation is reported', () => {
    const v = report('period-violation', ['--opt-outs', '--from', '2026-11-01', '--to', '2026-11-30', '--from-json', join(fixtures, 'period-violation')]);
    assert.ok(v.text.includes('1 TEXT SENT AFTER REVOCATION'));
    assert.ok(v.text.includes('VIOLATION: text sent after revocation to +12065550166: 2026-11-04 17:00:00 UTC, reminder (message id msg-0102), 2 d 7 h after the opt-out requested at 2026-11-02 10:00:00 UTC'));
    assert.ok(!v.text.includes('No text was sent after a revocation'));
  });
});

describe('pages that break the contract are refused with a clear error', () => {
  const broken = (name, edit) => {
    const dir = join(work, name);
    cpSync(join(fixtures, 'history'), dir, { recursive: true });
    edit(dir);
    return audit(['+14255550123', '--from-json', dir, '--out', join(work, `${name}.html`)]);
  };

  test('another number\'s page', () => {
    const run = broken('other-number', (dir) => {
      const p = JSON.parse(readFileSync(join(dir, 'eyJwIjoyfQ.json'), 'utf8'));
      p.phone_number = '+14255550999';
      writeFileSync(join(dir, 'eyJwIjoyfQ.json'), JSON.stringify(p));
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /page 2: phone_number is not the number asked for/);
  });

  test('a cursor that loops', () => {
    const run = broken('loop', (dir) => {
      const p = JSON.parse(readFileSync(join(dir, 'eyJwIjo0fQ.json'), 'utf8'));
      p.next_cursor = 'eyJwIjoyfQ';
      writeFileSync(join(dir, 'eyJwIjo0fQ.json'), JSON.stringify(p));
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /next_cursor repeats an earlier cursor/);
  });

  test('a bad date and an unknown option are usage errors', () => {
    assert.equal(audit(['--opt-outs', '--from', '2026-11-31', '--to', '2026-11-30', '--from-json', work, '--out', join(work, 'x.html')]).status, 2);
    assert.equal(audit(['+14255550123', '--bogus']).status, 1);
  });
});
