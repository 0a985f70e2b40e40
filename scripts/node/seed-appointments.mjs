// Seeds the local stack with sample appointments and consenting contacts, keyed exactly as
// common/appointments writes them (reminder_due_at / reminder_shard for the first lead).
//
//   node seed-appointments.mjs --env-file <state>/env [--count 20] [--now ISO] [--lead 24h]
//        [--shards 8] [--area-codes 212,312,...] [--prefix seed] [--spread-minutes 0]
//        [--location "12 Main St"] [--time-zone America/New_York]
//        [--batch-size B --batch-step-ms MS]
//
// Each appointment starts at now + lead (+ up to --spread-minutes earlier), so its first
// reminder is due at or just before now. With --batch-size, appointment i moves
// floor(i / B) x MS later: batches of B reminders falling due one after another (bench/run gives
// each warm run its own clock and so its own 3 due reminders). Phone numbers are
// +1 <area code> 555 <4 digits> (fictional exchange), one per appointment, each with an opted-in
// contact.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { callDynamo } from './create-tables.mjs';

const { values: a } = parseArgs({
  options: {
    'env-file': { type: 'string' }, count: { type: 'string', default: '20' },
    now: { type: 'string' }, lead: { type: 'string', default: '24h' },
    shards: { type: 'string', default: '8' }, 'area-codes': { type: 'string', default: '212,312,303,213,305,512,808' },
    prefix: { type: 'string', default: 'seed' }, 'spread-minutes': { type: 'string', default: '0' },
    location: { type: 'string', default: '12 Main St' }, 'time-zone': { type: 'string' },
    'batch-size': { type: 'string', default: '0' }, 'batch-step-ms': { type: 'string', default: '1000' },
  },
});

const env = {};
for (const line of readFileSync(a['env-file'], 'utf8').split('\n')) {
  const eq = line.indexOf('=');
  if (eq > 0 && !line.startsWith('#')) env[line.slice(0, eq)] = line.slice(eq + 1);
}
const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB;
const region = env.AWS_REGION || 'us-east-1';
const zonesByCode = {
  212: 'America/New_York', 305: 'America/New_York', 312: 'America/Chicago', 512: 'America/Chicago',
  303: 'America/Denver', 213: 'America/Los_Angeles', 808: 'Pacific/Honolulu',
};

// Same FNV-1a as common::appointments::shard_of, so seeded items land where the function looks.
function shardOf(id, shards) {
  let h = 2166136261;
  for (const c of Buffer.from(id, 'utf8')) h = Math.imul(h ^ c, 16777619) >>> 0;
  return h % shards;
}
function leadMinutes(text) {
  const m = /^(\d+)([hm])$/.exec(text.trim());
  if (!m) throw new Error(`bad --lead ${text}`);
  return Number(m[1]) * (m[2] === 'h' ? 60 : 1);
}

const count = Number(a.count);
const shards = Number(a.shards);
const lead = leadMinutes(a.lead);
const now = a.now ? new Date(a.now) : new Date();
const spread = Number(a['spread-minutes']);
const codes = a['area-codes'].split(',').map((s) => s.trim());
const batchSize = Number(a['batch-size']);
const batchStepMs = Number(a['batch-step-ms']);
const S = (s) => ({ S: s });

const puts = { [env.APPOINTMENTS_TABLE]: [], [env.CONTACTS_TABLE]: [] };
for (let i = 0; i < count; i++) {
  const id = `${a.prefix}-${String(i).padStart(6, '0')}`;
  const code = codes[i % codes.length];
  const phone = `+1${code}555${String(Math.floor(i / codes.length) % 10000).padStart(4, '0')}`;
  const later = batchSize > 0 ? Math.floor(i / batchSize) * batchStepMs : 0;
  const starts = new Date(now.getTime() + later + lead * 60000 - (spread ? (i % (spread + 1)) * 60000 : 0));
  const due = new Date(starts.getTime() - lead * 60000);
  const dueText = due.toISOString();
  const zone = a['time-zone'] || zonesByCode[code] || 'America/New_York';
  puts[env.APPOINTMENTS_TABLE].push({
    appointment_id: S(id), phone_number: S(phone), starts_at: S(starts.toISOString()),
    time_zone: S(zone), location: S(a.location), appointment_status: S('scheduled'),
    reminder_due_at: S(dueText), reminder_shard: { N: String(shardOf(id, shards)) },
    reminder_lead_minutes: { N: String(lead) },
  });
  puts[env.CONTACTS_TABLE].push({
    phone_number: S(phone), consent_status: S('opted_in'), opted_in_at: S(new Date(now.getTime() - 86400000).toISOString()),
    opt_in_method: S('web_form'), opt_in_source: { M: { channel: S('seed') } }, version: { N: '1' },
  });
}

async function writeAll(table, items) {
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  async function worker() {
    while (next < batches.length) {
      let request = { [table]: batches[next++].map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(request).length) {
        const r = await callDynamo(endpoint, 'BatchWriteItem', { RequestItems: request }, region);
        if (r.status !== 200) throw new Error(`BatchWriteItem ${table}: ${JSON.stringify(r.body)}`);
        request = r.body.UnprocessedItems || {};
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
}

for (const [table, items] of Object.entries(puts)) await writeAll(table, items);
console.log(JSON.stringify({ appointments: count, contacts: count, first_reminder_due: now.toISOString(),
  appointments_table: env.APPOINTMENTS_TABLE, contacts_table: env.CONTACTS_TABLE }));
