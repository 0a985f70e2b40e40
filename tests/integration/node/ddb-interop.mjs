// Reads and writes DynamoDB items with the official AWS SDK for JavaScript v3
// (@aws-sdk/client-dynamodb, low-level client), for the C++ client's interop
// tests. Items cross the process boundary in DynamoDB's wire JSON form, binary
// as base64; the SDK itself does the (de)serialisation in between.
//
//   node ddb-interop.mjs get <endpoint> <table> '<key wire JSON>'   -> the item (wire JSON) or null
//   node ddb-interop.mjs put <endpoint> <table> '<item wire JSON>'
//
// Region and credentials: AWS_REGION (default us-east-1); any key works locally.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../../scripts/node/package.json'));
const { DynamoDBClient, GetItemCommand, PutItemCommand } = require('@aws-sdk/client-dynamodb');

// wire JSON (base64 binary) -> SDK AttributeValue (Uint8Array binary)
function toSdk(value) {
  const [[type, v]] = Object.entries(value);
  switch (type) {
    case 'B': return { B: Uint8Array.from(Buffer.from(v, 'base64')) };
    case 'BS': return { BS: v.map((b) => Uint8Array.from(Buffer.from(b, 'base64'))) };
    case 'M': return { M: mapOf(v, toSdk) };
    case 'L': return { L: v.map(toSdk) };
    default: return { [type]: v };
  }
}

// SDK AttributeValue -> wire JSON
function toWire(value) {
  const [type, v] = Object.entries(value).find(([, x]) => x !== undefined);
  switch (type) {
    case 'B': return { B: Buffer.from(v).toString('base64') };
    case 'BS': return { BS: v.map((b) => Buffer.from(b).toString('base64')) };
    case 'M': return { M: mapOf(v, toWire) };
    case 'L': return { L: v.map(toWire) };
    default: return { [type]: v };
  }
}

const mapOf = (object, fn) => Object.fromEntries(Object.entries(object).map(([k, v]) => [k, fn(v)]));

const [op, endpoint, table, json] = process.argv.slice(2);
const client = new DynamoDBClient({
  endpoint,
  region: process.env.AWS_REGION ?? 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  maxAttempts: 2,
});
if (op === 'get') {
  const out = await client.send(new GetItemCommand({ TableName: table, Key: mapOf(JSON.parse(json), toSdk), ConsistentRead: true }));
  process.stdout.write(JSON.stringify(out.Item ? mapOf(out.Item, toWire) : null));
} else if (op === 'put') {
  await client.send(new PutItemCommand({ TableName: table, Item: mapOf(JSON.parse(json), toSdk) }));
} else {
  console.error('usage: ddb-interop.mjs get|put <endpoint> <table> <json>');
  process.exit(2);
}
