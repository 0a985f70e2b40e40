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
import { parseArgs } from 'node:util';

import { putAll, stack } from './seed-lib.mjs';

const { values: a } = parseArgs({
  options: {
    'env-file': { type: 'string' }, count: { type: 'string', default: '1' }, first: { type: 'string', default: '0' },
    'area-code': { type: 'string', default: '425' }, 'time-zone': { type: 'string' },
  },
});
const { env, client } = stack(a['env-file']);
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

await putAll(client, env.CONTACTS_TABLE, items);
process.stdout.write(`${lines.join('\n')}\n`);
