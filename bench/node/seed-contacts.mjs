// Seeds the local stack's contacts table with opted-in contacts, one per event of a bench run,
// each with a fresh number, holding prior express written consent to marketing as the send gate
// reads it (common/consent/gate.hpp, has_written_marketing_consent: an opt-in time, a method
// other than verbal, a disclosure version naming marketing), so transactional and marketing texts
// both pass consent. For a row of a sender through the gate (notify). Benchmark only. Prints one
// JSON line per contact, in order: {"phone"}: bench/lib/measure.mjs builds event i from line i.
//
//   node seed-contacts.mjs --env-file <stack>/env --count N --first K [--area-code 425]
//        [--time-zone America/Los_Angeles]
//
// Numbers are +1 <area code> followed by 2000000 + (K + i) mod 7000000 (exchange 200-999).
import fs from 'node:fs';
import { parseArgs } from 'node:util';

import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

const { values: a } = parseArgs({
  options: {
    'env-file': { type: 'string' }, count: { type: 'string', default: '1' }, first: { type: 'string', default: '0' },
    'area-code': { type: 'string', default: '425' }, 'time-zone': { type: 'string' },
  },
});
const env = Object.fromEntries(fs.readFileSync(a['env-file'], 'utf8').split('\n')
  .filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const client = new DynamoDBClient({
  region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
});
const S = (value) => ({ S: value });
const optedIn = new Date(Date.now() - 30 * 86400e3).toISOString();

const count = Number(a.count);
const first = Number(a.first);
const items = [];
const lines = [];
for (let i = 0; i < count; i++) {
  const phone = `+1${a['area-code']}${String(2000000 + ((first + i) % 7000000)).padStart(7, '0')}`;
  const item = {
    phone_number: S(phone), consent_status: S('opted_in'), opted_in_at: S(optedIn), opt_in_method: S('web_form'),
    opt_in_disclosure_version: S('bench-marketing-and-transactional-v1'),
    opt_in_source: { M: { channel: S('bench') } }, version: { N: '1' }, created_at: S(optedIn), updated_at: S(optedIn),
  };
  if (a['time-zone']) item.time_zone = S(a['time-zone']);
  items.push(item);
  lines.push(JSON.stringify({ phone }));
}

const batches = [];
for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
let next = 0;
async function worker() {
  while (next < batches.length) {
    let request = { [env.CONTACTS_TABLE]: batches[next++].map((Item) => ({ PutRequest: { Item } })) };
    while (Object.keys(request).length) {
      const r = await client.send(new BatchWriteItemCommand({ RequestItems: request }));
      request = r.UnprocessedItems ?? {};
    }
  }
}
await Promise.all(Array.from({ length: 4 }, worker));
process.stdout.write(`${lines.join('\n')}\n`);
