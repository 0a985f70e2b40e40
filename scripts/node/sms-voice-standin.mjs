// A local stand-in for AWS End User Messaging SMS (API PinpointSMSVoiceV2,
// signing name sms-voice), speaking its AWS JSON 1.0 protocol. Integration
// tests point AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 here and read what was
// "sent" from <state>/outbox.jsonl, the opt-out lists from
// <state>/opt-out-lists.json, and the delivery events a configuration set's
// SNS event destination would publish from <state>/events.jsonl. Member
// constraints and error shapes follow the service model (botocore
// pinpoint-sms-voice-v2 2022-03-31). See README.md.
//
//   node sms-voice-standin.mjs [--port 8001] [--host 127.0.0.1] [--state-dir DIR]
//        [--opt-out-lists sms-opt-outs[,more]] [--region us-east-1]
//        [--account-id 000000000000] [--port-file F] [--pid-file F]
//        [--verify-signature] [--secret-access-key local] [--quiet]
//        [--outcomes +1NXXNXXXXXX=TEXT_SPAM[,...]] [--events-topic sms-delivery-events]
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { canonicalRequest, signature } from './sigv4.mjs';

const kService = 'sms-voice';
const kTargetPrefix = 'PinpointSMSVoiceV2.';
const kJsonType = 'application/x-amz-json-1.0';
const kThirtyDaysMs = 30 * 24 * 3600 * 1000;

// ---- member shapes (from the service model) ---------------------------------

const str = (min, max, pattern) => ({ type: 'string', min, max, pattern });
const PhoneNumber = str(1, 20, /^\+?[1-9][0-9]{1,18}$/);
const NameOrArn = str(1, 256, /^[A-Za-z0-9_:/-]+$/);
const FilterValue = str(1, 128, /^[/.:A-Za-z0-9_-]+$/);

/** Input shapes of the operations the stand-in serves: member -> shape. */
const kInputs = {
  SendTextMessage: {
    required: ['DestinationPhoneNumber'],
    members: {
      DestinationPhoneNumber: PhoneNumber,
      OriginationIdentity: str(1, 256, /^[A-Za-z0-9_:/+-]+$/),
      MessageBody: str(1, 1600, /^(?!\s*$)[\s\S]+$/),
      MessageType: { type: 'string', enum: ['TRANSACTIONAL', 'PROMOTIONAL'] },
      Keyword: str(1, 30, /^[ \S]+$/),
      ConfigurationSetName: NameOrArn,
      MaxPrice: str(2, 8, /^[0-9]{0,2}\.[0-9]{1,5}$/),
      TimeToLive: { type: 'integer', min: 5, max: 259200 },
      Context: {
        type: 'map', max: 5,
        key: str(1, 100, /^\S+$/),
        value: str(1, 800, /^(?!\s)[\s\S]+(?<!\s)$/),
      },
      DestinationCountryParameters: {
        type: 'map', max: 10,
        key: { type: 'string', enum: ['IN_TEMPLATE_ID', 'IN_ENTITY_ID'] },
        value: str(1, 64, /^\S+$/),
      },
      DryRun: { type: 'boolean' },
      ProtectConfigurationId: NameOrArn,
      MessageFeedbackEnabled: { type: 'boolean' },
    },
  },
  PutOptedOutNumber: {
    required: ['OptOutListName', 'OptedOutNumber'],
    members: { OptOutListName: NameOrArn, OptedOutNumber: PhoneNumber },
  },
  DeleteOptedOutNumber: {
    required: ['OptOutListName', 'OptedOutNumber'],
    members: { OptOutListName: NameOrArn, OptedOutNumber: PhoneNumber },
  },
  DescribeOptedOutNumbers: {
    required: ['OptOutListName'],
    members: {
      OptOutListName: NameOrArn,
      OptedOutNumbers: { type: 'list', max: 5, member: PhoneNumber },
      Filters: {
        type: 'list', max: 20,
        member: {
          type: 'structure', required: ['Name', 'Values'],
          members: {
            Name: { type: 'string', enum: ['end-user-opted-out'] },
            Values: { type: 'list', min: 1, max: 20, member: FilterValue },
          },
        },
      },
      NextToken: str(1, 1024, /^.+$/),
      MaxResults: { type: 'integer', min: 1, max: 100 },
    },
  },
};

// ---- errors -------------------------------------------------------------------

/** An error answered the AWS JSON 1.0 way: status, X-Amzn-ErrorType and a body. */
class AwsError extends Error {
  constructor(status, code, message, members = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.members = members;
  }
}

const validationError = (reason, fields, message) =>
  new AwsError(400, 'ValidationException', message, { Reason: reason, Fields: fields });
const notFound = (resourceType, resourceId) =>
  new AwsError(400, 'ResourceNotFoundException', `${resourceType} '${resourceId}' not found`,
    { ResourceType: resourceType, ResourceId: resourceId });
