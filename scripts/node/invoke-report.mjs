// After a local invocation: prints the texts the function sent (from the
// stand-in's outbox), the stored contact record of every number in the
// events and, for delivery events, the delivery state of each message they
// name. Used by scripts/invoke; reads the local stack's env file.
//
//   node invoke-report.mjs --env-file <state>/env --outbox-offset <bytes> <event.json|events.jsonl>...
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { callDynamo } from './create-tables.mjs';

/** Reads KEY=VALUE lines into an object. */
function readEnv(file) {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && !line.startsWith('#')) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** DynamoDB wire form -> plain JSON, for people to read. */
function plain(value) {
  const [type, v] = Object.entries(value)[0];
  switch (type) {
    case 'S': case 'BOOL': return v;
    case 'N': return Number(v);
    case 'NULL': return null;
    case 'M': return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    case 'L': return v.map(plain);
    case 'SS': case 'NS': case 'BS': return v;
    default: return v;
  }
}

/** E.164 form of what a person typed, for US numbers as opt-out-api accepts them. */
function e164(text) {
  if (typeof text !== 'string') return undefined;
  const digits = text.replace(/[^0-9+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return undefined;
}

/** The phone numbers an event is about: SNS records' originationNumber, an HTTP
 * event's body phone_number or /contacts/{phone_number} path (others: none). */
function numbersIn(file) {
  const numbers = new Set();
  try {
    const event = JSON.parse(readFileSync(file, 'utf8'));
    for (const record of event.Records ?? []) {
      try {
        const sms = JSON.parse(record?.Sns?.Message ?? '');
        if (typeof sms.originationNumber === 'string') numbers.add(sms.originationNumber);
      } catch { /* a malformed record: nothing to show */ }
    }
    if (typeof event.body === 'string') {
      try {
        const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
        const number = e164(JSON.parse(text)?.phone_number);
        if (number) numbers.add(number);
      } catch { /* not JSON: the function answered 400/415 */ }
    }
    const path = event.rawPath ?? '';
    if (path.startsWith('/contacts/')) {
      const number = e164(decodeURIComponent(path.slice('/contacts/'.length)));
      if (number) numbers.add(number);
    }
  } catch { /* not JSON: the emulator already said so */ }
  return [...numbers];
}

/** The JSON documents of a file: one JSON value, or JSON Lines (unreadable lines skipped). */
function documentsIn(file) {
  let text;
  try { text = readFileSync(file, 'utf8'); } catch { return []; }
  try { return [JSON.parse(text)]; } catch { /* JSON Lines */ }
  return text.split('\n').filter((l) => l.trim()).flatMap((l) => { try { return [JSON.parse(l)]; } catch { return []; } });
}

/** The MessageIds that delivery events (SNS records whose Message has eventType and messageId) name. */
function deliveryMessageIds(file) {
  const ids = new Set();
  for (const event of documentsIn(file)) {
    for (const record of event?.Records ?? []) {
      try {
        const sms = JSON.parse(record?.Sns?.Message ?? '');
        if (typeof sms.eventType === 'string' && typeof sms.messageId === 'string') ids.add(sms.messageId);
      } catch { /* a malformed record: nothing to show */ }
    }
  }
  return [...ids];
}

const { values, positionals } = parseArgs({
  options: { 'env-file': { type: 'string' }, 'outbox-offset': { type: 'string', default: '0' } },
  allowPositionals: true,
});
const env = readEnv(values['env-file']);
const outbox = env.LOCAL_STACK_OUTBOX;
const offset = Number(values['outbox-offset']);

let sent = [];
try {
  if (statSync(outbox).size > offset) {
    sent = readFileSync(outbox).subarray(offset).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }
} catch { /* no outbox yet: nothing sent */ }
console.log(`\n--- texts sent (${sent.length}) from ${outbox}`);
for (const m of sent) {
  console.log(`${m.timestamp}  to ${m.DestinationPhoneNumber}  [${m.MessageType ?? '-'}, ${m.segments ?? '?'} segment(s)]`);
  console.log(`    ${m.MessageBody}`);
}

for (const number of new Set(positionals.flatMap(numbersIn))) {
  const { status, body } = await callDynamo(env.AWS_ENDPOINT_URL_DYNAMODB, 'GetItem', {
    TableName: env.CONTACTS_TABLE, Key: { phone_number: { S: number } }, ConsistentRead: true,
  }, env.AWS_REGION);
  console.log(`\n--- contact ${number} (${env.CONTACTS_TABLE})`);
  if (status !== 200) console.log(`    GetItem failed: HTTP ${status} ${JSON.stringify(body)}`);
  else if (!body.Item) console.log('    (no record)');
  else console.log(JSON.stringify(plain({ M: body.Item }), null, 2));
}

const messageIds = [...new Set(positionals.flatMap(deliveryMessageIds))];
for (const id of messageIds) {
  const q = await callDynamo(env.AWS_ENDPOINT_URL_DYNAMODB, 'Query', {
    TableName: env.MESSAGE_LOG_TABLE, IndexName: 'by-message-id',
    KeyConditionExpression: 'message_id = :id', ExpressionAttributeValues: { ':id': { S: id } }, Limit: 1,
  }, env.AWS_REGION);
  const key = q.body?.Items?.[0];
  console.log(`\n--- message ${id} (${env.MESSAGE_LOG_TABLE})`);
  if (q.status !== 200) { console.log(`    Query failed: HTTP ${q.status} ${JSON.stringify(q.body)}`); continue; }
  if (!key) { console.log('    (no message with this id: not sent from this stack)'); continue; }
  const { body } = await callDynamo(env.AWS_ENDPOINT_URL_DYNAMODB, 'GetItem', {
    TableName: env.MESSAGE_LOG_TABLE, Key: { phone_number: key.phone_number, sk: key.sk }, ConsistentRead: true,
  }, env.AWS_REGION);
  const item = body?.Item ? plain({ M: body.Item }) : {};
  const shown = Object.fromEntries(Object.entries(item).filter(([k]) =>
    ['phone_number', 'sk', 'kind', 'status', 'sent_at'].includes(k) || (k.startsWith('delivery_') && k !== 'delivery_event_keys')));
  console.log(JSON.stringify(shown, null, 2));
}
