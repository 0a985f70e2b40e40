// The reminders baseline: a reminders run as a Node.js developer would write it with the AWS SDK
// for JavaScript v3, making the same calls with the same expressions as the C++ function (taken
// from its wire traffic, scripts/node/count-proxy.mjs --bodies, with the shard-keyed due index):
// one Query per shard of `reminders-due`, then per due reminder the contact read, the claim,
// SendTextMessage, the finish, the outbound log item and the contact's counters. bench/run shows
// both contestants' calls side by side. Benchmark only: the happy path (opted-in contacts,
// inside allowed hours, one lead time moved on); it skips the C++ code's area-code zones, state
// rules, segment counting and pacing, which only flatters the baseline.
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';

const env = process.env;
const required = (name) => {
  const value = env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
};
const minutesOf = (text) => {
  const m = /^(\d+)([hm])$/.exec(text.trim());
  if (!m) throw new Error(`bad lead time ${text}`);
  return Number(m[1]) * (m[2] === 'h' ? 60 : 1);
};
const leads = (env.REMINDER_LEAD_TIMES ?? '24h').split(',').map(minutesOf).sort((a, b) => b - a);
const config = {
  appointments: required('APPOINTMENTS_TABLE'),
  contacts: required('CONTACTS_TABLE'),
  messageLog: required('MESSAGE_LOG_TABLE'),
  origination: required('ORIGINATION_IDENTITY'),
  program: required('PROGRAM_NAME'),
  configurationSet: env.CONFIGURATION_SET_NAME,
  shards: Number(env.REMINDER_SHARDS ?? 8),
  lookbackHours: Number(env.REMINDER_LOOKBACK_HOURS ?? Math.ceil(leads[0] / 60) + 1),
  claimMs: Number(env.REMINDER_CLAIM_SECONDS ?? 900) * 1000,
  acceptEventTime: env.REMINDERS_ACCEPT_EVENT_TIME === '1',
};
// Built once per process, as the SDK documentation recommends, so connections stay alive.
const dynamodb = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB || undefined });
const sms = new PinpointSMSVoiceV2Client({
  endpoint: env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 || undefined,
});

const RETENTION_S = (4 * 365 + 2) * 86400;
const HOUR_MS = 3600e3;
const S = (value) => ({ S: value });
const N = (value) => ({ N: String(value) });
const iso = (ms) => new Date(ms).toISOString();
let coldStart = true;

