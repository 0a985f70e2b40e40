// Creates the project's DynamoDB tables (tables.json) in a local DynamoDB such
// as dynalite, and waits until each is ACTIVE. Idempotent: a table that
// already exists is left as it is. Table names come from CONTACTS_TABLE,
// MESSAGE_LOG_TABLE and APPOINTMENTS_TABLE (defaults in tables.json).
//
//   node create-tables.mjs --endpoint http://127.0.0.1:8000 [--region us-east-1]
//                          [--delete-all]   (first delete every table: an empty store)
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { signJsonRequest } from './sigv4.mjs';

/** Calls one DynamoDB JSON 1.0 operation; resolves to {status, body}. */
export function callDynamo(endpoint, op, payload, region = 'us-east-1') {
  const url = new URL(endpoint);
  const body = JSON.stringify(payload);
  // dynalite checks the Authorization header's shape only; a real signature costs nothing.
  const headers = signJsonRequest({
    host: url.host, target: `DynamoDB_20120810.${op}`, body, region, service: 'dynamodb',
    accessKeyId: process.env.AWS_ACCESS_KEY_ID || 'local',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || 'local',
  });
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: url.port, path: '/', method: 'POST', headers, timeout: 10000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('end', () => {
          let parsed = {};
          try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = { raw: text }; }
          resolve({ status: res.statusCode, body: parsed });
        });
      });
    req.on('timeout', () => req.destroy(new Error(`${op}: no answer from ${endpoint} within 10 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

function errorCode(body) {
  return String(body.__type || '').split('#').pop();
}

/** The table definitions with names resolved from the environment. */
export function tableDefinitions(file = new URL('./tables.json', import.meta.url)) {
  const { tables } = JSON.parse(readFileSync(file, 'utf8'));
  return tables.map((t) => ({ ...t, name: process.env[t.env] || t.default }));
}

async function waitActive(endpoint, region, name) {
  for (let i = 0; i < 100; i++) {
    const { status, body } = await callDynamo(endpoint, 'DescribeTable', { TableName: name }, region);
    if (status === 200 && body.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${name} did not become ACTIVE within 10 s`);
}

async function deleteAll(endpoint, region) {
  const { body } = await callDynamo(endpoint, 'ListTables', {}, region);
  for (const name of body.TableNames || []) {
    const res = await callDynamo(endpoint, 'DeleteTable', { TableName: name }, region);
    if (res.status !== 200 && errorCode(res.body) !== 'ResourceNotFoundException') {
      throw new Error(`DeleteTable ${name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
    for (let i = 0; i < 100; i++) {
      const d = await callDynamo(endpoint, 'DescribeTable', { TableName: name }, region);
      if (errorCode(d.body) === 'ResourceNotFoundException') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    console.error(`deleted table ${name}`);
  }
}

async function main() {
  const { values: opt } = parseArgs({
    options: {
      endpoint: { type: 'string', default: process.env.AWS_ENDPOINT_URL_DYNAMODB || 'http://127.0.0.1:8000' },
      region: { type: 'string', default: process.env.AWS_REGION || 'us-east-1' },
      'delete-all': { type: 'boolean', default: false },
    },
  });
  if (opt['delete-all']) await deleteAll(opt.endpoint, opt.region);
  for (const t of tableDefinitions()) {
    const res = await callDynamo(opt.endpoint, 'CreateTable', { TableName: t.name, ...t.create }, opt.region);
    if (res.status === 200) {
      console.error(`created table ${t.name}`);
    } else if (errorCode(res.body) === 'ResourceInUseException') {
      console.error(`table ${t.name} exists`);
    } else {
      throw new Error(`CreateTable ${t.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
    await waitActive(opt.endpoint, opt.region, t.name);
    if (t.timeToLiveAttribute) {
      console.error(`table ${t.name}: TTL on '${t.timeToLiveAttribute}' skipped (dynalite has no UpdateTimeToLive)`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(`create-tables: ${err.message}`);
    process.exit(1);
  });
}
