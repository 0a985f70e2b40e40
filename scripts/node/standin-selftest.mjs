// Self-check of the SMS stand-in: starts it on a free port with a temporary
// state directory and asserts its main behaviours over real signed HTTP.
// Exit status 0 when every check passes, 1 otherwise.
//
//   node scripts/node/standin-selftest.mjs
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signJsonRequest } from './sigv4.mjs';
import { kSimulatorOutcomes, maskPhone, parseOutcomes, smsSegments, startStandin } from './sms-voice-standin.mjs';

const kList = 'selftest-opt-outs';
const kCreds = { region: 'us-east-1', accessKeyId: 'local', secretAccessKey: 'local' };

function http(port, { method = 'POST', path = '/', headers = {}, body = '' }) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Calls one PinpointSMSVoiceV2 operation with a valid SigV4 signature. */
function call(port, op, input, { service = 'sms-voice', contentType, mutate, sendBody } = {}) {
  const body = JSON.stringify(input);
  const headers = signJsonRequest({
    host: `127.0.0.1:${port}`, target: `PinpointSMSVoiceV2.${op}`, body, service, contentType, ...kCreds,
  });
  if (mutate) mutate(headers);
  return http(port, { headers, body: sendBody ?? body });
}

function expectError(res, status, code) {
  assert.equal(res.status, status, `HTTP status for ${code}: ${JSON.stringify(res.body)}`);
  assert.equal(res.headers['x-amzn-errortype'], code);
  assert.equal(res.body.__type, code);
  assert.ok(res.headers['x-amzn-requestid'], 'x-amzn-RequestId header');
}

/** The SMS events in <state>/events.jsonl, each unwrapped from its Lambda SNS event. */
function smsEventsIn(stateDir) {
  const text = readFileSync(join(stateDir, 'events.jsonl'), 'utf8');
  return text.split('\n').filter(Boolean).map((line) => {
    const event = JSON.parse(line);
    assert.equal(event.Records.length, 1, 'one record per Lambda SNS event');
    const [record] = event.Records;
    assert.equal(record.EventSource, 'aws:sns');
    assert.equal(record.Sns.Type, 'Notification');
    assert.match(record.Sns.MessageId, /^[0-9a-f-]{36}$/);
    assert.match(record.Sns.TopicArn, /^arn:aws:sns:us-east-1:\d{12}:sms-delivery-events$/);
    assert.equal(typeof record.Sns.Message, 'string', 'the SMS event is JSON text in Sns.Message');
    const sms = JSON.parse(record.Sns.Message);
    assert.equal(record.Sns.Timestamp, new Date(sms.eventTimestamp).toISOString());
    return sms;
  });
}

const checks = [];
const test = (name, fn) => checks.push({ name, fn });

test('helpers: masking and segment counts', () => {
  assert.equal(maskPhone('+14255551234'), '+1425***1234');
  assert.equal(smsSegments('a'.repeat(160)), 1);
  assert.equal(smsSegments('a'.repeat(161)), 2);
  assert.equal(smsSegments('é€'), 1);
  assert.equal(smsSegments(`${'a'.repeat(70)}😀`), 2);
});

test('validation errors name every bad field', async ({ port }) => {
  const res = await call(port, 'SendTextMessage', { DestinationPhoneNumber: '+0123', MessageBody: '', TimeToLive: 4, MessageType: 'SPAM' });
  expectError(res, 400, 'ValidationException');
  assert.equal(res.body.Reason, 'FIELD_VALIDATION_FAILED');
  assert.deepEqual(res.body.Fields.map((f) => f.Name).sort(), ['DestinationPhoneNumber', 'MessageBody', 'MessageType', 'TimeToLive']);
  const missing = await call(port, 'SendTextMessage', { MessageBody: 'hi' });
  expectError(missing, 400, 'ValidationException');
  assert.equal(missing.body.Reason, 'MISSING_PARAMETER');
  const ctx = await call(port, 'SendTextMessage', {
    DestinationPhoneNumber: '+14255550100', Context: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' }, MaxPrice: '1.234567',
  });
  assert.deepEqual(ctx.body.Fields.map((f) => f.Name).sort(), ['Context', 'MaxPrice']);
  const type = await call(port, 'SendTextMessage', { DestinationPhoneNumber: '+14255550100', DryRun: 'yes' });
  expectError(type, 400, 'SerializationException');
});