// "Thu, Nov 19 at 4:00 PM" in the appointment's zone.
function formatWhen(ms, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.weekday}, ${parts.month} ${parts.day} at ${parts.hour}:${parts.minute} ${parts.dayPeriod}`;
}
const localHour = (ms, timeZone) =>
  Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(new Date(ms)));

async function remind(item, clock, claimant, summary) {
  const id = item.appointment_id.S;
  const phone = item.phone_number.S;
  const startsMs = Date.parse(item.starts_at.S);
  const dueText = item.reminder_due_at.S;
  const lead = Number(item.reminder_lead_minutes.N);
  const zone = item.time_zone?.S || 'America/New_York';

  const contact = (await dynamodb.send(new GetItemCommand({
    TableName: config.contacts, Key: { phone_number: S(phone) }, ConsistentRead: true,
  }))).Item;
  if (contact?.consent_status?.S !== 'opted_in' || contact.opted_out_at) throw new Error('baseline: happy path only');
  const hour = localHour(clock(), contact.time_zone?.S || zone);
  if (hour < 8 || hour >= 21) throw new Error('baseline: happy path only (inside allowed hours)');
  const body = `${config.program}: Reminder: your appointment is ${formatWhen(startsMs, zone)}` +
    `${item.location?.S ? ` at ${item.location.S}` : ''}. Reply C to confirm, R to reschedule, STOP to opt out.`;

  // Claim before sending, so two runs never both send it.
  const claimedAt = clock();
  await dynamodb.send(new UpdateItemCommand({
    TableName: config.appointments, Key: { appointment_id: S(id) },
    UpdateExpression: 'SET #n1 = :v1, #n0 = :v0',
    ConditionExpression: '#n2 = :v3 AND (attribute_not_exists(#n0) OR #n0 < :v2)',
    ExpressionAttributeNames: { '#n0': 'reminder_claim_expires_at', '#n1': 'reminder_claimed_by', '#n2': 'reminder_due_at' },
    ExpressionAttributeValues: {
      ':v0': S(iso(claimedAt + config.claimMs)), ':v1': S(claimant), ':v2': S(iso(claimedAt)), ':v3': S(dueText),
    },
  }));
  const sent = await sms.send(new SendTextMessageCommand({
    DestinationPhoneNumber: phone, OriginationIdentity: config.origination, MessageBody: body,
    MessageType: 'TRANSACTIONAL', ConfigurationSetName: config.configurationSet,
    Context: { kind: 'reminder', appointment_id: id },
  }));

  // Finish: recorded sent, moved on to the next lead time (or out of the due index).
  const now = clock();
  const next = leads.find((l) => startsMs - l * 60e3 > now);
  const names = {
    '#n0': 'last_reminder_lead_minutes', '#n1': 'last_reminder_at', '#n2': 'last_reminder_status',
    '#n3': 'reminder_claimed_by', '#n4': 'reminder_claim_expires_at', '#n5': 'last_reminder_reason',
    '#n6': 'last_reminder_message_id', '#n7': 'reminder_lead_minutes', '#n8': 'reminder_shard',
    '#n9': 'reminder_due_at', '#n10': 'reminders_sent',
  };
  const values = {
    ':v0': N(lead), ':v1': S(iso(now)), ':v2': S('sent'), ':v3': S(sent.MessageId), ':v7': N(1), ':v8': S(claimant),
  };
  let update = 'SET #n2 = :v2, #n1 = :v1, #n0 = :v0, #n6 = :v3';
  let remove = 'REMOVE #n3, #n4, #n5';
  if (next !== undefined) {
    update += ', #n9 = :v6, #n8 = :v5, #n7 = :v4';
    Object.assign(values, { ':v4': N(next), ':v5': item.reminder_shard, ':v6': S(iso(startsMs - next * 60e3)) });
  } else {
    remove += ', #n9, #n8, #n7';
  }
  await dynamodb.send(new UpdateItemCommand({
    TableName: config.appointments, Key: { appointment_id: S(id) },
    UpdateExpression: `${update} ADD #n10 :v7 ${remove}`, ConditionExpression: '#n3 = :v8',
    ExpressionAttributeNames: names, ExpressionAttributeValues: values,
  }));

  // The message log and the contact's counters.
  const sentAt = iso(clock());
  await dynamodb.send(new PutItemCommand({
    TableName: config.messageLog,
    Item: {
      direction: S('outbound'), kind: S('reminder'), message_body: S(body), message_id: S(sent.MessageId),
      message_type: S('TRANSACTIONAL'), origination_identity: S(config.origination), phone_number: S(phone),
      sent_at: S(sentAt), sk: S(`${sentAt}#out#${sent.MessageId}`),
      ttl: N(Math.floor(Date.parse(sentAt) / 1000) + RETENTION_S),
    },
  }));
  await dynamodb.send(new UpdateItemCommand({
    TableName: config.contacts, Key: { phone_number: S(phone) },
    UpdateExpression: 'SET #n1 = :v1 ADD #n0 :v0',
    ExpressionAttributeNames: { '#n0': 'message_count_out', '#n1': 'last_outbound_at' },
    ExpressionAttributeValues: { ':v0': N(1), ':v1': S(sentAt) },
  }));
  summary.sent += 1;
  summary.segments += 1;
  process.stdout.write(JSON.stringify({
    level: 'INFO', message: 'reminder sent', function: 'reminders-node', appointment_id: id,
    phone: `${phone.slice(0, 5)}***${phone.slice(-4)}`, lead_minutes: lead, message_id: sent.MessageId,
    timestamp: sentAt,
  }) + '\n');
}

export async function handler(event, context) {
  const started = Date.now();
  const start = config.acceptEventTime && typeof event?.now === 'string' ? Date.parse(event.now) : started;
  const clock = () => start + (Date.now() - started);
  const claimant = context.awsRequestId;
  const summary = { now: iso(start), sent: 0, blocked: {}, deferred: 0, missed: 0, failed: 0, already_claimed: 0,
    segments: 0, stopped_early: false };
  const from = iso(Math.floor((start - config.lookbackHours * HOUR_MS) / HOUR_MS) * HOUR_MS);
  for (let shard = 0; shard < config.shards; shard++) {
    let startKey;
    do {
      const page = await dynamodb.send(new QueryCommand({
        TableName: config.appointments, IndexName: 'reminders-due', Limit: 200,
        KeyConditionExpression: '#n1 = :v2 AND #n0 BETWEEN :v1 AND :v0',
        ExpressionAttributeNames: { '#n0': 'reminder_due_at', '#n1': 'reminder_shard' },
        ExpressionAttributeValues: { ':v0': S(iso(clock())), ':v1': S(from), ':v2': N(shard) },
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) await remind(item, clock, claimant, summary);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  process.stdout.write(JSON.stringify({
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'SmsCompliance', Dimensions: [['FunctionName']],
      Metrics: ['RemindersSent', 'RemindersBlocked', 'RemindersDeferred', 'RemindersMissed', 'RemindersFailed',
        'SegmentsSent'].map((Name) => ({ Name, Unit: 'Count' })) }] },
    FunctionName: 'reminders-node', RemindersSent: summary.sent, RemindersBlocked: 0, RemindersDeferred: 0,
    RemindersMissed: 0, RemindersFailed: 0, SegmentsSent: summary.segments, requestId: claimant,
  }) + '\n');
  process.stdout.write(JSON.stringify({ level: 'INFO', message: 'run finished', function: 'reminders-node',
    requestId: claimant, cold_start: coldStart, ...summary, timestamp: iso(Date.now()) }) + '\n');
  coldStart = false;
  return summary;
}
