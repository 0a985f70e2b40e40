// scripts/audit's reading of the API pages and its HTML: pure functions, no I/O.
//
// Input: the pages of GET /contacts/{phone_number}/history or GET /opt-outs exactly as the API
// returns them (docs/audit.md). Output: one self-contained HTML document (inline CSS, no script,
// no external resource), readable on screen and on paper. Every value from the data is
// HTML-escaped by the `html` template tag: message bodies are the customer's own text.

/** An already-escaped HTML fragment (what `html` returns and `raw` makes). */
class Html {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}

/** Marks trusted markup (a constant of this file) as HTML; never pass data through it. */
export const raw = (text) => new Html(String(text));

/** Escapes &, <, >, " and ' for text and attribute values alike. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) =>
    ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function fragment(value) {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(fragment).join('');
  return escapeHtml(value);
}

/** Template tag: the literal parts are markup, every interpolated value is escaped. */
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => { out += fragment(v) + strings[i + 1]; });
  return new Html(out);
}

/** +14255550123 -> +1425***0123, for logs and progress lines (never the full number). */
export function maskPhone(phone) {
  const s = String(phone ?? '');
  if (s.length < 9) return '***';
  return `${s.slice(0, 5)}***${s.slice(-4)}`;
}

/** Masks every E.164-looking number (also %2B-encoded) in a text meant for a log line. */
export function maskText(text) {
  return String(text)
    .replace(/%2B(\d{7,15})/gi, (_, d) => maskPhone(`+${d}`))
    .replace(/\+\d{7,15}/g, (m) => maskPhone(m));
}

// --- time ------------------------------------------------------------------------------

const kMinute = 60 * 1000;
const kHour = 60 * kMinute;
/** The opt-out confirmation's window (47 CFR 64.1200(a)(12); docs/compliance.md#opt-out-confirmation). */
export const kConfirmationWindowMs = 5 * kMinute;

/** Milliseconds since the epoch of an RFC 3339 time, or NaN. */
export function ms(time) {
  return typeof time === 'string' && time ? Date.parse(time) : NaN;
}

/**
 * "2026-11-06 14:20:00 UTC" (milliseconds only when not zero; without " UTC" in a table whose
 * header says UTC); the raw text if unparseable.
 */
