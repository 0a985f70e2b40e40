// Seeds the local stack's message log with outbound texts for delivery-events to find, one per
// event of a bench run, each with a fresh number, laid out as ConsentStore writes them
// (common/consent/store.cpp, outbound_item; the delivery_* attributes as record_delivery_event
// leaves them). Benchmark only. Prints one JSON line per item, in order:
// {"phone","sk","message_id","sent_at_ms"}: bench/lib/measure.mjs builds event i from line i.
//
//   node seed-messages.mjs --env-file <stack>/env --count N --prefix P --first K
//        [--key reply|message-id] [--recorded successful|delivered]
//
// --key reply: a reply's key (`<inbound at>#out#<inbound id>#reply`, the kind whose sender puts
//   it in Context as message_ref); message-id (default): `<sent_at>#out#<MessageId>`, a
//   reminder's, found through the by-message-id index.
// --recorded: the events already on the item. successful (default): TEXT_SUCCESSFUL, so a
//   TEXT_DELIVERED then supersedes it (the usual second event of a text); delivered: TEXT_SUCCESSFUL
//   and TEXT_DELIVERED, so a TEXT_DELIVERED is an SNS redelivery (a duplicate).
// Numbers are +1425 followed by 2000000 + (K + i) mod 7000000 (exchange 200-999).
import { parseArgs } from 'node:util';

import { putAll, stack } from './seed-lib.mjs';

const { values: a } = parseArgs({
  options: {
    'env-file': { type: 'string' }, count: { type: 'string', default: '1' },
    prefix: { type: 'string', default: 'bench' }, first: { type: 'string', default: '0' },
    key: { type: 'string', default: 'message-id' }, recorded: { type: 'string', default: 'successful' },
  },
});
if (!['reply', 'message-id'].includes(a.key)) throw new Error(`--key: reply or message-id, not ${a.key}`);
if (!['successful', 'delivered'].includes(a.recorded)) throw new Error(`--recorded: successful or delivered`);

const { env, client } = stack(a['env-file']);

const S = (value) => ({ S: value });
const N = (value) => ({ N: String(value) });
const iso = (ms) => new Date(ms).toISOString();  // common::format_rfc3339's form: milliseconds, Z
// The sends happened an hour ago; the events bench/lib/measure.mjs builds follow them.
const sentBase = Date.now() - 3600e3;
const ttl = Math.floor(sentBase / 1000) + 90 * 86400;

// The events already recorded on the item (delivery_events, _keys, _count and the standing status).
function delivered(item, sentMs) {
  const events = [
    { type: 'TEXT_SUCCESSFUL', at: sentMs + 300, final: false, status: 'SUCCESSFUL',
      description: 'Message has been accepted by phone carrier', fee: '0' },
  ];
  if (a.recorded === 'delivered') {
    events.push({ type: 'TEXT_DELIVERED', at: sentMs + 1200, final: true, status: 'DELIVERED',
      description: 'Message has been delivered to the recipient', fee: '0.00302' });
  }
  const standing = events[events.length - 1];
  Object.assign(item, {
    delivery_status: S(standing.type), delivery_message_status: S(standing.status),
    delivery_status_description: S(standing.description), delivery_final: { BOOL: standing.final },
    delivery_event_at: N(standing.at), delivery_parts: N(1), delivery_price: N('0.00581'),
    delivery_carrier_fee: N(standing.fee), delivery_updated_at: S(iso(standing.at + 50)),
    delivery_events: { L: events.map((e) => ({ M: { event_type: S(e.type), event_at: N(e.at), final: { BOOL: e.final },
      message_status: S(e.status) } })) },
    delivery_event_keys: { SS: events.map((e) => `${e.type}@${e.at}`) },
    delivery_event_count: N(events.length),
  });
}

const count = Number(a.count);
const first = Number(a.first);
const items = [];
const lines = [];
for (let i = 0; i < count; i++) {
  const phone = `+1425${String(2000000 + ((first + i) % 7000000)).padStart(7, '0')}`;
  const messageId = `${a.prefix}-${String(i).padStart(6, '0')}-0000-4000-8000-000000000000`;
  const sentMs = sentBase + i;
  const sk = a.key === 'reply'
    ? `${iso(sentMs - 800)}#out#in-${a.prefix}-${i}#reply`
    : `${iso(sentMs)}#out#${messageId}`;
  const item = {
    phone_number: S(phone), sk: S(sk), direction: S('outbound'), kind: S(a.key === 'reply' ? 'reply' : 'reminder'),
    status: S('sent'), message_id: S(messageId),
    message_body: S('Bench Clinic: your appointment is tomorrow at 10:30 AM at 12 Main St. Reply STOP to opt out.'),
    origination_identity: S(env.ORIGINATION_IDENTITY || '+12065550100'), message_type: S('TRANSACTIONAL'),
    sent_at: S(iso(sentMs)), ttl: N(ttl),
  };
  if (a.key === 'reply') item.in_reply_to = S(`in-${a.prefix}-${i}`);
  delivered(item, sentMs);
  items.push(item);
  lines.push(JSON.stringify({ phone, sk, message_id: messageId, sent_at_ms: sentMs }));
}

await putAll(client, env.MESSAGE_LOG_TABLE, items);
process.stdout.write(`${lines.join('\n')}\n`);