const serialization = (message) => new AwsError(400, 'SerializationException', message);

/**
 * Checks `value` against `shape`; collects constraint failures into `fields`
 * ({Name, Message}) and throws SerializationException for a wrong JSON type,
 * as AWS does before it validates constraints.
 */
function check(value, shape, path, fields) {
  const fail = (msg) => fields.push({ Name: path, Message: msg });
  switch (shape.type) {
    case 'string':
      if (typeof value !== 'string') throw serialization(`${path}: expected a string`);
      if (shape.enum && !shape.enum.includes(value)) {
        fail(`Value must be one of ${shape.enum.join(', ')}`);
      } else if (shape.min !== undefined && value.length < shape.min) {
        fail(`Value must have length greater than or equal to ${shape.min}`);
      } else if (shape.max !== undefined && value.length > shape.max) {
        fail(`Value must have length less than or equal to ${shape.max}`);
      } else if (shape.pattern && !shape.pattern.test(value)) {
        fail(`Value must satisfy regular expression pattern: ${shape.pattern.source}`);
      }
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serialization(`${path}: expected an integer`);
      if (value < shape.min) fail(`Value must be greater than or equal to ${shape.min}`);
      else if (value > shape.max) fail(`Value must be less than or equal to ${shape.max}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(`${path}: expected a boolean`);
      return;
    case 'list':
      if (!Array.isArray(value)) throw serialization(`${path}: expected a list`);
      if (shape.min !== undefined && value.length < shape.min) fail(`List must have at least ${shape.min} member(s)`);
      else if (value.length > shape.max) fail(`List must have at most ${shape.max} member(s)`);
      value.forEach((v, i) => check(v, shape.member, `${path}[${i}]`, fields));
      return;
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw serialization(`${path}: expected a map`);
      if (Object.keys(value).length > shape.max) fail(`Map must have at most ${shape.max} entries`);
      for (const [k, v] of Object.entries(value)) {
        check(k, shape.key, `${path}.key`, fields);
        check(v, shape.value, `${path}.${k}`, fields);
      }
      return;
    case 'structure':
      checkStructure(value, shape, path, fields);
      return;
    default:
      throw new Error(`unknown shape type ${shape.type}`);
  }
}

function checkStructure(value, shape, path, fields) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serialization(`${path || 'body'}: expected a JSON object`);
  }
  const prefix = path ? `${path}.` : '';
  for (const name of shape.required || []) {
    if (value[name] === undefined || value[name] === null) fields.push({ Name: `${prefix}${name}`, Message: 'Member is required' });
  }
  // Like AWS, members the model doesn't know are ignored.
  for (const [name, member] of Object.entries(shape.members)) {
    if (value[name] !== undefined && value[name] !== null) check(value[name], member, `${prefix}${name}`, fields);
  }
}

/** Validates an operation's input; throws ValidationException listing every failing field. */
function validateInput(op, input) {
  const fields = [];
  checkStructure(input, kInputs[op], '', fields);
  if (fields.length === 0) return;
  const onlyMissing = fields.every((f) => f.Message === 'Member is required');
  const detail = fields.map((f) => `${f.Name}: ${f.Message}`).join('; ');
  throw validationError(onlyMissing ? 'MISSING_PARAMETER' : 'FIELD_VALIDATION_FAILED', fields,
    `${fields.length} validation error${fields.length > 1 ? 's' : ''} detected: ${detail}`);
}

// ---- SigV4 header checks --------------------------------------------------

const kAuthRe = /^AWS4-HMAC-SHA256 Credential=([^,\s]*), ?SignedHeaders=([^,\s]*), ?Signature=([^,\s]*)$/;

/**
 * Checks the Authorization header's SigV4 form (not, by default, the signature
 * itself): credential scope, signed header list, signature syntax, X-Amz-Date.
 */
function checkAuth(req, body, cfg) {
  const auth = req.headers.authorization;
  const date = req.headers['x-amz-date'];
  if (!auth) throw new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (!auth.startsWith('AWS4-HMAC-SHA256 ')) {
    throw new AwsError(400, 'IncompleteSignatureException', `Unsupported or malformed Authorization header (only AWS4-HMAC-SHA256 is accepted): '${auth.split(' ')[0]}'`);
  }
  const m = kAuthRe.exec(auth.trim());
  if (!m) {
    throw new AwsError(400, 'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters, in that order, comma-separated");
  }
  const [, credential, signedHeaders, sig] = m;
  if (!date) {
    throw new AwsError(400, 'IncompleteSignatureException', "Authorization header requires the existence of a 'X-Amz-Date' header");
  }
  if (!/^\d{8}T\d{6}Z$/.test(date)) {
    throw new AwsError(400, 'IncompleteSignatureException', `X-Amz-Date must be in ISO-8601 basic format yyyymmddThhmmssZ; got '${date}'`);
  }
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) {
    throw new AwsError(400, 'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/aws4_request; got '${credential}'`);
  }
  const [, scopeDate, region, service, terminator] = parts;
  const problems = [];
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) problems.push(`Credential should be scoped to a valid region, not '${region}'.`);
  if (service !== kService) problems.push(`Credential should be scoped to correct service: '${kService}', not '${service}'.`);
  if (terminator !== 'aws4_request') problems.push(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  if (scopeDate !== date.slice(0, 8)) problems.push(`Date in Credential scope '${scopeDate}' does not match the date of X-Amz-Date '${date}'.`);
  if (problems.length) throw new AwsError(403, 'InvalidSignatureException', problems.join(' '));
  const names = signedHeaders.split(';');
  const sorted = [...names].sort();
  if (names.some((n) => n === '' || n !== n.toLowerCase()) || names.join(';') !== sorted.join(';') ||
      new Set(names).size !== names.length) {
    throw new AwsError(400, 'IncompleteSignatureException', `SignedHeaders must be lowercase, sorted and unique: '${signedHeaders}'`);
  }
  for (const required of ['host', 'x-amz-date']) {
    if (!names.includes(required)) throw new AwsError(403, 'InvalidSignatureException', `'${required}' must be a signed header in the AWS Authorization.`);
  }
  if (!/^[0-9a-f]{64}$/.test(sig)) {
    throw new AwsError(400, 'IncompleteSignatureException', 'Signature must be 64 lowercase hexadecimal characters');
  }
  if (cfg.verifySignature) {
    const [path, query = ''] = req.url.split('?');
    const canonical = canonicalRequest({ method: req.method, path, query, headers: req.headers, signedHeaders: names, body });
    const expected = signature({ secretAccessKey: cfg.secretAccessKey, date: scopeDate, region, service, amzDateValue: date, canonical });
    if (expected !== sig) {
      throw new AwsError(403, 'InvalidSignatureException',
        `The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'${canonical}'`);
    }
  }
}

