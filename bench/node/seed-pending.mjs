// Seeds the local stack with opt-outs that are recorded but not yet honoured (the
// set deadline-monitor finishes): contacts as sms-inbound writes them after a
// STOP whose opt-out-list update failed. Benchmark only.
//
//   node seed-pending.mjs --env-file <stack>/env [--count 3] [--prefix 10]
import { PutItemCommand } from '@aws-sdk/client-dynamodb';

import { stack } from './seed-lib.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, v, i, all) =>
  (v.startsWith('--') ? [...pairs, [v.slice(2), all[i + 1]]] : pairs), []));
const { env, client } = stack(args['env-file']);
const S = (value) => ({ S: value });
const count = Number(args.count ?? 3);
const now = Date.now();
for (let i = 0; i < count; i++) {
  const at = new Date(now - (i + 1) * 3600e3).toISOString();
  const deadline = new Date(now + (7 - i) * 86400e3).toISOString();
  const phone = `+1503${String(args.prefix ?? 10).padStart(2, '0')}${String(20000 + Math.floor(Math.random() * 79999)).padStart(5, '0')}`;
  await client.send(new PutItemCommand({
    TableName: env.CONTACTS_TABLE,
    Item: {
      phone_number: S(phone), consent_status: S('opted_out'), opted_out_at: S(at), opt_out_deadline: S(deadline),
      opt_out_method: S('sms'), opt_out_channel: S('sms'), opt_out_rule: S('keyword:STOP'),
      opt_out_channels: { SS: ['email', 'sms', 'voice'] }, opt_out_categories: S('all'),
      opt_out_inbound_id: S(`seed-${phone}`), opt_out_pending: S('PENDING'), version: { N: '1' },
      updated_at: S(at), created_at: S(at),
    },
  }));
}
