// The baseline: sms-inbound's STOP path as a Node.js developer would write it with
// the AWS SDK for JavaScript v3, making the same 6 calls with the same expressions as
// the C++ function (docs/round-trips.md, "sms-inbound: STOP"), so both contestants do the
// same work per event. Benchmark only: it handles STOP and
// the other opt-out keywords, nothing else, and skips the C++ code's federal
// holidays and phrase rules (which only flatters the baseline).
import { randomUUID } from 'node:crypto';

import {
  BatchWriteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  PinpointSMSVoiceV2Client,
  PutOptedOutNumberCommand,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';

const env = process.env;
const required = (name) => {
  const value = env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
};
const config = {
  contacts: required('CONTACTS_TABLE'),
  messageLog: required('MESSAGE_LOG_TABLE'),
  origination: required('ORIGINATION_IDENTITY'),
  optOutList: required('OPT_OUT_LIST_NAME'),
  program: required('PROGRAM_NAME'),
  configurationSet: env.CONFIGURATION_SET_NAME,
};
// Built once per process, as the SDK documentation recommends, so connections stay alive.
const dynamodb = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB || undefined });
const sms = new PinpointSMSVoiceV2Client({
  endpoint: env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 || undefined,
});

const OPT_OUT_KEYWORDS = new Set([
  'STOP', 'STOPALL', 'STOP ALL', 'QUIT', 'END', 'REVOKE', 'OPT OUT', 'OPTOUT', 'CANCEL',
  'UNSUBSCRIBE', 'REMOVE', 'ARRET', 'TD', 'PARAR', 'ALTO', 'CANCELAR', 'BAJA',
]);
const FOUR_YEARS_S = 4 * 366 * 24 * 3600;
const LEASE_MS = 15 * 60 * 1000;
const CONFIRMATION_WINDOW_MS = 5 * 60 * 1000;
let coldStart = true;
// Names this process as the owner of the message-log leases it takes.
const leaseOwner = randomUUID();

const S = (value) => ({ S: value });
const N = (value) => ({ N: String(value) });
const iso = (ms) => new Date(ms).toISOString();

function addBusinessDays(ms, days) {
  const d = new Date(ms);
  while (days > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) days -= 1;
  }
  return d.getTime();
}