// ---- state ----------------------------------------------------------------------

/** Masks a phone number for logs: +14255551234 -> +1425***1234. */
export function maskPhone(number) {
  const s = String(number ?? '');
  return s.length > 8 ? `${s.slice(0, 5)}***${s.slice(-4)}` : `***${s.slice(-2)}`;
}

const e164 = (n) => (n.startsWith('+') ? n : `+${n}`);

/** GSM-7 septets of a body (the extension table counts two), or null when it needs UCS-2. */
function gsmSeptets(body) {
  const basic = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡' +
    'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
  const extended = '\f^{}\\[~]|€';
  let septets = 0;
  for (const ch of body) {
    if (basic.includes(ch)) septets += 1;
    else if (extended.includes(ch)) septets += 2;
    else return null;
  }
  return septets;
}

/** SMS segments for a body: GSM-7 (160, or 153 per part) else UCS-2 (70, or 67 per part). */
export function smsSegments(body) {
  const septets = gsmSeptets(body);
  if (septets === null) {
    const units = body.length; // UTF-16 code units, what UCS-2 counts
    return units <= 70 ? 1 : Math.ceil(units / 67);
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

function writeAtomic(file, text) {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Opt-out lists, outbox and fault queue, with files under the state directory. */
class Store {
  constructor(cfg) {
    this.cfg = cfg;
    this.listsFile = join(cfg.stateDir, 'opt-out-lists.json');
    this.deletionsFile = join(cfg.stateDir, 'opt-out-deletions.json');
    this.outboxFile = join(cfg.stateDir, 'outbox.jsonl');
    this.eventsFile = join(cfg.stateDir, 'events.jsonl');
    this.faults = new Map();
    // Destination number -> the failure event type its sends end in (POST /_standin/outcomes);
    // the start-up set (simulator numbers, --outcomes) comes back on reset.
    this.outcomes = new Map(cfg.outcomes);
    this.clockOffsetMs = 0;
    this.lists = this.load(this.listsFile);
    this.deletions = this.load(this.deletionsFile);
    for (const name of cfg.listNames) this.lists[name] ??= {};
    this.save();
    if (!existsSync(this.outboxFile)) writeFileSync(this.outboxFile, '');
    if (!existsSync(this.eventsFile)) writeFileSync(this.eventsFile, '');
  }

  load(file) {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      if (err.code !== 'ENOENT') console.error(`warning: ignoring unreadable ${file}: ${err.message}`);
      return {};
    }
  }

  /**
   * Writes the lists to their files. Rewriting a big list on every change would make a run over
   * thousands of numbers quadratic, so when writes come faster than ten times their own cost they
   * are coalesced into one trailing write (at most that long later); POST /_standin/flush and
   * shutdown write at once. Small lists (a write well under 1 ms) are always written at once.
   */
  save() {
    const since = Date.now() - (this.lastSaveAt ?? 0);
    const window = 10 * (this.lastSaveMs ?? 0);
    if (since >= window) return this.flush();
    this.pendingSave ??= setTimeout(() => this.flush(), window - since);
    return undefined;
  }

  /** Writes any coalesced change now. */
  flush() {
    clearTimeout(this.pendingSave);
    this.pendingSave = null;
    const started = Date.now();
    writeAtomic(this.listsFile, `${JSON.stringify(this.lists, null, 2)}\n`);
    writeAtomic(this.deletionsFile, `${JSON.stringify(this.deletions, null, 2)}\n`);
    this.lastSaveAt = Date.now();
    this.lastSaveMs = this.lastSaveAt - started;
  }

  now() {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /**
   * Back to the state at start-up: configured lists empty, outbox and events empty, no faults,
   * the start-up outcomes only.
   */
  reset() {
    this.lists = Object.fromEntries(this.cfg.listNames.map((n) => [n, {}]));
    this.deletions = {};
    this.faults.clear();
    this.outcomes = new Map(this.cfg.outcomes);
    this.clockOffsetMs = 0;
    this.flush();
    writeFileSync(this.outboxFile, '');
    writeFileSync(this.eventsFile, '');
  }

  arn(name) {
    return `arn:aws:sms-voice:${this.cfg.region}:${this.cfg.accountId}:opt-out-list/${name}`;
  }

  /** The list named (or ARN'd) by `nameOrArn`, or ResourceNotFoundException. */
  list(nameOrArn) {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split('opt-out-list/').pop() : nameOrArn;
    if (!Object.hasOwn(this.lists, name)) throw notFound('opt-out-list', nameOrArn);
    return { name, entries: this.lists[name] };
  }

  appendOutbox(record) {
    appendFileSync(this.outboxFile, `${JSON.stringify(record)}\n`);
  }

  /** Appends one Lambda SNS event per SMS event (see snsEvent), in the order given. */
  appendEvents(events) {
    appendFileSync(this.eventsFile, events.map((e) => `${JSON.stringify(snsEvent(e, this.cfg))}\n`).join(''));
  }
}

// ---- delivery events (a configuration set's SNS event destination) ---------------

/**
 * What each SMS event type says (AWS End User Messaging SMS User Guide, "Event types for SMS,
 * MMS, and voice"): messageStatus is the type without TEXT_, the description is ours. The
 * stand-in emits TEXT_SUCCESSFUL (not final) then TEXT_DELIVERED (final) for a normal send, or
 * one final failure event for a number in the outcome set.
 */
export const kEventTypes = {
  TEXT_SUCCESSFUL: 'Message has been accepted by phone carrier',
  TEXT_DELIVERED: 'Message has been delivered to the recipient',
  TEXT_QUEUED: 'Message is queued for delivery',
  TEXT_PENDING: 'Message is being delivered',
  TEXT_BLOCKED: "The recipient's device or carrier is blocking messages to this number",
  TEXT_TTL_EXPIRED: 'Message was not delivered within its TimeToLive',
  TEXT_CARRIER_UNREACHABLE: "A transient error on the recipient's carrier network",
  TEXT_INVALID: 'The destination phone number is not valid',
  TEXT_INVALID_MESSAGE: 'The message body is not valid',
  TEXT_CARRIER_BLOCKED: "The recipient's carrier blocked the message",
  TEXT_UNREACHABLE: "The recipient's device is not reachable",
  TEXT_SPAM: "The recipient's carrier identified the message as spam",
  TEXT_UNKNOWN: 'The message could not be delivered for an unknown reason',
  TEXT_PROTECT_BLOCKED: 'The message was blocked by a protect configuration',
};
const kFailureTypes = Object.keys(kEventTypes).filter((t) => !['TEXT_SUCCESSFUL', 'TEXT_DELIVERED', 'TEXT_QUEUED', 'TEXT_PENDING'].includes(t));

/**
 * The US destination simulator numbers (AWS End User Messaging SMS User Guide, "Simulator phone
 * numbers"): one ends in success, the other in failure. AWS does not document which failure
 * event the failure number gives; the stand-in uses TEXT_CARRIER_UNREACHABLE.
 */
export const kSimulatorOutcomes = { '+14254147755': null, '+14254147167': 'TEXT_CARRIER_UNREACHABLE' };

// Illustrative figures (USD per part), not AWS's price list: a price on every part sent, a carrier
// fee on parts delivered.
const kPricePerPart = 0.00581;
const kCarrierFeePerPart = 0.00302;
const money = (x) => Math.round(x * 100000) / 100000;

/** Parses "+1...=TEXT_SPAM,+1...=TEXT_BLOCKED" into [number, eventType] pairs; throws on a bad entry. */
export function parseOutcomes(text) {
  const out = [];
  for (const entry of String(text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [number, type] = entry.split('=').map((x) => x?.trim());
    if (!number || !PhoneNumber.pattern.test(number) || !kFailureTypes.includes(type)) {
      throw new Error(`bad outcome '${entry}': expected <E.164 number>=<failure event type> (${kFailureTypes.join(', ')})`);
    }
    out.push([e164(number), type]);
  }
  return out;
}

/**
 * The SMS events of one accepted send (the JSON an event destination publishes; AWS End User
 * Messaging SMS User Guide, "Example event data"): TEXT_SUCCESSFUL then TEXT_DELIVERED, or the
 * number's failure event alone. Times are epoch milliseconds after the request.
 */
function smsEvents({ messageId, input, failure, requestedAt }) {
  const body = input.MessageBody ?? '';
  const parts = smsSegments(body);
  const dest = e164(input.DestinationPhoneNumber);
  const base = {
    eventVersion: '1.0',
    originationPhoneNumber: input.OriginationIdentity ?? '',
    destinationPhoneNumber: dest,
    ...(dest.startsWith('+1') && { isoCountryCode: 'US' }),
    isInternationalSend: false,
    messageId,
    messageRequestTimestamp: requestedAt,
    messageEncoding: gsmSeptets(body) === null ? 'UCS2' : 'GSM',
    messageType: input.MessageType ?? 'TRANSACTIONAL',
    context: input.Context ?? {},
    totalMessageParts: parts,
    totalMessagePrice: money(parts * kPricePerPart),
  };
  const event = (type, offsetMs, isFinal, carrierFee) => ({
    eventType: type,
    eventTimestamp: requestedAt + offsetMs,
    isFinal,
    ...base,
    messageStatus: type.slice('TEXT_'.length),
    messageStatusDescription: kEventTypes[type],
    totalCarrierFee: money(carrierFee),
  });
  if (failure) return [event(failure, 400, true, 0)];
  return [event('TEXT_SUCCESSFUL', 300, false, 0), event('TEXT_DELIVERED', 1200, true, parts * kCarrierFeePerPart)];
}

/**
 * One SMS event as SNS delivers it to a Lambda function subscribed to the event destination's
 * topic: a whole Lambda SNS event with one record (Lambda invokes once per SNS message), the SMS
 * event as JSON text in Sns.Message. Signature fields are placeholders.
 */
function snsEvent(smsEvent, cfg) {
  const topicArn = `arn:aws:sns:${cfg.region}:${cfg.accountId}:${cfg.eventsTopic}`;
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: topicArn,
        Subject: null,
        Message: JSON.stringify(smsEvent),
        Timestamp: new Date(smsEvent.eventTimestamp).toISOString(),
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.example.invalid/cert.pem',
        UnsubscribeUrl: 'https://sns.example.invalid/unsubscribe',
        MessageAttributes: {},
      },
    }],
  };
}