test('send appends one outbox line; DryRun does not', async ({ port, stateDir }) => {
  const res = await call(port, 'SendTextMessage', {
    DestinationPhoneNumber: '+14255550101', OriginationIdentity: '+12065550100', MessageBody: 'Reminder: tomorrow 9:00',
    MessageType: 'TRANSACTIONAL', ConfigurationSetName: 'sms-config-set', Context: { kind: 'reminder' }, TimeToLive: 3600,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.body.MessageId, /^[0-9a-f-]{36}$/);
  const dry = await call(port, 'SendTextMessage', { DestinationPhoneNumber: '+14255550101', MessageBody: 'x', DryRun: true });
  assert.equal(dry.status, 200);
  const lines = readFileSync(join(stateDir, 'outbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 1);
  assert.equal(lines[0].MessageId, res.body.MessageId);
  assert.equal(lines[0].DestinationPhoneNumber, '+14255550101');
  assert.deepEqual(lines[0].Context, { kind: 'reminder' });
  assert.equal(lines[0].segments, 1);
});

test('an accepted send publishes TEXT_SUCCESSFUL then TEXT_DELIVERED; DryRun publishes nothing', async ({ port, stateDir }) => {
  const events = smsEventsIn(stateDir);
  const [sent] = readFileSync(join(stateDir, 'outbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events.length, 2, 'two events for the one send of the check above, none for its DryRun');
  const [successful, delivered] = events;
  assert.deepEqual(events.map((e) => [e.eventType, e.messageStatus, e.isFinal]),
    [['TEXT_SUCCESSFUL', 'SUCCESSFUL', false], ['TEXT_DELIVERED', 'DELIVERED', true]]);
  for (const e of events) {
    assert.equal(e.eventVersion, '1.0');
    assert.equal(e.messageId, sent.MessageId);
    assert.equal(e.destinationPhoneNumber, '+14255550101');
    assert.equal(e.originationPhoneNumber, '+12065550100');
    assert.equal(e.isoCountryCode, 'US');
    assert.equal(e.messageEncoding, 'GSM');
    assert.equal(e.messageType, 'TRANSACTIONAL');
    assert.deepEqual(e.context, { kind: 'reminder' }, 'Context is echoed');
    assert.equal(e.totalMessageParts, 1);
    assert.equal(typeof e.totalMessagePrice, 'number');
    assert.ok(e.messageStatusDescription.length > 0);
    assert.equal(e.messageRequestTimestamp, Date.parse(sent.timestamp));
  }
  assert.ok(successful.eventTimestamp > successful.messageRequestTimestamp);
  assert.ok(delivered.eventTimestamp > successful.eventTimestamp, 'delivered after successful');
  assert.equal(successful.totalCarrierFee, 0);
  assert.ok(delivered.totalCarrierFee > 0, 'the carrier fee comes with delivery');

  const ucs2 = await call(port, 'SendTextMessage', { DestinationPhoneNumber: '+14255550105', MessageBody: `\u201cHi\u201d ${'x'.repeat(80)}` });
  assert.equal(ucs2.status, 200);
  const last = smsEventsIn(stateDir).at(-1);
  assert.equal(last.messageId, ucs2.body.MessageId);
  assert.equal(last.messageEncoding, 'UCS2');
  assert.equal(last.totalMessageParts, 2);
  assert.equal(last.totalMessagePrice, 2 * smsEventsIn(stateDir)[0].totalMessagePrice, 'price per part');
  assert.equal(last.messageType, 'TRANSACTIONAL', 'the default message type');
  assert.deepEqual(last.context, {});
});

test('the simulator numbers: success delivers, failure ends in one final failure event', async ({ port, stateDir }) => {
  const before = smsEventsIn(stateDir).length;
  const [success, failure] = Object.keys(kSimulatorOutcomes);
  const ok = await call(port, 'SendTextMessage', { DestinationPhoneNumber: success, MessageBody: 'hi' });
  const failed = await call(port, 'SendTextMessage', { DestinationPhoneNumber: failure, MessageBody: 'hi' });
  assert.equal(failed.status, 200, 'the failure comes as an event, not as an error of the send');
  const events = smsEventsIn(stateDir).slice(before);
  assert.deepEqual(events.map((e) => [e.messageId, e.eventType, e.isFinal]), [
    [ok.body.MessageId, 'TEXT_SUCCESSFUL', false], [ok.body.MessageId, 'TEXT_DELIVERED', true],
    [failed.body.MessageId, 'TEXT_CARRIER_UNREACHABLE', true]]);
  assert.equal(events[2].messageStatus, 'CARRIER_UNREACHABLE');
  assert.equal(events[2].totalCarrierFee, 0);
});

test('opted-out number: send fails with DESTINATION_PHONE_NUMBER_OPTED_OUT', async ({ port, stateDir }) => {
  const put = await call(port, 'PutOptedOutNumber', { OptOutListName: kList, OptedOutNumber: '+14255550102' });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.OptOutListName, kList);
  assert.equal(typeof put.body.OptedOutTimestamp, 'number');
  assert.equal(put.body.EndUserOptedOut, false);
  const again = await call(port, 'PutOptedOutNumber', { OptOutListName: kList, OptedOutNumber: '+14255550102' });
  assert.equal(again.body.OptedOutTimestamp, put.body.OptedOutTimestamp, 'put is idempotent');
  const res = await call(port, 'SendTextMessage', { DestinationPhoneNumber: '+14255550102', MessageBody: 'hello' });
  expectError(res, 400, 'ConflictException');
  assert.equal(res.body.Reason, 'DESTINATION_PHONE_NUMBER_OPTED_OUT');
  const file = JSON.parse(readFileSync(join(stateDir, 'opt-out-lists.json'), 'utf8'));
  assert.equal(file[kList]['+14255550102'].EndUserOptedOut, false);
  const unknown = await call(port, 'PutOptedOutNumber', { OptOutListName: 'no-such-list', OptedOutNumber: '+14255550102' });
  expectError(unknown, 400, 'ResourceNotFoundException');
  assert.equal(unknown.body.ResourceType, 'opt-out-list');
});

test('describe pages with MaxResults and NextToken', async ({ port }) => {
  for (let i = 0; i < 5; i++) await call(port, 'PutOptedOutNumber', { OptOutListName: kList, OptedOutNumber: `+1206555020${i}` });
  const seen = [];
  let token;
  let pages = 0;
  do {
    const res = await call(port, 'DescribeOptedOutNumbers', { OptOutListName: kList, MaxResults: 2, ...(token && { NextToken: token }) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.OptOutListArn.endsWith(`:opt-out-list/${kList}`));
    seen.push(...res.body.OptedOutNumbers.map((n) => n.OptedOutNumber));
    token = res.body.NextToken;
    pages += 1;
  } while (token);
  assert.equal(pages, 3);
  assert.equal(seen.length, 6);
  assert.equal(new Set(seen).size, 6);
  const filtered = await call(port, 'DescribeOptedOutNumbers', { OptOutListName: kList, OptedOutNumbers: ['+12065550201', '+19999999999'] });
  assert.deepEqual(filtered.body.OptedOutNumbers.map((n) => n.OptedOutNumber), ['+12065550201']);
  const bad = await call(port, 'DescribeOptedOutNumbers', { OptOutListName: kList, NextToken: 'garbage' });
  assert.equal(bad.body.Reason, 'INVALID_NEXT_TOKEN');
  const six = await call(port, 'DescribeOptedOutNumbers', { OptOutListName: kList, OptedOutNumbers: Array(6).fill('+12065550201') });
  expectError(six, 400, 'ValidationException');
});

test('delete: once per 30 days; absent number is not found', async ({ port }) => {
  const args = { OptOutListName: kList, OptedOutNumber: '+14255550102' };
  const first = await call(port, 'DeleteOptedOutNumber', args);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const absent = await call(port, 'DeleteOptedOutNumber', args);
  expectError(absent, 400, 'ResourceNotFoundException');
  assert.equal(absent.body.ResourceType, 'opted-out-number');
  await call(port, 'PutOptedOutNumber', args);
  const second = await call(port, 'DeleteOptedOutNumber', args);
  expectError(second, 400, 'ValidationException');
  assert.equal(second.body.Reason, 'PHONE_NUMBER_CANNOT_BE_OPTED_IN');
  await http(port, { path: '/_standin/clock', body: JSON.stringify({ offsetSeconds: 31 * 86400 }) });
  const later = await call(port, 'DeleteOptedOutNumber', args);
  assert.equal(later.status, 200, 'allowed again after 30 days');
  await http(port, { path: '/_standin/clock', body: '{"offsetSeconds":0}' });
});

test('authorization header checks', async ({ port }) => {
  const input = { DestinationPhoneNumber: '+14255550103', MessageBody: 'x' };
  expectError(await call(port, 'SendTextMessage', input, { mutate: (h) => delete h.authorization }), 403, 'MissingAuthenticationTokenException');
  expectError(await call(port, 'SendTextMessage', input, { mutate: (h) => { h.authorization = 'AWS4-HMAC-SHA256 Credential=local'; } }),
    400, 'IncompleteSignatureException');
  expectError(await call(port, 'SendTextMessage', input, { mutate: (h) => delete h['x-amz-date'] }), 400, 'IncompleteSignatureException');
  expectError(await call(port, 'SendTextMessage', input, { service: 'sms' }), 403, 'InvalidSignatureException');
  expectError(await call(port, 'SendTextMessage', input, { mutate: (h) => { h.authorization = h.authorization.replace(/Signature=\w+/, 'Signature=ABC'); } }),
    400, 'IncompleteSignatureException');
  // This self-test runs with --verify-signature: a tampered body must fail.
  const tampered = JSON.stringify({ ...input, MessageBody: 'y' });
  expectError(await call(port, 'SendTextMessage', input, { sendBody: tampered }), 403, 'InvalidSignatureException');
});

test('unknown operation, wrong content type', async ({ port }) => {
  expectError(await call(port, 'SendMediaMessage', {}), 400, 'UnknownOperationException');
  expectError(await call(port, 'SendTextMessage', {}, { contentType: 'application/json' }),
    400, 'SerializationException');
});

test('fault injection and reset', async ({ port, stateDir }) => {
  const fault = { operation: 'SendTextMessage', status: 500, code: 'InternalServerException', count: 2 };
  assert.equal((await http(port, { path: '/_standin/faults', body: JSON.stringify(fault) })).status, 200);
  const input = { DestinationPhoneNumber: '+14255550104', MessageBody: 'retry me' };
  expectError(await call(port, 'SendTextMessage', input), 500, 'InternalServerException');
  expectError(await call(port, 'SendTextMessage', input), 500, 'InternalServerException');
  assert.equal((await call(port, 'SendTextMessage', input)).status, 200);
  await http(port, { path: '/_standin/reset' });
  assert.equal(readFileSync(join(stateDir, 'outbox.jsonl'), 'utf8'), '');
  assert.equal(readFileSync(join(stateDir, 'events.jsonl'), 'utf8'), '');
  assert.deepEqual(JSON.parse(readFileSync(join(stateDir, 'opt-out-lists.json'), 'utf8')), { [kList]: {} });
});

test('per-number faults: only the named numbers fail, until cleared', async ({ port }) => {
  const failing = ['+14255550111', '14255550112'];
  const arm = { operation: 'PutOptedOutNumber', numbers: failing, status: 500, code: 'InternalServerException' };
  assert.equal((await http(port, { path: '/_standin/faults', body: JSON.stringify(arm) })).status, 200);
  const put = (n) => call(port, 'PutOptedOutNumber', { OptOutListName: kList, OptedOutNumber: n });
  for (let i = 0; i < 3; i++) {
    expectError(await put('+14255550111'), 500, 'InternalServerException');
    expectError(await put('+14255550112'), 500, 'InternalServerException');
  }
  assert.equal((await put('+14255550113')).status, 200, 'other numbers are not affected');
  const send = await call(port, 'SendTextMessage', { DestinationPhoneNumber: '+14255550111', MessageBody: 'hi' });
  assert.equal(send.status, 200, 'other operations are not affected');
  const once = { operation: 'PutOptedOutNumber', numbers: ['+14255550114'], status: 400, code: 'ThrottlingException', count: 1 };
  await http(port, { path: '/_standin/faults', body: JSON.stringify(once) });
  expectError(await put('+14255550114'), 400, 'ThrottlingException');
  assert.equal((await put('+14255550114')).status, 200, 'count limits a per-number fault');
  await http(port, { path: '/_standin/faults', body: JSON.stringify({ ...arm, clear: true }) });
  assert.equal((await put('+14255550111')).status, 200, 'cleared');
  assert.equal((await put('+14255550112')).status, 200, 'cleared');
  const bad = await http(port, { path: '/_standin/faults', body: JSON.stringify({ operation: 'PutOptedOutNumber', numbers: 'x' }) });
  assert.equal(bad.status, 400);
});

test('a burst of opt-outs is on file after a flush', async ({ port, stateDir }) => {
  const numbers = Array.from({ length: 300 }, (_, i) => `+1425555${String(1000 + i)}`);
  for (const n of numbers) assert.equal((await call(port, 'PutOptedOutNumber', { OptOutListName: kList, OptedOutNumber: n })).status, 200);
  assert.equal((await http(port, { path: '/_standin/flush' })).status, 200);
  const file = JSON.parse(readFileSync(join(stateDir, 'opt-out-lists.json'), 'utf8'));
  for (const n of numbers) assert.ok(file[kList][n], `${n} on file`);
});

// Last: its reset restarts the stand-in's write coalescing (Store.save), which checks that read
// the opt-out file without a flush must not meet.
test('outcomes: a configured number ends in its failure event until cleared; reset restores the start-up set', async ({ port, stateDir }) => {
  const control = (body) => http(port, { path: '/_standin/outcomes', body: JSON.stringify(body) });
  const spam = '+14255550131';
  assert.equal((await control({ numbers: [spam, '14255550132'], eventType: 'TEXT_SPAM' })).status, 200);
  assert.equal((await control({ numbers: [spam], eventType: 'TEXT_DELIVERED' })).status, 400, 'only failure types');
  assert.equal((await control({ numbers: 'x', eventType: 'TEXT_SPAM' })).status, 400);
  const listed = await http(port, { method: 'GET', path: '/_standin/outcomes' });
  assert.equal(listed.body[spam], 'TEXT_SPAM');
  assert.equal(listed.body['+14255550132'], 'TEXT_SPAM', 'numbers are stored in E.164');
  assert.equal(listed.body['+14255550199'], 'TEXT_BLOCKED', 'the start-up set (--outcomes)');
  const before = smsEventsIn(stateDir).length;
  const first = await call(port, 'SendTextMessage', { DestinationPhoneNumber: spam, MessageBody: 'offer' });
  await control({ numbers: [spam], clear: true });
  const second = await call(port, 'SendTextMessage', { DestinationPhoneNumber: spam, MessageBody: 'offer' });
  const blocked = await call(port, 'SendTextMessage', { DestinationPhoneNumber: '+14255550199', MessageBody: 'x' });
  assert.deepEqual(smsEventsIn(stateDir).slice(before).map((e) => [e.messageId, e.eventType, e.isFinal]), [
    [first.body.MessageId, 'TEXT_SPAM', true],
    [second.body.MessageId, 'TEXT_SUCCESSFUL', false], [second.body.MessageId, 'TEXT_DELIVERED', true],
    [blocked.body.MessageId, 'TEXT_BLOCKED', true]]);
  await control({ numbers: ['+14255550132'], eventType: 'TEXT_SPAM' });
  await http(port, { path: '/_standin/reset' });
  assert.equal(readFileSync(join(stateDir, 'events.jsonl'), 'utf8'), '', 'reset empties the events');
  const after = await http(port, { method: 'GET', path: '/_standin/outcomes' });
  assert.deepEqual(after.body, { '+14254147167': 'TEXT_CARRIER_UNREACHABLE', '+14255550199': 'TEXT_BLOCKED' });
  assert.throws(() => parseOutcomes('+14255550100=TEXT_DELIVERED'), /bad outcome/);
  assert.throws(() => parseOutcomes('14255550100'), /bad outcome/);
  assert.deepEqual(parseOutcomes(' 14255550100=TEXT_SPAM ,'), [['+14255550100', 'TEXT_SPAM']]);
});

async function main() {
  const stateDir = mkdtempSync(join(tmpdir(), 'standin-selftest-'));
  const { server, port } = await startStandin({
    port: 0, stateDir, listNames: [kList], verifySignature: true, quiet: true,
    outcomes: parseOutcomes('+14255550199=TEXT_BLOCKED'),
  });
  let failed = 0;
  try {
    for (const { name, fn } of checks) {
      try {
        await fn({ port, stateDir });
        console.log(`ok   ${name}`);
      } catch (err) {
        failed += 1;
        console.log(`FAIL ${name}\n     ${err.message.split('\n').join('\n     ')}`);
      }
    }
  } finally {
    server.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
  console.log(failed ? `${failed} of ${checks.length} checks failed` : `all ${checks.length} checks passed`);
  process.exitCode = failed ? 1 : 0;
}

main();