async function handleStop(m, receivedMs) {
  const phone = m.originationNumber;
  const id = m.inboundMessageId;
  const receivedAt = iso(receivedMs);
  const sk = `${receivedAt}#in#${id}`;
  const ttl = N(Math.floor(receivedMs / 1000) + FOUR_YEARS_S);
  const rule = `keyword:${m.messageBody.trim().toUpperCase()}`;
  const actions = [];
  const inbound = {
    phone_number: S(phone), sk: S(sk), direction: S('inbound'), destination_number: S(m.destinationNumber),
    inbound_message_id: S(id), message_id: S(id), message_body: S(m.messageBody),
    message_keyword: S(m.messageKeyword ?? ''), previous_published_message_id: S(m.previousPublishedMessageId ?? ''),
    received_at: S(receivedAt), sns_message_id: S(m.snsMessageId), ttl,
  };

  // 1. Claim the inbound message (a redelivery collides here).
  await dynamodb.send(new PutItemCommand({
    TableName: config.messageLog,
    Item: { ...inbound, processing_status: S('in_progress'), lease_expires_at: S(iso(Date.now() + LEASE_MS)),
      lease_owner: S(leaseOwner) },
    ConditionExpression: 'attribute_not_exists(#n0)',
    ExpressionAttributeNames: { '#n0': 'phone_number' },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }));

  // 2. One contact write: count the text, record the opt-out (every channel, every category,
  // with its deadline) and claim the one confirmation, conditioned on the state that assumes.
  const deadline = iso(addBusinessDays(receivedMs, 10));
  const now2 = iso(Date.now());
  const confirm = Date.now() - receivedMs < CONFIRMATION_WINDOW_MS;
  await dynamodb.send(new UpdateItemCommand({
    TableName: config.contacts, Key: { phone_number: S(phone) },
    UpdateExpression: 'SET #n1 = :v1, #n2 = :v2, #n3 = :v3, #n4 = :v4, #n5 = :v5, #n6 = :v6, #n7 = :v7, ' +
      '#n8 = :v8, #n9 = :v9, #n10 = :v10, #n11 = :v11, #n12 = :v12, #n13 = :v13, #n14 = :v14, #n15 = :v15, ' +
      '#n22 = :v16, #n23 = if_not_exists(#n23, :v16) ' +
      'REMOVE #n16, #n17, #n18, #n19, #n20, #n21, #n24 ADD #n0 :v0, #n25 :v0',
    ConditionExpression: '(attribute_not_exists(#n3) OR #n3 <> :v3) AND (attribute_not_exists(#n5) OR #n5 <> :v5) ' +
      'AND (attribute_not_exists(#n5) OR #n5 <> :v17 OR attribute_not_exists(#n26) OR #n26 <= :v6)',
    ExpressionAttributeNames: {
      '#n0': 'message_count_in', '#n1': 'last_inbound_at', '#n3': 'last_counted_inbound', '#n4': 'conversation_state',
      '#n5': 'consent_status', '#n6': 'opted_out_at', '#n7': 'opt_out_deadline', '#n8': 'opt_out_latest_request_at',
      '#n9': 'opt_out_method', '#n10': 'opt_out_channel', '#n11': 'opt_out_rule', '#n12': 'opt_out_channels',
      '#n13': 'opt_out_categories', '#n14': 'opt_out_inbound_id', '#n15': 'opt_out_pending',
      '#n2': 'opt_out_confirmation_claimed_at', '#n16': 'opt_out_source', '#n17': 'opt_out_notes',
      '#n18': 'opt_out_honored_at', '#n19': 'opt_out_list_synced_at', '#n20': 'opt_out_confirmation_sent_at',
      '#n21': 'opt_out_confirmation_message_id', '#n22': 'updated_at', '#n23': 'created_at',
      '#n24': 'opt_out_confirmation_outcome_unknown_at', '#n25': 'version', '#n26': 'opted_in_at',
    },
    ExpressionAttributeValues: {
      ':v0': N(1), ':v1': S(receivedAt), ':v2': S(now2), ':v3': S(sk), ':v4': S('opted_out'), ':v5': S('opted_out'),
      ':v6': S(receivedAt), ':v7': S(deadline), ':v8': S(receivedAt), ':v9': S('sms'), ':v10': S('sms'),
      ':v11': S(rule), ':v12': { SS: ['email', 'sms', 'voice'] }, ':v13': S('all'), ':v14': S(id),
      ':v15': S('PENDING'), ':v16': S(now2), ':v17': S('opted_in'),
    },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  }));
  actions.push('opted_out');

  // 3. The one confirmation, within 5 minutes of receipt, before the number is listed.
  const body = `${config.program}: You are unsubscribed and will receive no more messages. ` +
    'Reply START to resubscribe.';
  let sent;
  if (confirm) {
    sent = await sms.send(new SendTextMessageCommand({
      DestinationPhoneNumber: phone, OriginationIdentity: config.origination, MessageBody: body,
      MessageType: 'TRANSACTIONAL', ConfigurationSetName: config.configurationSet,
    }));
    actions.push('opt_out_confirmation_sent');
  }

  // 4. The End User Messaging opt-out list (after the confirmation: AWS refuses texts to listed numbers).
  await sms.send(new PutOptedOutNumberCommand({ OptOutListName: config.optOutList, OptedOutNumber: phone }));
  actions.push('opt_out_list_updated');

  // 5. The contact honoured, with the confirmation's MessageId and the outbound counter.
  const now5 = iso(Date.now());
  await dynamodb.send(new UpdateItemCommand({
    TableName: config.contacts, Key: { phone_number: S(phone) },
    UpdateExpression: 'SET #n0 = :v0, #n1 = if_not_exists(#n1, :v0), #n2 = :v0, #n3 = :v1, #n4 = :v0, #n5 = :v0 ' +
      'REMOVE #n6 ADD #n7 :v2, #n8 :v2',
    ConditionExpression: '#n9 = :v3',
    ExpressionAttributeNames: {
      '#n0': 'opt_out_list_synced_at', '#n1': 'opt_out_honored_at', '#n2': 'opt_out_confirmation_sent_at',
      '#n3': 'opt_out_confirmation_message_id', '#n4': 'last_outbound_at', '#n5': 'updated_at',
      '#n6': 'opt_out_pending', '#n7': 'message_count_out', '#n8': 'version', '#n9': 'consent_status',
    },
    ExpressionAttributeValues: { ':v0': S(now5), ':v1': S(sent?.MessageId ?? ''), ':v2': N(1), ':v3': S('opted_out') },
    ReturnValues: 'ALL_NEW',
  }));

  // 6. The message-log items in one request: consent event, outbound confirmation, inbound processed.
  const nowIso = iso(Date.now());
  const items = [
    {
      phone_number: S(phone), sk: S(`${receivedAt}#consent#${id}`), direction: S('consent'), event: S('opt_out'),
      channel: S('sms'), method: S('sms_keyword'), rule: S(rule), deadline: S(deadline), occurred_at: S(receivedAt),
      inbound_message_id: S(id), scope_categories: S('all'), scope_channels: { SS: ['email', 'sms', 'voice'] },
      superseded_by_opt_in: { BOOL: false }, ttl,
    },
    {
      ...inbound, processing_status: S('processed'), intent: S('opt_out'), rule: S(rule),
      possible_revocation: { BOOL: false }, actions: S(actions.join(',')), processed_at: S(nowIso),
    },
  ];
  if (sent) {
    items.push({
      phone_number: S(phone), sk: S(`${receivedAt}#out#${id}#opt_out_confirmation`), direction: S('outbound'),
      kind: S('opt_out_confirmation'), status: S('sent'), in_reply_to: S(id), message_body: S(body),
      message_id: S(sent.MessageId), message_type: S('TRANSACTIONAL'), origination_identity: S(config.origination),
      sent_at: S(nowIso), ttl,
    });
  }
  const written = await dynamodb.send(new BatchWriteItemCommand({
    RequestItems: { [config.messageLog]: items.map((Item) => ({ PutRequest: { Item } })) },
  }));
  if (Object.keys(written.UnprocessedItems ?? {}).length > 0) throw new Error('message-log items left unprocessed');
  return { actions, rule };
}