// ---- operations ---------------------------------------------------------------

const epochSeconds = (iso) => Date.parse(iso) / 1000;

function numberInfo(number, entry) {
  return {
    OptedOutNumber: number,
    OptedOutTimestamp: epochSeconds(entry.OptedOutTimestamp),
    EndUserOptedOut: entry.EndUserOptedOut,
  };
}

const kOperations = {
  SendTextMessage(input, store, log) {
    const dest = e164(input.DestinationPhoneNumber);
    // The origination identity's opt-out list is the first one configured.
    const sendList = store.cfg.listNames[0];
    if (sendList && store.lists[sendList]?.[dest]) {
      throw new AwsError(400, 'ConflictException', 'The destination phone number is opted out',
        { Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ResourceType: 'opted-out-number', ResourceId: dest });
    }
    const messageId = randomUUID();
    const body = input.MessageBody ?? '';
    if (input.DryRun === true) {
      log(`dry run: not sent to ${maskPhone(dest)} (${smsSegments(body)} segment(s))`);
      return { MessageId: messageId };
    }
    const now = store.now();
    store.appendOutbox({
      timestamp: now.toISOString(),
      MessageId: messageId,
      DestinationPhoneNumber: input.DestinationPhoneNumber,
      OriginationIdentity: input.OriginationIdentity ?? null,
      MessageBody: input.MessageBody ?? null,
      MessageType: input.MessageType ?? null,
      ConfigurationSetName: input.ConfigurationSetName ?? null,
      Keyword: input.Keyword ?? null,
      Context: input.Context ?? null,
      TimeToLive: input.TimeToLive ?? null,
      MaxPrice: input.MaxPrice ?? null,
      segments: smsSegments(body),
    });
    const failure = store.outcomes.get(dest) ?? null;
    store.appendEvents(smsEvents({ messageId, input, failure, requestedAt: now.getTime() }));
    log(`sent to ${maskPhone(dest)} id=${messageId} (${smsSegments(body)} segment(s))${failure ? `, ends in ${failure}` : ''}`);
    return { MessageId: messageId };
  },

  PutOptedOutNumber(input, store, log) {
    const { name, entries } = store.list(input.OptOutListName);
    const number = e164(input.OptedOutNumber);
    if (!entries[number]) {
      entries[number] = { OptedOutTimestamp: store.now().toISOString(), EndUserOptedOut: false };
      store.save();
    }
    log(`opted out ${maskPhone(number)} on ${name}`);
    return { OptOutListArn: store.arn(name), OptOutListName: name, ...numberInfo(number, entries[number]) };
  },

  DeleteOptedOutNumber(input, store, log) {
    const { name, entries } = store.list(input.OptOutListName);
    const number = e164(input.OptedOutNumber);
    const entry = entries[number];
    if (!entry) throw notFound('opted-out-number', input.OptedOutNumber);
    const last = store.deletions[name]?.[number];
    if (last && store.now().getTime() - Date.parse(last) < kThirtyDaysMs) {
      // AWS allows one deletion per number per 30 days; this is the model's reason for it.
      throw validationError('PHONE_NUMBER_CANNOT_BE_OPTED_IN',
        [{ Name: 'OptedOutNumber', Message: `Number was removed from the list at ${last}; it can be removed once every 30 days` }],
        'The phone number can only be removed from an opt-out list once every 30 days');
    }
    delete entries[number];
    (store.deletions[name] ??= {})[number] = store.now().toISOString();
    store.save();
    log(`removed ${maskPhone(number)} from ${name}`);
    return { OptOutListArn: store.arn(name), OptOutListName: name, ...numberInfo(number, entry) };
  },

  DescribeOptedOutNumbers(input, store) {
    const { name, entries } = store.list(input.OptOutListName);
    let numbers = Object.keys(entries).sort();
    if (input.OptedOutNumbers?.length) {
      const wanted = new Set(input.OptedOutNumbers.map(e164));
      numbers = numbers.filter((n) => wanted.has(n));
    }
    for (const f of input.Filters ?? []) {
      if (f.Values.some((v) => v !== 'true' && v !== 'false')) {
        throw validationError('INVALID_FILTER_VALUES', [{ Name: 'Filters', Message: "end-user-opted-out takes 'true' or 'false'" }],
          "Filter end-user-opted-out takes the values 'true' or 'false'");
      }
      numbers = numbers.filter((n) => f.Values.includes(String(entries[n].EndUserOptedOut)));
    }
    // The token is a cursor (the last number returned), so paging survives changes to the list.
    if (input.NextToken !== undefined) {
      let cursor;
      try {
        const token = JSON.parse(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
        if (token.list !== name || typeof token.after !== 'string') throw new Error('foreign token');
        cursor = token.after;
      } catch {
        throw validationError('INVALID_NEXT_TOKEN', [{ Name: 'NextToken', Message: 'Invalid NextToken' }], 'Invalid NextToken');
      }
      numbers = numbers.filter((n) => n > cursor);
    }
    const max = input.MaxResults ?? 100;
    const page = numbers.slice(0, max);
    const out = {
      OptOutListArn: store.arn(name),
      OptOutListName: name,
      OptedOutNumbers: page.map((n) => numberInfo(n, entries[n])),
    };
    if (numbers.length > max) {
      out.NextToken = Buffer.from(JSON.stringify({ list: name, after: page.at(-1) })).toString('base64url');
    }
    return out;
  },
};

// ---- HTTP -------------------------------------------------------------------------

function send(res, status, payload, headers = {}) {
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': kJsonType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': res.requestId,
    ...headers,
  });
  res.end(body);
}

