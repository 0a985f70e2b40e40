// A minimal Lambda Runtime API loop in Node, used when aws-lambda-ric cannot be
// built (it needs a native addon): GET next, call the handler, POST the result,
// over one kept-alive connection. Usage: node runtime-loop.mjs <module>.<export>
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const [moduleName, exportName] = (process.argv[2] ?? 'index.handler').split('.');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const base = '/2018-06-01/runtime';
const [host, port] = api.split(':');

function request(method, urlPath, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: urlPath, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const errorBody = (error) => JSON.stringify({
  errorType: error?.name ?? 'Error', errorMessage: String(error?.message ?? error), stackTrace: [],
});

let handler;
try {
  const file = path.join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), `${moduleName}.mjs`);
  handler = (await import(pathToFileURL(file).href))[exportName];
} catch (error) {
  await request('POST', `${base}/init/error`, errorBody(error), { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
  process.exit(1);
}

for (;;) {
  const next = await request('GET', `${base}/invocation/next`);
  if (next.status !== 200) process.exit(1);
  const id = next.headers['lambda-runtime-aws-request-id'];
  process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'] ?? '';
  const context = { awsRequestId: id, invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'] };
  try {
    const result = await handler(JSON.parse(next.body), context);
    await request('POST', `${base}/invocation/${id}/response`, JSON.stringify(result ?? null),
      { 'Content-Type': 'application/json' });
  } catch (error) {
    await request('POST', `${base}/invocation/${id}/error`, errorBody(error),
      { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': error?.name ?? 'Error' });
  }
}
