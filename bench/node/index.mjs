// The baseline: sms-inbound's STOP path as a Node.js developer would write it with
// the AWS SDK for JavaScript v3, making the same 14 calls with the same
// expressions as the C++ function (captured from its wire traffic at commit
// c9bac4b; the re-read after the opt-out update became ReturnValues ALL_NEW in e97cbf0) so both contestants do the same work per event. Benchmark only: it handles STOP and
// the other opt-out keywords, nothing else, and skips the C++ code's federal
// holidays and phrase rules (which only flatters the baseline).
import { randomUUID } from 'node:crypto';

import {
  DynamoDBClient,
  GetItemCommand,
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

async function getContact(phone) {
  const out = await dynamodb.send(new GetItemCommand({
    TableName: config.contacts, Key: { phone_number: S(phone) }, ConsistentRead: true,
  }));
  return out.Item;
}

async function handleStop(m, receivedMs) {
  const phone = m.originationNumber;
  const id = m.inboundMessageId;
  const receivedAt = iso(receivedMs);
  const sk = `${receivedAt}#in#${id}`;
  const ttl = N(Math.floor(receivedMs / 1000) + FOUR_YEARS_S);
  const rule = `keyword:${m.messageBody.trim().toUpperCase()}`;
  const actions = [];

  // 1. Claim the inbound message (a redelivery collides here).
  await dynamodb.send(new PutItemCommand({
    TableName: config.messageLog,
    Item: {
      phone_number: S(phone), sk: S(sk), direction: S('inbound'), destination_number: S(m.destinationNumber),
      inbound_message_id: S(id), message_id: S(id), message_body: S(m.messageBody),
      message_keyword: S(m.messageKeyword ?? ''), previous_published_message_id: S(m.previousPublishedMessageId ?? ''),
      processing_status: S('in_progress'), lease_expires_at: S(iso(Date.now() + LEASE_MS)), lease_owner: S(leaseOwner),
      received_at: S(receivedAt), sns_message_id: S(m.snsMessageId), ttl,
    },
    ConditionExpression: 'attribute_not_exists(#n0)',
    ExpressionAttributeNames: { '#n0': 'phone_number' },
  }));

  // 2. Record the opt-out: every channel, every category, with its deadline.
  const before = await getContact(phone);
  const version = before?.version ? Number(before.version.N) : 0;
  const deadline = iso(addBusinessDays(receivedMs, 10));
  const now2 = iso(Date.now());
  const recorded = await dynamodb.send(new UpdateItemCommand({
    TableName: config.contacts, Key: { phone_number: S(phone) },
    UpdateExpression: 'SET #n0 = :v0, #n1 = :v1, #n2 = :v2, #n3 = :v3, #n4 = :v4, #n5 = :v5, #n6 = :v6, ' +
      '#n7 = :v7, #n8 = :v8, #n9 = :v9, #n12 = :v10, #n18 = :v11, #n19 = :v12, #n20 = if_not_exists(#n20, :v13) ' +
      'REMOVE #n10, #n11, #n13, #n14, #n15, #n16, #n17',
    ConditionExpression: before ? '#n18 = :v14' : 'attribute_not_exists(#n21)',
    ExpressionAttributeNames: {
      '#n0': 'consent_status', '#n1': 'opted_out_at', '#n2': 'opt_out_deadline', '#n3': 'opt_out_latest_request_at',
      '#n4': 'opt_out_method', '#n5': 'opt_out_channel', '#n6': 'opt_out_rule', '#n7': 'opt_out_channels',
      '#n8': 'opt_out_categories', '#n9': 'opt_out_inbound_id', '#n10': 'opt_out_source', '#n11': 'opt_out_notes',
      '#n12': 'opt_out_pending', '#n13': 'opt_out_honored_at', '#n14': 'opt_out_list_synced_at',
      '#n15': 'opt_out_confirmation_claimed_at', '#n16': 'opt_out_confirmation_sent_at',
      '#n17': 'opt_out_confirmation_message_id', '#n18': 'version', '#n19': 'updated_at', '#n20': 'created_at',
      ...(before ? {} : { '#n21': 'phone_number' }),
    },
    ExpressionAttributeValues: {
      ':v0': S('opted_out'), ':v1': S(receivedAt), ':v2': S(deadline), ':v3': S(receivedAt), ':v4': S('sms'),
      ':v5': S('sms'), ':v6': S(rule), ':v7': { SS: ['email', 'sms', 'voice'] }, ':v8': S('all'), ':v9': S(id),
      ':v10': S('PENDING'), ':v11': N(version + 1), ':v12': S(now2), ':v13': S(now2),
      ...(before ? { ':v14': N(version) } : {}),
    },
    ReturnValues: 'ALL_NEW',
  }));
  actions.push('opted_out');
  const contact = recorded.Attributes;

  // 3. The consent event for the audit trail.
  await dynamodb.send(new PutItemCommand({
    TableName: config.messageLog,
    Item: {
      phone_number: S(phone), sk: S(`${receivedAt}#consent#${id}`), direction: S('consent'), event: S('opt_out'),
      channel: S('sms'), method: S('sms_keyword'), rule: S(rule), deadline: S(deadline), occurred_at: S(receivedAt),
      inbound_message_id: S(id), scope_categories: S('all'), scope_channels: { SS: ['email', 'sms', 'voice'] },
      superseded_by_opt_in: { BOOL: false }, ttl,
    },
    ConditionExpression: 'attribute_not_exists(#n0)',
    ExpressionAttributeNames: { '#n0': 'sk' },
  }));

  // 4. One confirmation, within 5 minutes of receipt, claimed on the contact and on the
  // inbound message so neither a redelivery nor a second opt-out sends twice.
  if (contact?.opt_out_inbound_id?.S === id && Date.now() - receivedMs < CONFIRMATION_WINDOW_MS) {
    await dynamodb.send(new UpdateItemCommand({
      TableName: config.contacts, Key: { phone_number: S(phone) },
      UpdateExpression: 'SET #n0 = :v0',
      ConditionExpression: 'attribute_not_exists(#n0) AND attribute_not_exists(#n2) AND #n1 = :v1',
      ExpressionAttributeNames: {
        '#n0': 'opt_out_confirmation_claimed_at', '#n1': 'opt_out_inbound_id', '#n2': 'opt_out_list_synced_at',
      },
      ExpressionAttributeValues: { ':v0': S(iso(Date.now())), ':v1': S(id) },
    }));
    await dynamodb.send(new UpdateItemCommand({
      TableName: config.messageLog, Key: { phone_number: S(phone), sk: S(sk) },
      UpdateExpression: 'SET #n0 = :v0',
      ConditionExpression: 'attribute_not_exists(#n0)',
      ExpressionAttributeNames: { '#n0': 'reply_claimed_at' },
      ExpressionAttributeValues: { ':v0': S(iso(Date.now())) },
    }));
    const body = `${config.program}: You are unsubscribed and will receive no more messages. ` +
      'Reply START to resubscribe.';
    const sent = await sms.send(new SendTextMessageCommand({
      DestinationPhoneNumber: phone, OriginationIdentity: config.origination, MessageBody: body,
      MessageType: 'TRANSACTIONAL', ConfigurationSetName: config.configurationSet,
    }));
    const sentAt = iso(Date.now());
    await dynamodb.send(new PutItemCommand({
      TableName: config.messageLog,
      Item: {
        phone_number: S(phone), sk: S(`${sentAt}#out#${sent.MessageId}`), direction: S('outbound'),
        kind: S('opt_out_confirmation'), in_reply_to: S(id), message_body: S(body), message_id: S(sent.MessageId),
        message_type: S('TRANSACTIONAL'), origination_identity: S(config.origination), sent_at: S(sentAt), ttl,
      },
    }));
    await dynamodb.send(new UpdateItemCommand({
      TableName: config.contacts, Key: { phone_number: S(phone) },
      UpdateExpression: 'SET #n1 = :v1 ADD #n0 :v0',
      ExpressionAttributeNames: { '#n0': 'message_count_out', '#n1': 'last_outbound_at' },
      ExpressionAttributeValues: { ':v0': N(1), ':v1': S(sentAt) },
    }));
    await dynamodb.send(new UpdateItemCommand({
      TableName: config.contacts, Key: { phone_number: S(phone) },
      UpdateExpression: 'SET #n0 = :v0, #n1 = :v1',
      ExpressionAttributeNames: { '#n0': 'opt_out_confirmation_sent_at', '#n1': 'opt_out_confirmation_message_id' },
      ExpressionAttributeValues: { ':v0': S(iso(Date.now())), ':v1': S(sent.MessageId) },
    }));
    actions.push('opt_out_confirmation_sent');
  }

  // 5. The End User Messaging opt-out list (after the confirmation: AWS refuses texts to listed numbers).
  await sms.send(new PutOptedOutNumberCommand({ OptOutListName: config.optOutList, OptedOutNumber: phone }));
  const now5 = iso(Date.now());
  await dynamodb.send(new UpdateItemCommand({
    TableName: config.contacts, Key: { phone_number: S(phone) },
    UpdateExpression: 'SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1), #n2 = :v2 REMOVE #n3 ADD #n4 :v3',
    ConditionExpression: '#n5 = :v4',
    ExpressionAttributeNames: {
      '#n0': 'opt_out_list_synced_at', '#n1': 'opt_out_honored_at', '#n2': 'updated_at', '#n3': 'opt_out_pending',
      '#n4': 'version', '#n5': 'consent_status',
    },
    ExpressionAttributeValues: { ':v0': S(now5), ':v1': S(now5), ':v2': S(now5), ':v3': N(1), ':v4': S('opted_out') },
  }));
  actions.push('opt_out_list_updated');

  // 6. Conversation counters, then the inbound message marked processed.
  await dynamodb.send(new UpdateItemCommand({
    TableName: config.contacts, Key: { phone_number: S(phone) },
    UpdateExpression: 'SET #n1 = :v1, #n2 = :v2, #n3 = :v3, #n4 = if_not_exists(#n4, :v4) ADD #n0 :v0',
    ConditionExpression: 'attribute_not_exists(#n2) OR #n2 <> :v5',
    ExpressionAttributeNames: {
      '#n0': 'message_count_in', '#n1': 'last_inbound_at', '#n2': 'last_counted_inbound',
      '#n3': 'conversation_state', '#n4': 'created_at',
    },
    ExpressionAttributeValues: {
      ':v0': N(1), ':v1': S(receivedAt), ':v2': S(sk), ':v3': S('opted_out'), ':v4': S(iso(Date.now())), ':v5': S(sk),
    },
  }));
  await dynamodb.send(new UpdateItemCommand({
    TableName: config.messageLog, Key: { phone_number: S(phone), sk: S(sk) },
    UpdateExpression: 'SET #n6 = :v5, #n5 = :v4, #n4 = :v3, #n3 = :v2, #n2 = :v1, #n1 = :v0 REMOVE #n0',
    ExpressionAttributeNames: {
      '#n0': 'lease_expires_at', '#n1': 'processed_at', '#n2': 'actions', '#n3': 'possible_revocation',
      '#n4': 'matched_rule', '#n5': 'intent', '#n6': 'processing_status',
    },
    ExpressionAttributeValues: {
      ':v0': S(iso(Date.now())), ':v1': S(actions.join(',')), ':v2': { BOOL: false }, ':v3': S(rule),
      ':v4': S('opt_out'), ':v5': S('processed'),
    },
  }));
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
