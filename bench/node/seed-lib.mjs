// What the bench's seed scripts share: the local stack's env file, a DynamoDB client on it, and
// writing many items in BatchWriteItem requests of 25 (4 at a time, unprocessed items resent).
// Benchmark only.
import fs from 'node:fs';

import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The KEY=VALUE lines of the local stack's env file, and a DynamoDB client on its endpoint. */
export function stack(envFile) {
  const env = Object.fromEntries(fs.readFileSync(envFile, 'utf8').split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const client = new DynamoDBClient({
    region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  return { env, client };
}

/** Writes `items` (DynamoDB wire form) to `table`. */
export async function putAll(client, table, items) {
  const batches = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  async function worker() {
    while (next < batches.length) {
      let request = { [table]: batches[next++].map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(request).length) {
        const r = await client.send(new BatchWriteItemCommand({ RequestItems: request }));
        request = r.UnprocessedItems ?? {};
      }
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker));
}