export function formatTime(time, { utc = true } = {}) {
  const t = ms(time);
  if (Number.isNaN(t)) return time ? `${time} (unreadable time)` : '-';
  const iso = new Date(t).toISOString();
  const millis = iso.slice(19, 23) === '.000' ? '' : iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${millis}${utc ? ' UTC' : ''}`;
}
const cellTime = (time) => formatTime(time, { utc: false });

/** "70.8 h" from a duration in ms; under an hour in minutes, under a minute in seconds. */
export function formatHours(durationMs) {
  if (!Number.isFinite(durationMs)) return '-';
  if (durationMs < kMinute) return `${(durationMs / 1000).toFixed(1)} s`;
  if (durationMs < kHour) return `${Math.round(durationMs / kMinute)} min`;
  return `${(durationMs / kHour).toFixed(1)} h`;
}

/** Human duration for "sent 1 d 19 h after": days, hours, minutes. */
function formatDuration(durationMs) {
  if (!Number.isFinite(durationMs)) return '?';
  const minutes = Math.round(durationMs / kMinute);
  const d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
  return [d && `${d} d`, h && `${h} h`, (m || (!d && !h)) && `${m} min`].filter(Boolean).join(' ');
}

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Median of numbers (mean of the two middle values for an even count); null when empty. */
export function median(values) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// --- page checks -----------------------------------------------------------------------

/** Throws a clear error when a history page does not follow the contract (docs/audit.md). */
export function checkHistoryPage(page, phone, where) {
  const fail = (what) => { throw new Error(`${where}: ${what} (not a history page as documented)`); };
  if (!page || typeof page !== 'object' || Array.isArray(page)) fail('not a JSON object');
  if (page.phone_number !== phone) fail('phone_number is not the number asked for');
  if (!Array.isArray(page.events)) fail('events is not an array');
  if (!(page.next_cursor === null || page.next_cursor === undefined || typeof page.next_cursor === 'string')) {
    fail('next_cursor is neither a string nor null');
  }
  page.events.forEach((e, i) => {
    if (!e || typeof e !== 'object') fail(`events[${i}] is not an object`);
    if (typeof e.type !== 'string') fail(`events[${i}].type is missing`);
    if (Number.isNaN(ms(e.at))) fail(`events[${i}].at is not an RFC 3339 time`);
  });
}

/** Throws a clear error when a period page does not follow the contract (docs/audit.md). */
export function checkPeriodPage(page, from, to, where) {
  const fail = (what) => { throw new Error(`${where}: ${what} (not an opt-out report page as documented)`); };
  if (!page || typeof page !== 'object' || Array.isArray(page)) fail('not a JSON object');
  if (page.from !== from || page.to !== to) fail(`from/to are ${page.from}/${page.to}, asked ${from}/${to}`);
  if (!Array.isArray(page.opt_outs)) fail('opt_outs is not an array');
  if (!(page.next_cursor === null || page.next_cursor === undefined || typeof page.next_cursor === 'string')) {
    fail('next_cursor is neither a string nor null');
  }
  page.opt_outs.forEach((o, i) => {
    if (!o || typeof o !== 'object') fail(`opt_outs[${i}] is not an object`);
    if (Number.isNaN(ms(o.requested_at))) fail(`opt_outs[${i}].requested_at is not an RFC 3339 time`);
    if (typeof o.status !== 'string') fail(`opt_outs[${i}].status is missing`);
  });
}

// --- a number's history ----------------------------------------------------------------

const kSentStatuses = new Set(['sent', 'outcome_unknown']);
// An opt-out without `change` was written before the member existed: a revocation, as the API's
// period report also reads it.
const isRevocation = (e) => e.type === 'opt_out' &&
  (e.change === undefined || e.change === 'new' || e.change === 'earlier');
const isAppliedOptIn = (e) => e.type === 'opt_in' && e.applied === true;
const isSentText = (e) => e.type === 'outbound' && kSentStatuses.has(e.status);

/**
 * Reads a number's history into the report's verdicts.
 * pages: the API's pages in any order of events; now: ms since the epoch (the deadline check).
 * Returns {phone, contact, events (oldest first), revocations, violations, texts, spells,
 * firstConsent, earlyTexts}.
 */
export function analyzeHistory(pages, phone, now) {
  const contact = pages.map((p) => p.contact).find((c) => c !== undefined) ?? null;
  const events = pages.flatMap((p) => p.events)
    .map((e, i) => ({ e, i }))
    .sort((a, b) => ms(a.e.at) - ms(b.e.at) || a.i - b.i)
    .map(({ e }) => e);

  const revocations = []; // {event, requestedAt, deadline, honour, endedBy, status}
  const spells = [];      // consent periods: {from, to, optIn, texts}
  const violations = [];  // {text, revocation, afterMs}
  const earlyTexts = [];  // sent before any recorded consent
  let open = null;        // the revocation spell in force: {revocations, start, exempted}
  let consent = null;     // the consent spell in force
  let firstConsent = null;
  const texts = [];

  // A revocation counts from its request time: one reported as earlier (opt-out-api's
  // requested_at) also covers the texts between that time and when it was recorded.
  // A text counts from when it went out: a reply's `at` is the time of the text it answers
  // (its key), which may come before a revocation the reply itself followed.
  const sentAt = (e) => (e.type === 'outbound' && !Number.isNaN(ms(e.sent_at)) ? ms(e.sent_at) : ms(e.at));
  const effective = (e) => (e.type === 'opt_out' && !Number.isNaN(ms(e.requested_at))
    ? Math.min(ms(e.at), ms(e.requested_at)) : sentAt(e));
  const ordered = events.map((e, i) => ({ e, i }))
    .sort((a, b) => effective(a.e) - effective(b.e) || a.i - b.i).map(({ e }) => e);
  for (const e of ordered) {
    const t = sentAt(e);
    if (isAppliedOptIn(e)) {
      if (open) {
        for (const r of open.revocations) if (!r.honour) r.endedBy = e;
        open = null;
      }
      if (!consent) {
        consent = { from: e.at, to: null, optIn: e, texts: 0 };
        spells.push(consent);
      }
      firstConsent ??= e;
    } else if (e.type === 'opt_out') {
      if (isRevocation(e)) {
        const requested = e.requested_at ?? e.at;
        const r = { event: e, requestedAt: requested, deadline: e.deadline ?? null, honour: null, endedBy: null };
        revocations.push(r);
        if (!open) open = { revocations: [], start: ms(requested), requests: [], confirmed: false };
        open.start = Math.min(open.start, ms(requested));
        open.revocations.push(r);
        if (consent) { consent.to = requested; consent = null; }
      }
      if (open) open.requests.push(ms(e.requested_at ?? e.at));
    } else if (e.type === 'opt_out_honored') {
      // One honour closes every revocation still waiting in this spell: the earliest request
      // set the deadline (docs/compliance.md#opt-out-deadline).
      if (open) for (const r of open.revocations) if (!r.honour) r.honour = e;
    } else if (isSentText(e)) {
      texts.push(e);
      if (open && t >= open.start) {
        const exempt = e.kind === 'opt_out_confirmation' && !open.confirmed &&
          open.requests.some((q) => t >= q && t - q <= kConfirmationWindowMs);
        if (exempt) {
          open.confirmed = true;
          e.__exempt = true;
        } else {
          const r = open.revocations[0];
          violations.push({ text: e, revocation: r, afterMs: t - ms(r.requestedAt) });
          e.__violation = true;
        }
      } else if (consent) {
        consent.texts += 1;
      } else if (!['help', 'opt_out_confirmation', 'opt_in_confirmation', 'reply'].includes(e.kind)) {
        earlyTexts.push(e);
        e.__early = true;
      }
    }
  }

  for (const r of revocations) {
    const deadline = ms(r.deadline);
    if (r.honour) {
      const late = r.honour.within_deadline === false ||
        (Number.isFinite(deadline) && ms(r.honour.honored_at) > deadline);
      r.status = late ? 'late' : 'in_time';
      r.hoursMs = ms(r.honour.honored_at) - ms(r.requestedAt);
    } else if (r.endedBy) {
      r.status = Number.isFinite(deadline) && ms(r.endedBy.at) > deadline ? 'overdue_then_opt_in' : 'ended_by_opt_in';
    } else {
      r.status = Number.isFinite(deadline) && now > deadline ? 'overdue' : 'pending';
    }
  }
  return { phone, contact, events, revocations, violations, texts, spells, firstConsent, earlyTexts };
}

const kCss = `
  :root { --ink:#1b1f24; --muted:#5b6470; --line:#d5dae0; --ok:#146c2e; --okbg:#e7f4ea;
          --bad:#a0111f; --badbg:#fde8ea; --warn:#7a4b00; --warnbg:#fff3d6; }
  * { box-sizing: border-box; }
  body { font: 14px/1.45 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
         margin: 24px auto; max-width: 1100px; padding: 0 20px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 2px solid var(--ink); padding-bottom: 3px; }
  h3 { font-size: 14px; margin: 18px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
  .meta { color: var(--muted); margin: 0 0 14px; font-size: 12px; }
  .verdicts { list-style: none; padding: 0; margin: 0; }
  .verdicts li { padding: 8px 12px; margin: 0 0 6px; border-left: 6px solid; border-radius: 3px; font-weight: 600; }
  .ok { background: var(--okbg); border-color: var(--ok); color: var(--ok); }
  .bad { background: var(--badbg); border-color: var(--bad); color: var(--bad); }
  .warn { background: var(--warnbg); border-color: var(--warn); color: var(--warn); }
  .alert { border: 3px solid var(--bad); background: var(--badbg); padding: 10px 14px; margin: 10px 0; }
  .alert h2 { color: var(--bad); border-color: var(--bad); margin-top: 0; }
  .flag { display: inline-block; font-weight: 700; padding: 0 6px; border-radius: 3px; font-size: 12px; }
  .flag.bad { background: var(--bad); color: #fff; }
  .flag.warn { background: var(--warn); color: #fff; }
  .flag.ok { background: var(--ok); color: #fff; }
  table { border-collapse: collapse; width: 100%; margin: 4px 0 10px; }
  th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
  th { background: #eef1f4; font-size: 12px; }
  td { font-size: 12.5px; overflow-wrap: break-word; }
  .flag, td.nowrap { white-space: nowrap; }
  .small { font-size: 11.5px; color: var(--muted); }
  td.time { white-space: nowrap; font-variant-numeric: tabular-nums; }
  tr.violation td { background: var(--badbg); }
  tr.exempt td { background: #f4f7fb; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
  dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
  .body { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; white-space: pre-wrap; }
  .k { color: var(--muted); }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  footer { margin-top: 24px; color: var(--muted); font-size: 11px; }
  @page { size: A4; margin: 12mm; }
  @media print {
    body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
    * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    h2, h3 { break-after: avoid; }
    tr, .verdicts li, dl, .alert { break-inside: avoid; }
    thead { display: table-header-group; }
    section.timeline { break-before: page; }
  }
`;

function page({ title, heading, meta, body }) {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(kCss)}</style>
</head>
<body>
<header><h1>${heading}</h1><p class="meta">${meta}</p></header>
${body}
<footer>Generated by scripts/audit. Times are UTC. Deadlines, business days and statuses are the API's (docs/compliance.md#opt-out-deadline); the verdicts are read from them as docs/audit.md describes.</footer>
</body>
</html>
`.text;
}

function dl(pairs) {
  return html`<dl>${pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** A source or other object as "key: value" lines (nested values as JSON). */
function keyValues(object) {
  if (!object || typeof object !== 'object') return object ?? '';
  return Object.entries(object).map(([k, v], i) =>
    html`${i ? raw('<br>') : ''}<span class="k">${k}:</span> ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
}

const languageName = (code) => ({ en: 'English', es: 'Spanish' })[code] ?? (code ? code : 'English (none recorded)');

function revocationVerdict(r) {
  if (r.status === 'in_time') {
    return html`<span class="flag ok">IN TIME</span> honoured within the deadline in ${plural(r.honour.business_days ?? '?', 'business day')} (${formatHours(r.hoursMs)})`;
  }
  if (r.status === 'late') {
    return html`<span class="flag bad">LATE</span> honoured after the deadline, in ${plural(r.honour.business_days ?? '?', 'business day')} (${formatHours(r.hoursMs)})`;
  }
  if (r.status === 'overdue') return html`<span class="flag bad">OVERDUE</span> not honoured yet and the deadline has passed`;
  if (r.status === 'pending') return html`<span class="flag warn">PENDING</span> not honoured yet; due by ${formatTime(r.deadline)}`;
  if (r.status === 'overdue_then_opt_in') {
    return html`<span class="flag bad">OVERDUE</span> not honoured by its deadline; ended by an opt-in at ${formatTime(r.endedBy.at)}`;
  }
  return html`<span class="flag warn">ENDED</span> ended by an opt-in at ${formatTime(r.endedBy.at)} before it was honoured (within its deadline)`;
}

function eventDetails(e) {
  const rows = [];
  const add = (k, v) => { if (v !== undefined && v !== null && v !== '') rows.push([k, v]); };
  switch (e.type) {
    case 'opt_in':
      add('method', e.method); add('channel', e.channel); add('source', keyValues(e.source));
      add('disclosure', e.disclosure_version); add('disclosure text', e.disclosure_text);
      add('applied', e.applied === true ? 'yes' : e.applied === false ? 'no (not applied)' : undefined);
      add('inbound message', e.inbound_message_id); add('reported by', e.reported_by);
      break;
    case 'opt_out':
      add('channel', e.channel); add('method', e.method); add('requested', formatTime(e.requested_at));
      add('change', e.change); add('source', keyValues(e.source)); add('notes', e.notes);
      add('reported by', e.reported_by);
      break;
    case 'opt_out_honored':
      add('requested', formatTime(e.requested_at)); add('honoured', formatTime(e.honored_at)); add('by', e.by);
      break;
    case 'inbound':
      add('body', html`<span class="body">${e.body ?? ''}</span>`); add('intent', e.intent);
      add('language', e.language); add('message id', e.message_id);
      break;
    case 'outbound':
      add('kind', e.kind); add('body', e.body === undefined ? undefined : html`<span class="body">${e.body}</span>`);
      add('language', e.language); add('template', e.template); add('category', e.category);
      add('type', e.message_type); add('send at', e.send_at && formatTime(e.send_at));
      add('quiet hours', e.quiet_hours === undefined ? undefined : JSON.stringify(e.quiet_hours));
      add('message id', e.message_id); add('in reply to', e.in_reply_to);
      break;
    case 'blocked':
      add('kind', e.kind); add('body', e.body === undefined ? undefined : html`<span class="body">${e.body}</span>`);
      break;
    default:
      for (const [k, v] of Object.entries(e)) {
        if (!['at', 'type', 'id'].includes(k)) add(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
      }
  }
  return rows.map(([k, v], i) => html`${i ? raw('<br>') : ''}<span class="k">${k}:</span> ${v}`);
}

function eventRule(e) {
  return [e.rule, e.reason && (e.rule ? ` (${e.reason})` : e.reason)].filter(Boolean).join('');
}

function eventStatus(e) {
  const parts = [];
  if (e.type === 'opt_out') parts.push(html`deadline ${formatTime(e.deadline)}`);
  if (e.type === 'opt_out_honored') {
    parts.push(html`${e.within_deadline === false ? raw('<span class="flag bad">LATE</span> ') : raw('<span class="flag ok">IN TIME</span> ')}${plural(e.business_days ?? '?', 'business day')} (${formatHours(ms(e.honored_at) - ms(e.requested_at))}); deadline ${formatTime(e.deadline)}`);
  }
  if (e.type === 'outbound') {
    parts.push(html`status <b>${e.status ?? '?'}</b>`);
    if (e.delivery) {
      const d = e.delivery;
      parts.push(html`<br>delivery <b>${d.status ?? '?'}</b>${d.final ? ' (final)' : ''}`);
      for (const ev of d.events ?? []) {
        parts.push(html`<br><span class="k">${formatTime(ev.at)}</span> ${ev.status}${ev.description ? ` (${ev.description})` : ''}`);
      }
    }
    if (e.__violation) parts.push(raw('<br><span class="flag bad">SENT AFTER REVOCATION</span>'));
    if (e.__exempt) parts.push(raw('<br><span class="flag ok">the one confirmation, within 5 min</span>'));
    if (e.__early) parts.push(raw('<br><span class="flag warn">no consent on record yet</span>'));
  }
  if (e.type === 'blocked') parts.push(raw('<b>not sent</b>'));
  return parts;
}

const kTypeNames = {
  opt_in: 'Opt-in', opt_out: 'Opt-out', opt_out_honored: 'Opt-out honoured', inbound: 'Text in',
  outbound: 'Text out', blocked: 'Blocked',
};

/**
 * The HTML report of one number's history.
 * model: analyzeHistory's result; options: {order: 'oldest'|'newest', generatedAt (ms),
 * source (text: where the data came from), pages (count)}.
 */
export function renderHistory(model, options) {
  const { contact, revocations, violations, texts, spells, firstConsent, earlyTexts } = model;
  const verdicts = [];
  const may = contact?.may_receive;
  const allowed = typeof may === 'object' && may !== null ? may.allowed : may;
  const reason = typeof may === 'object' && may !== null ? may.reason : contact?.reason;
  if (contact) {
    verdicts.push(html`<li class="${allowed ? 'ok' : 'warn'}">Current status: ${contact.consent_status ?? 'none'}; may receive texts: ${allowed ? 'yes' : 'no'}${reason ? ` (${reason})` : ''}; language: ${languageName(contact.language)}</li>`);
  } else {
    verdicts.push(html`<li class="warn">Current status: no contact record for this number</li>`);
  }
  const counts = (s) => revocations.filter((r) => r.status === s).length;
  if (revocations.length === 0) {
    verdicts.push(html`<li class="ok">No revocation on record</li>`);
  } else if (counts('in_time') === revocations.length) {
    const days = revocations.map((r) => r.honour.business_days);
    const detail = revocations.length === 1
      ? `in ${plural(days[0] ?? '?', 'business day')}`
      : `at most ${plural(Math.max(...days.filter(Number.isFinite)), 'business day')}`;
    verdicts.push(html`<li class="ok">Every revocation honoured within 10 business days: ${plural(revocations.length, 'revocation')}, honoured within the deadline ${detail}</li>`);
  } else {
    const bad = counts('late') + counts('overdue') + counts('overdue_then_opt_in');
    const open = counts('pending');
    verdicts.push(html`<li class="${bad ? 'bad' : 'warn'}">Revocations: ${plural(revocations.length, 'revocation')}: ${counts('in_time')} honoured in time${counts('late') ? `, ${counts('late')} honoured LATE` : ''}${counts('overdue') + counts('overdue_then_opt_in') ? `, ${counts('overdue') + counts('overdue_then_opt_in')} OVERDUE` : ''}${open ? `, ${open} not honoured yet (deadline not passed)` : ''}${counts('ended_by_opt_in') ? `, ${counts('ended_by_opt_in')} ended by an opt-in before honour` : ''}</li>`);
  }
  if (violations.length === 0) {
    verdicts.push(html`<li class="ok">No text was sent after a revocation${revocations.length ? ' (the one opt-out confirmation within 5 minutes excepted)' : ''}</li>`);
  } else {
    verdicts.push(html`<li class="bad">${plural(violations.length, 'TEXT SENT AFTER REVOCATION', 'TEXTS SENT AFTER REVOCATION')}: see below</li>`);
  }
  const inConsent = spells.reduce((n, s) => n + s.texts, 0);
  const confirmations = texts.filter((t) => t.__exempt).length;
  verdicts.push(html`<li class="${violations.length ? 'bad' : earlyTexts.length ? 'warn' : 'ok'}">${plural(texts.length, 'text')} sent (status sent or outcome_unknown): ${inConsent} while consent was in force${confirmations ? `, ${plural(confirmations, 'opt-out confirmation')} within 5 minutes` : ''}${violations.length ? `, ${violations.length} after a revocation` : ''}${earlyTexts.length ? `, ${earlyTexts.length} before any recorded consent` : ''}</li>`);

  const violationBox = violations.length === 0 ? '' : html`
<section class="alert"><h2>Texts sent after a revocation</h2>
<p>Each of these went out after an opt-out and before the next opt-in, and is not the one confirmation allowed within 5 minutes (47 CFR 64.1200(a)(12)).</p>
<ul>${violations.map((v) => html`<li><b>VIOLATION: text sent after revocation</b>: ${formatTime(v.text.at)}, ${v.text.kind ?? 'text'} (status ${v.text.status}${v.text.message_id ? `, message id ${v.text.message_id}` : ''}), ${formatDuration(v.afterMs)} after the opt-out requested at ${formatTime(v.revocation.requestedAt)}</li>`)}</ul>
</section>`;

  const revocationTable = revocations.length === 0 ? html`<p>None.</p>` : html`
<table><thead><tr><th>Requested (UTC)</th><th>Channel, method, rule</th><th>Deadline (UTC)</th><th>Honoured (UTC)</th><th>Verdict</th></tr></thead><tbody>
${revocations.map((r) => html`<tr><td class="time">${cellTime(r.requestedAt)}</td><td>${[r.event.channel, r.event.method, r.event.rule].filter(Boolean).join(', ')}${r.event.change === 'earlier' ? ' (reported as earlier)' : ''}</td><td class="time">${cellTime(r.deadline)}</td><td class="time">${r.honour ? cellTime(r.honour.honored_at) : 'not honoured'}${r.honour?.by ? html`<br><span class="k">by ${r.honour.by}</span>` : ''}</td><td>${revocationVerdict(r)}</td></tr>`)}
</tbody></table>`;

  const spellTable = spells.length === 0 ? html`<p>No applied opt-in on record.</p>` : html`
<table><thead><tr><th>Consent from (UTC)</th><th>Until (UTC)</th><th>How</th><th class="num">Texts sent</th></tr></thead><tbody>
${spells.map((s) => html`<tr><td class="time">${cellTime(s.from)}</td><td class="time">${s.to ? html`${cellTime(s.to)} (revoked)` : 'in force'}</td><td>${[s.optIn.method, s.optIn.channel, s.optIn.disclosure_version && `disclosure ${s.optIn.disclosure_version}`].filter(Boolean).join(', ')}</td><td class="num">${s.texts}</td></tr>`)}
</tbody></table>
${texts.length ? html`<p>First text sent ${formatTime(texts[0].at)}, last ${formatTime(texts[texts.length - 1].at)}.</p>` : ''}`;

  const statusList = contact ? dl([
    ['consent status', contact.consent_status ?? 'none'],
    ['may receive', `${allowed ? 'yes' : 'no'}${reason ? ` (${reason})` : ''}`],
    ['language', `${languageName(contact.language)}${contact.language ? ` (${contact.language})` : ''}`],
    ['opted in at', contact.opted_in_at && formatTime(contact.opted_in_at)],
    ['opt-in method', contact.opt_in_method], ['disclosure version', contact.opt_in_disclosure_version],
    ['opted out at', contact.opted_out_at && formatTime(contact.opted_out_at)],
    ['opt-out channel', contact.opt_out_channel], ['deadline', contact.deadline && formatTime(contact.deadline)],
    ['honoured at', contact.honored_at && formatTime(contact.honored_at)],
    ['opt-out pending', contact.pending === undefined ? undefined : contact.pending ? 'yes' : 'no'],
  ]) : html`<p>No contact record.</p>`;

  const first = firstConsent ? dl([
    ['time', formatTime(firstConsent.at)], ['method', firstConsent.method], ['channel', firstConsent.channel],
    ['source', keyValues(firstConsent.source)], ['disclosure version', firstConsent.disclosure_version],
    ['disclosure text', firstConsent.disclosure_text], ['rule', firstConsent.rule],
    ['inbound message', firstConsent.inbound_message_id], ['reported by', firstConsent.reported_by],
    ['event id', firstConsent.id],
  ]) : html`<p>No applied opt-in on record.</p>`;

  const shown = options.order === 'newest' ? [...model.events].reverse() : model.events;
  const timeline = html`
<section class="timeline"><h2>Timeline (${plural(model.events.length, 'event')}, ${options.order === 'newest' ? 'newest' : 'oldest'} first)</h2>
<table><thead><tr><th>Time (UTC)</th><th>Type</th><th>Details</th><th>Rule / reason</th><th>Deadline, honour, delivery</th></tr></thead><tbody>
${shown.map((e) => html`<tr class="${e.__violation ? 'violation' : e.__exempt ? 'exempt' : ''}"><td class="time">${cellTime(e.at)}</td><td>${kTypeNames[e.type] ?? e.type}</td><td>${eventDetails(e)}</td><td>${eventRule(e)}</td><td>${eventStatus(e)}</td></tr>`)}
</tbody></table></section>`;

  return page({
    title: `Consent history of ${model.phone}`,
    heading: `Consent history of ${model.phone}`,
    meta: `Report generated ${formatTime(new Date(options.generatedAt).toISOString())} from ${options.source}; ${plural(options.pages, 'page')}, ${plural(model.events.length, 'event')}.`,
    body: html`
<section class="summary"><h2>Summary</h2>
<ul class="verdicts">${verdicts}</ul>
${violationBox}
<h3>Current status</h3>${statusList}
<h3>Revocations (opt-outs that changed consent)</h3>${revocationTable}
<h3>Texts sent, by consent period</h3>${spellTable}
<h3>First consent and its evidence</h3>${first}
</section>
${timeline}`,
  });
}

// --- the period report -----------------------------------------------------------------

const kRepeatStatuses = new Set(['already_opted_out', 'superseded']);

/**
 * Reads the period report: counts by status, time to honour (business days and hours) over the
 * honoured revocations, late and overdue ones, texts after revocation.
 */
export function analyzePeriod(pages, now) {
  const optOuts = pages.flatMap((p) => p.opt_outs)
    .sort((a, b) => ms(a.requested_at) - ms(b.requested_at));
  const counts = {};
  for (const o of optOuts) counts[o.status] = (counts[o.status] ?? 0) + 1;
  for (const o of optOuts) {
    const deadline = ms(o.deadline);
    o.__hoursMs = o.honored_at ? ms(o.honored_at) - ms(o.requested_at) : NaN;
    o.__late = o.status === 'honored_late' || (!!o.honored_at && Number.isFinite(deadline) && ms(o.honored_at) > deadline);
    // ended_by_opt_in: consent given again before the deadline, so never overdue.
    o.__overdue = o.status === 'overdue' ||
      (!o.honored_at && !kRepeatStatuses.has(o.status) && o.status !== 'ended_by_opt_in' &&
        Number.isFinite(deadline) && now > deadline);
  }
  const honoured = optOuts.filter((o) => !kRepeatStatuses.has(o.status) && o.honored_at);
  const days = honoured.map((o) => o.business_days).filter(Number.isFinite);
  const hours = honoured.map((o) => o.__hoursMs).filter(Number.isFinite);
  const textsAfter = optOuts.flatMap((o) => (o.texts_after ?? []).map((t) => ({ optOut: o, text: t })));
  return {
    optOuts, counts, honoured,
    revocations: optOuts.filter((o) => !kRepeatStatuses.has(o.status)),
    medianDays: median(days), worstDays: days.length ? Math.max(...days) : null,
    medianHoursMs: median(hours), worstHoursMs: hours.length ? Math.max(...hours) : null,
    late: optOuts.filter((o) => o.__late), overdue: optOuts.filter((o) => o.__overdue),
    notHonoured: optOuts.filter((o) => !kRepeatStatuses.has(o.status) && !o.honored_at),
    textsAfter,
  };
}

const kStatusNames = {
  honored_in_time: 'honoured in time', honored_late: 'honoured LATE', pending: 'pending',
  overdue: 'OVERDUE', already_opted_out: 'already opted out (repeat)', superseded: 'superseded by an opt-in',
  ended_by_opt_in: 'consent given again before the deadline (never listed)',
};

function periodStatus(o) {
  if (o.__overdue) return html`<span class="flag bad">OVERDUE</span> not honoured, deadline passed`;
  if (o.__late) return html`<span class="flag bad">LATE</span> honoured after the deadline`;
  if (o.status === 'honored_in_time') return html`<span class="flag ok">IN TIME</span>`;
  if (o.status === 'pending') return html`<span class="flag warn">PENDING</span> deadline not passed`;
  return kStatusNames[o.status] ?? o.status;
}

const days = (n) => (n === null ? '-' : `${Number.isInteger(n) ? n : n.toFixed(1)} business day${n === 1 ? '' : 's'}`);

/** The HTML report of a period's opt-outs; options as renderHistory's plus from/to. */
export function renderPeriod(model, options) {
  const { optOuts, counts, revocations, honoured, late, overdue, notHonoured, textsAfter } = model;
  const verdicts = [];
  verdicts.push(html`<li class="ok">${plural(optOuts.length, 'opt-out request')} received: ${plural(revocations.length, 'revocation')}, ${optOuts.length - revocations.length} repeat or superseded</li>`);
  verdicts.push(late.length
    ? html`<li class="bad">${plural(late.length, 'opt-out')} honoured LATE (after the 10-business-day deadline)</li>`
    : html`<li class="ok">No opt-out honoured late</li>`);
  verdicts.push(overdue.length
    ? html`<li class="bad">${plural(overdue.length, 'opt-out')} OVERDUE: not honoured and past the deadline</li>`
    : html`<li class="ok">No opt-out overdue</li>`);
  verdicts.push(html`<li class="${honoured.length ? 'ok' : 'warn'}">Time to honour (${plural(honoured.length, 'honoured revocation')}): median ${days(model.medianDays)} (${formatHours(model.medianHoursMs)}), worst ${days(model.worstDays)} (${formatHours(model.worstHoursMs)})</li>`);
  verdicts.push(textsAfter.length
    ? html`<li class="bad">${plural(textsAfter.length, 'TEXT SENT AFTER REVOCATION', 'TEXTS SENT AFTER REVOCATION')}: see below</li>`
    : html`<li class="ok">No text was sent after a revocation (the one opt-out confirmation within 5 minutes excepted)</li>`);

  const countRows = Object.keys(kStatusNames).concat(Object.keys(counts).filter((k) => !(k in kStatusNames)))
    .filter((k) => counts[k]).map((k) => html`<tr><td>${kStatusNames[k] ?? k}</td><td class="num">${counts[k]}</td></tr>`);

  const textsBox = textsAfter.length === 0 ? '' : html`
<section class="alert"><h2>Texts sent after a revocation</h2><ul>
${textsAfter.map(({ optOut, text }) => html`<li><b>VIOLATION: text sent after revocation</b> to ${optOut.phone_number}: ${formatTime(text.at)}, ${text.kind ?? 'text'}${text.message_id ? ` (message id ${text.message_id})` : ''}, ${formatDuration(ms(text.at) - ms(optOut.requested_at))} after the opt-out requested at ${formatTime(optOut.requested_at)}</li>`)}
</ul></section>`;

  const table = html`
<table><thead><tr><th>Phone number</th><th>Requested (UTC)</th><th>Channel, method</th><th>Deadline (UTC)</th><th>Honoured (UTC)</th><th>Time to honour</th><th>Status</th><th class="num">Texts after</th></tr></thead><tbody>
${optOuts.map((o) => html`<tr class="${o.__late || o.__overdue || (o.texts_after ?? []).length ? 'violation' : ''}"><td class="time">${o.phone_number}</td><td class="time">${cellTime(o.requested_at)}</td><td>${[o.channel, o.method].filter(Boolean).join(', ')}${o.change && o.change !== 'new' ? ` (${o.change})` : ''}${o.rule ? html`<br><span class="small">${o.rule}</span>` : ''}</td><td class="time">${cellTime(o.deadline)}</td><td class="time">${o.honored_at ? cellTime(o.honored_at) : 'not honoured'}</td><td class="nowrap">${o.honored_at ? html`${plural(o.business_days ?? '?', 'business day')}<br><span class="small">${formatHours(o.__hoursMs)}</span>` : '-'}</td><td>${periodStatus(o)}</td><td class="num">${(o.texts_after ?? []).length}</td></tr>`)}
</tbody></table>`;

  return page({
    title: `Opt-outs ${options.from} to ${options.to}`,
    heading: `Opt-outs received ${options.from} to ${options.to}`,
    meta: `Report generated ${formatTime(new Date(options.generatedAt).toISOString())} from ${options.source}; ${plural(options.pages, 'page')}. Days are UTC, both ends included.`,
    body: html`
<section class="summary"><h2>Summary</h2>
<ul class="verdicts">${verdicts}</ul>
${textsBox}
<h3>By status</h3><table style="width:auto"><tbody>${countRows}</tbody></table>
${notHonoured.length ? html`<p>${plural(notHonoured.length, 'revocation')} not honoured yet (${overdue.length} overdue): not in the median and worst figures.</p>` : ''}
</section>
<section><h2>Every opt-out (${optOuts.length})</h2>${table}</section>`,
  });
}
