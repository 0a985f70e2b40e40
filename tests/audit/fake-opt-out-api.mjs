#!/usr/bin/env node
// A stand-in bootstrap for audit_local_emulator: speaks the Lambda Runtime API like opt-out-api
// and answers the two audit routes from the saved pages (AUDIT_PAGES_DIR), so scripts/audit's
// default source (the function under lambda-emulator) is tested before and apart from the real
// routes. It checks each event as an HTTP API payload 2.0 GET and answers 400 when it is not.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const api = `http://${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const dir = process.env.AUDIT_PAGES_DIR;
const log = process.env.AUDIT_EVENTS_LOG; // each event received, one JSON line, for the test

function answer(event) {
  const problems = [];
  if (event.version !== '2.0') problems.push('version');
  if (event.requestContext?.http?.method !== 'GET') problems.push('requestContext.http.method');
  if (event.requestContext?.http?.path !== event.rawPath) problems.push('requestContext.http.path');
  if (event.routeKey !== event.requestContext?.routeKey) problems.push('routeKey');
  if (!event.requestContext?.authorizer?.iam?.userArn) problems.push('authorizer.iam');
  const query = new URLSearchParams(event.rawQueryString ?? '');
  for (const [k, v] of query) if (event.queryStringParameters?.[k] !== v) problems.push(`queryStringParameters.${k}`);
  if (problems.length) {
    return { statusCode: 400, body: JSON.stringify({ error: { code: 'invalid_event', message: problems.join(', ') } }) };
  }
  if (event.rawPath !== '/opt-outs' && !/^\/contacts\/%2B\d+\/history$/.test(event.rawPath)) {
    return { statusCode: 404, body: JSON.stringify({ error: { code: 'not_found', message: 'no route' } }) };
  }
  const cursor = query.get('cursor');
  try {
    return { statusCode: 200, headers: { 'content-type': 'application/json' },
      body: readFileSync(join(dir, `${cursor ? encodeURIComponent(cursor) : 'first'}.json`), 'utf8') };
  } catch {
    if (!cursor) return { statusCode: 404, body: JSON.stringify({ error: { code: 'contact_not_found', message: 'no consent record for this number' } }) };
    return { statusCode: 400, body: JSON.stringify({ error: { code: 'invalid_cursor', message: 'cursor is not valid', field: 'cursor' } }) };
  }
}

for (;;) {
  const next = await fetch(`${api}/invocation/next`);
  const id = next.headers.get('lambda-runtime-aws-request-id');
  const event = await next.json();
  if (log) appendFileSync(log, `${JSON.stringify(event)}\n`);
  await fetch(`${api}/invocation/${id}/response`, { method: 'POST', body: JSON.stringify(answer(event)) });
}
