// AWS Signature Version 4 for the local stack's own Node tools: create-tables
// signs its DynamoDB calls, the self-test signs its stand-in calls, and the
// stand-in can (opt-in) check a client's signature with the same rules.
import { createHash, createHmac } from 'node:crypto';

/** Hex SHA-256 of a string or Buffer. */
export function sha256Hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key, data) {
  return createHmac('sha256', key).update(data).digest();
}

/** yyyymmddThhmmssZ for a Date, as X-Amz-Date wants it. */
export function amzDate(date = new Date()) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The canonical request string for `headers` (lowercase names) restricted to `signedHeaders`. */
export function canonicalRequest({ method, path, query = '', headers, signedHeaders, body }) {
  const lines = signedHeaders.map(
    (name) => `${name}:${String(headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`);
  return [method, path, query, lines.join(''), signedHeaders.join(';'), sha256Hex(body ?? '')].join('\n');
}

/** Hex signature for a canonical request under the given scope and secret. */
export function signature({ secretAccessKey, date, region, service, amzDateValue, canonical }) {
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDateValue, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

/**
 * Signs a POST / JSON request: returns the headers to send (host, content-type,
 * x-amz-date, x-amz-target, authorization, and x-amz-security-token if given).
 */
export function signJsonRequest({ host, target, contentType = 'application/x-amz-json-1.0', body,
  region, service, accessKeyId, secretAccessKey, sessionToken, now = new Date() }) {
  const amz = amzDate(now);
  const headers = { 'content-type': contentType, host, 'x-amz-date': amz, 'x-amz-target': target };
  if (sessionToken) headers['x-amz-security-token'] = sessionToken;
  const signedHeaders = Object.keys(headers).sort();
  const canonical = canonicalRequest({ method: 'POST', path: '/', headers, signedHeaders, body });
  const sig = signature({ secretAccessKey, date: amz.slice(0, 8), region, service, amzDateValue: amz, canonical });
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${amz.slice(0, 8)}/${region}/${service}/aws4_request, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${sig}`;
  return headers;
}