function sendError(res, err) {
  // Both spellings of the message: the model's member is "Message", many clients read "message".
  send(res, err.status, { __type: err.code, message: err.message, Message: err.message, ...err.members },
    { 'X-Amzn-ErrorType': err.code });
}

/** Control endpoints for tests (not part of AWS): faults, outcomes, reset, flush, clock, health. */
function control(req, res, path, body, store, log) {
  const parse = () => {
    try { return body ? JSON.parse(body) : {}; } catch { throw serialization('control body must be JSON'); }
  };
  if (req.method === 'GET' && path === '/_standin/health') return send(res, 200, { ok: true, lists: Object.keys(store.lists) });
  if (req.method === 'GET' && path === '/_standin/faults') return send(res, 200, Object.fromEntries(store.faults));
  if (req.method === 'GET' && path === '/_standin/outcomes') return send(res, 200, Object.fromEntries(store.outcomes));
  if (req.method !== 'POST') throw new AwsError(404, 'UnknownOperationException', `no control endpoint ${req.method} ${path}`);
  if (path === '/_standin/flush') {
    store.flush();
    return send(res, 200, { ok: true });
  }
  if (path === '/_standin/reset') {
    store.reset();
    log('state reset');
    return send(res, 200, { ok: true });
  }
  if (path === '/_standin/faults') {
    const f = parse();
    const op = f.operation ?? '*';
    const fault = {
      status: Number.isInteger(f.status) ? f.status : 500,
      code: f.code ?? 'InternalServerException',
      count: Number.isInteger(f.count) && f.count > 0 ? f.count : 1,
      message: f.message ?? 'injected fault',
      members: f.members ?? {},
      delayMs: Number.isInteger(f.delayMs) ? f.delayMs : 0,
    };
    if (op !== '*' && !kOperations[op]) throw serialization(`unknown operation '${op}'`);
    if (f.numbers !== undefined) {
      // Per-number faults: only calls naming one of these numbers fail, each up to `count`
      // times (default: until cleared with {"operation", "numbers", "clear": true} or reset).
      if (!Array.isArray(f.numbers) || f.numbers.some((n) => typeof n !== 'string')) {
        throw serialization('numbers must be a list of phone numbers');
      }
      if (!Number.isInteger(f.count)) fault.count = Infinity;
      for (const n of f.numbers) {
        const key = `${op}|${e164(n)}`;
        if (f.clear === true) store.faults.delete(key);
        else store.faults.set(key, [{ ...fault }]);
      }
      log(`${f.clear === true ? 'cleared' : 'armed'} ${op} fault for ${f.numbers.length} number(s)`);
      return send(res, 200, { ok: true });
    }
    store.faults.set(op, [...(store.faults.get(op) ?? []), fault]);
    log(`fault armed: ${op} -> ${fault.status} ${fault.code} x${fault.count}${fault.delayMs ? ` after ${fault.delayMs} ms` : ''}`);
    return send(res, 200, { ok: true });
  }
  if (path === '/_standin/outcomes') {
    // {"numbers": [...], "eventType": "TEXT_SPAM"}: sends to these numbers end in that failure
    // event; {"numbers": [...], "clear": true}: they end in TEXT_DELIVERED again.
    const f = parse();
    if (!Array.isArray(f.numbers) || f.numbers.some((n) => typeof n !== 'string' || !PhoneNumber.pattern.test(n))) {
      throw serialization('numbers must be a list of phone numbers');
    }
    if (f.clear !== true && !kFailureTypes.includes(f.eventType)) {
      throw serialization(`eventType must be one of ${kFailureTypes.join(', ')}`);
    }
    for (const n of f.numbers) {
      if (f.clear === true) store.outcomes.delete(e164(n));
      else store.outcomes.set(e164(n), f.eventType);
    }
    log(`${f.clear === true ? 'cleared' : `set ${f.eventType}`} outcome for ${f.numbers.length} number(s)`);
    return send(res, 200, { ok: true });
  }
  if (path === '/_standin/clock') {
    const { offsetSeconds = 0 } = parse();
    if (typeof offsetSeconds !== 'number') throw serialization('offsetSeconds must be a number');
    store.clockOffsetMs = offsetSeconds * 1000;
    log(`clock offset ${offsetSeconds} s`);
    return send(res, 200, { ok: true, now: store.now().toISOString() });
  }
  throw new AwsError(404, 'UnknownOperationException', `no control endpoint POST ${path}`);
}