export async function handler(event, context) {
  const results = [];
  for (const [index, record] of (event.Records ?? []).entries()) {
    const m = JSON.parse(record.Sns.Message);
    m.snsMessageId = record.Sns.MessageId;
    if (!OPT_OUT_KEYWORDS.has(m.messageBody.trim().toUpperCase())) {
      throw new Error('the baseline handles the STOP path only');
    }
    const { actions, rule } = await handleStop(m, Date.parse(record.Sns.Timestamp));
    results.push({ index, intent: 'opt_out', rule, actions, message_id: m.inboundMessageId,
      sns_message_id: m.snsMessageId, status: 'processed' });
    process.stdout.write(JSON.stringify({
      level: 'INFO', message: 'inbound processed', function: 'sms-inbound-node', requestId: context.awsRequestId,
      cold_start: coldStart, intent: 'opt_out', rule, actions, message_id: m.inboundMessageId,
      phone: `${m.originationNumber.slice(0, 5)}***${m.originationNumber.slice(-4)}`, timestamp: iso(Date.now()),
    }) + '\n');
  }
  process.stdout.write(JSON.stringify({
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'SmsCompliance', Dimensions: [['FunctionName']],
      Metrics: [{ Name: 'InboundMessages', Unit: 'Count' }, { Name: 'OptOuts', Unit: 'Count' },
        { Name: 'OutboundMessages', Unit: 'Count' }] }] },
    FunctionName: 'sms-inbound-node', InboundMessages: results.length, OptOuts: results.length,
    OutboundMessages: results.filter((r) => r.actions.includes('opt_out_confirmation_sent')).length,
    requestId: context.awsRequestId,
  }) + '\n');
  coldStart = false;
  return { records: results.length, processed: results.length, duplicates: 0, failed: 0, malformed: 0, results };
}