/** The number an operation is about (destination or opted-out number), if any. */
function numberOf(body) {
  try {
    const input = JSON.parse(body);
    const n = input.DestinationPhoneNumber ?? input.OptedOutNumber;
    return typeof n === 'string' ? e164(n) : null;
  } catch {
    return null;
  }
}

/** Takes the next armed fault for `op` (a per-number one first), if any. */
function takeFault(store, op, number) {
  const keys = number ? [`${op}|${number}`, op, '*'] : [op, '*'];
  for (const key of keys) {
    const queue = store.faults.get(key);
    if (!queue?.length) continue;
    const fault = queue[0];
    fault.count -= 1;
    if (fault.count <= 0) queue.shift();
    if (!queue.length) store.faults.delete(key);
    return fault;
  }
  return null;
}

async function handle(req, res, body, store, cfg) {
  res.requestId = randomUUID();
  const started = Date.now();
  const [path] = req.url.split('?');
  let op = '-';
  const log = (msg) => cfg.quiet || console.log(`${new Date().toISOString()} ${res.requestId.slice(0, 8)} ${op} ${msg}`);
  try {
    if (path.startsWith('/_standin/')) return control(req, res, path, body, store, log);
    if (req.method !== 'POST' || path !== '/') {
      throw new AwsError(404, 'UnknownOperationException', `${req.method} ${path} is not an operation; use POST /`);
    }
    checkAuth(req, body, cfg);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
    if (contentType !== kJsonType) {
      throw serialization(`Content-Type must be ${kJsonType}, got '${contentType}'`);
    }
    const target = req.headers['x-amz-target'] ?? '';
    op = target.startsWith(kTargetPrefix) ? target.slice(kTargetPrefix.length) : target || '-';
    if (!target.startsWith(kTargetPrefix) || !kOperations[op]) {
      throw new AwsError(400, 'UnknownOperationException', `Unknown operation '${target}'`);
    }
    const fault = takeFault(store, op, numberOf(body));
    if (fault) {
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      throw new AwsError(fault.status, fault.code, fault.message,
        fault.code === 'InternalServerException' ? { RequestId: res.requestId, ...fault.members } : fault.members);
    }
    let input;
    try {
      input = body.trim() ? JSON.parse(body) : {};
    } catch {
      throw serialization('Request body is not valid JSON');
    }
    validateInput(op, input);
    const out = kOperations[op](input, store, log);
    send(res, 200, out);
    log(`200 (${Date.now() - started} ms)`);
  } catch (err) {
    if (!(err instanceof AwsError)) {
      console.error(err);
      err = new AwsError(500, 'InternalServerException', 'stand-in failure', { RequestId: res.requestId });
    }
    sendError(res, err);
    const fields = err.members.Fields ? ` ${err.members.Fields.map((f) => f.Name).join(',')}` : '';
    log(`${err.status} ${err.code}${err.members.Reason ? ` ${err.members.Reason}` : ''}${fields}`);
  }
}

/** Starts the stand-in; resolves to {server, port, store} once it listens. */
export function startStandin(options = {}) {
  const cfg = {
    host: '127.0.0.1',
    port: 8001,
    stateDir: resolve('.local-stack'),
    listNames: ['sms-opt-outs'],
    region: 'us-east-1',
    accountId: '000000000000',
    verifySignature: false,
    secretAccessKey: 'local',
    quiet: false,
    eventsTopic: 'sms-delivery-events',
    ...options,
  };
  // The simulator's failure number, then what the caller adds (a number given twice: the last wins).
  cfg.outcomes = new Map([
    ...Object.entries(kSimulatorOutcomes).filter(([, type]) => type),
    ...(options.outcomes ?? []),
  ]);
  mkdirSync(cfg.stateDir, { recursive: true });
  const store = new Store(cfg);
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8'), store, cfg));
  });
  return new Promise((resolveStart, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolveStart({ server, port: server.address().port, store }));
  });
}

async function main() {
  const { values: opt } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.LOCAL_STACK_SMS_PORT || '8001' },
      host: { type: 'string', default: '127.0.0.1' },
      'state-dir': { type: 'string', default: process.env.LOCAL_STACK_DIR || '.local-stack' },
      'opt-out-lists': { type: 'string', default: process.env.OPT_OUT_LIST_NAME || 'sms-opt-outs' },
      region: { type: 'string', default: process.env.AWS_REGION || 'us-east-1' },
      'account-id': { type: 'string', default: process.env.LOCAL_STACK_ACCOUNT_ID || '000000000000' },
      'port-file': { type: 'string' },
      'pid-file': { type: 'string' },
      'verify-signature': { type: 'boolean', default: process.env.SMS_STANDIN_VERIFY_SIGNATURE === '1' },
      'secret-access-key': { type: 'string', default: process.env.AWS_SECRET_ACCESS_KEY || 'local' },
      outcomes: { type: 'string', default: process.env.SMS_STANDIN_OUTCOMES || '' },
      'events-topic': { type: 'string', default: process.env.SMS_STANDIN_EVENTS_TOPIC || 'sms-delivery-events' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const listNames = opt['opt-out-lists'].split(',').map((s) => s.trim()).filter(Boolean);
  const { port, store } = await startStandin({
    host: opt.host, port: Number(opt.port), stateDir: resolve(opt['state-dir']), listNames,
    region: opt.region, accountId: opt['account-id'], verifySignature: opt['verify-signature'],
    secretAccessKey: opt['secret-access-key'], quiet: opt.quiet,
    outcomes: parseOutcomes(opt.outcomes), eventsTopic: opt['events-topic'],
  });
  if (opt['pid-file']) writeAtomic(opt['pid-file'], `${process.pid}\n`);
  if (opt['port-file']) writeAtomic(opt['port-file'], `${port}\n`);
  console.log(`sms-voice stand-in listening on http://${opt.host}:${port}; state in ${resolve(opt['state-dir'])}; ` +
    `opt-out lists ${listNames.join(', ')}; delivery events in events.jsonl` +
    `${opt['verify-signature'] ? '; verifying signatures' : ''}`);
  for (const sig of ['SIGTERM', 'SIGINT']) {
    process.on(sig, () => {
      store.flush();
      process.exit(0);
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(`sms-voice-standin: ${err.message}`);
    process.exit(1);
  });
}
