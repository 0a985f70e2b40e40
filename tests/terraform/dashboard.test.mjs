// The dashboard checks (lib/dashboard.mjs) and the C++ metric scan (lib/source-scan.mjs
// emittedMetrics) on hand-made inputs, without terraform: what they must pass and what they must
// report. The real dashboard is checked from a plan by dashboard-plan.test.mjs (tf.mjs dashboard).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { checkAlarms, checkDashboardBody } from "./lib/dashboard.mjs";
import { repoRoot } from "./lib/run.mjs";
import { clientOperations, emittedMetrics, scanFunction } from "./lib/source-scan.mjs";

test("the scan reads every metric name of the functions, with its dimensions", async () => {
  const ops = await clientOperations(repoRoot);
  const scans = {};
  for (const name of ["sms-inbound", "delivery-events", "reminders", "deadline-monitor", "opt-out-api"]) {
    scans[name] = await scanFunction(repoRoot, name, ops);
    assert.deepEqual(scans[name].unresolvedMetrics, [], `${name}: metric names the scan cannot read`);
  }
  const dims = (fn, metric) => [...(scans[fn].metrics.get(metric) ?? [])].sort();
  // Metrics::add with a literal, a conditional of literals, a variable set by a function
  // returning literals, and hand-built EMF lines with a second dimension.
  assert.deepEqual(dims("sms-inbound", "OptOutsReceived"), ["FunctionName"]);
  assert.deepEqual(dims("sms-inbound", "AppointmentRescheduleRequests"), ["FunctionName"]);
  assert.deepEqual(dims("delivery-events", "TextSpam"), ["FunctionName"]);
  assert.deepEqual(dims("delivery-events", "MessagesFailed"), ["FunctionName", "FunctionName,Status"]);
  assert.deepEqual(dims("reminders", "RemindersBlocked"), ["FunctionName", "FunctionName,Reason"]);
  assert.ok(!scans["sms-inbound"].metrics.has("TextSpam"), "a function's metrics are its own");
});

test("the scan reports a metric name it cannot read", async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), "metric-scan-"));
  try {
    await mkdir(path.join(root, "functions/x"), { recursive: true });
    await writeFile(path.join(root, "functions/x/handler.cpp"),
      'void f(Metrics& metrics, const std::string& name) {\n  metrics.add(name, 1);\n  metrics.add("Known", 1);\n}\n');
    const r = await emittedMetrics(root, ["functions/x/handler.cpp"]);
    assert.deepEqual([...r.metrics.keys()], ["Known"]);
    assert.deepEqual(r.unresolved, ["functions/x/handler.cpp:2"]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

const ctx = {
  namespace: "Ns",
  region: "us-east-1",
  functions: new Map([["p-a", "a"], ["p-b", "b"]]),
  emitted: new Map([
    ["a", new Map([["Sent", new Set(["FunctionName"])], ["Blocked", new Set(["FunctionName", "FunctionName,Reason"])]])],
    ["b", new Map([["Final", new Set(["FunctionName"])], ["Delivered", new Set(["FunctionName"])]])],
  ]),
  queues: new Set(["p-a-dlq"]),
  logGroups: new Set(["/aws/lambda/p-a"]),
  alarmNames: new Set(["p-a-errors"]),
};
const graph = (metrics, extra = {}) => ({ type: "metric", x: 0, y: 0, width: 12, height: 6, properties: { region: "us-east-1", view: "timeSeries", stat: "Sum", period: 300, metrics, ...extra } });
const body = (...widgets) => JSON.stringify({ widgets });
const problemsOf = (b) => checkDashboardBody(b, ctx).problems;

test("a well-formed body passes", () => {
  const good = body(
    { type: "alarm", x: 0, y: 0, width: 24, height: 4, properties: { title: "Alarms", alarms: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:p-a-errors"] } },
    { ...graph([
      ["Ns", "Delivered", "FunctionName", "p-b", { id: "delivered", visible: false }],
      ["Ns", "Final", "FunctionName", "p-b", { id: "final", visible: false }],
      [{ id: "rate", label: "Rate", expression: "100 * FILL(delivered, 0) / final" }],
    ]), y: 4 },
    { ...graph([[{ id: "s", expression: "SEARCH('{\"Ns\",FunctionName,Reason} MetricName=\"Blocked\" FunctionName=\"p-a\"', 'Sum', 3600)" }]]), x: 12, y: 4 },
    { ...graph([["AWS/Lambda", "Duration", "FunctionName", "p-a", { stat: "p99" }], ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "p-a-dlq"]]), y: 10 },
    { type: "log", x: 12, y: 10, width: 12, height: 6, properties: { region: "us-east-1", query: "SOURCE '/aws/lambda/p-a' | fields @timestamp | limit 5" } },
  );
  assert.deepEqual(problemsOf(good), []);
});

const bad = [
  ["a metric the function does not emit", body(graph([["Ns", "Sent", "FunctionName", "p-b"]])), /b emits no metric Sent/],
  ["a function that is not deployed", body(graph([["Ns", "Sent", "FunctionName", "p-c"]])), /FunctionName "p-c" is none of the functions/],
  ["dimensions the metric is not emitted with", body(graph([["Ns", "Sent", "FunctionName", "p-a", "Reason", "x"]])), /a emits Sent with dimensions \[FunctionName\], not \[FunctionName,Reason\]/],
  ["a SEARCH over the wrong dimensions", body(graph([[{ id: "s", expression: "SEARCH('{Ns,FunctionName,Status} MetricName=\"Blocked\" FunctionName=\"p-a\"', 'Sum', 300)" }]])), /not \[FunctionName,Status\]/],
  ["an expression naming an unknown id", body(graph([["Ns", "Final", "FunctionName", "p-b", { id: "final" }], [{ id: "r", expression: "m1 / final" }]])), /refers to m1/],
  ["an id used twice", body(graph([["Ns", "Final", "FunctionName", "p-b", { id: "x" }], ["Ns", "Delivered", "FunctionName", "p-b", { id: "x" }]])), /id x is used twice/],
  ["an id with a capital first letter", body(graph([["Ns", "Final", "FunctionName", "p-b", { id: "Final" }]])), /id "Final" must start with a lower-case letter/],
  ["a namespace of no one", body(graph([["Other", "Final", "FunctionName", "p-b"]])), /namespace "Other" is neither/],
  ["an unknown Lambda metric", body(graph([["AWS/Lambda", "Erors", "FunctionName", "p-a"]])), /AWS\/Lambda Erors is not a metric/],
  ["a queue the module does not create", body(graph([["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "other"]])), /queue "other", which the module does not create/],
  ["an odd number of dimension strings", body(graph([["Ns", "Final", "FunctionName"]])), /\[namespace, name, dimension, value, \.\.\.\] expected/],
  ["another region", body({ ...graph([["Ns", "Final", "FunctionName", "p-b"]]), properties: { ...graph([["Ns", "Final", "FunctionName", "p-b"]]).properties, region: "eu-west-1" } }), /region "eu-west-1", not the stack's us-east-1/],
  ["a period that is not whole minutes", body(graph([["Ns", "Final", "FunctionName", "p-b"]], { period: 90 })), /period 90 is not a multiple of 60/],
  ["a widget past the 24 columns", body({ ...graph([["Ns", "Final", "FunctionName", "p-b"]]), x: 20, width: 8 }), /past the 24 columns/],
  ["overlapping widgets", body(graph([["Ns", "Final", "FunctionName", "p-b"]]), { ...graph([["Ns", "Final", "FunctionName", "p-b"]]), x: 6 }), /overlaps widget 0/],
  ["an unknown widget type", body({ type: "chart", x: 0, y: 0, width: 6, height: 6, properties: {} }), /type must be one of/],
  ["an alarm of no one", body({ type: "alarm", x: 0, y: 0, width: 6, height: 6, properties: { alarms: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:other"] } }), /other is not an alarm of the module/],
  ["a log query without its source", body({ type: "log", x: 0, y: 0, width: 6, height: 6, properties: { region: "us-east-1", query: "fields @timestamp" } }), /query must start with SOURCE/],
  ["a log group the module does not create", body({ type: "log", x: 0, y: 0, width: 6, height: 6, properties: { region: "us-east-1", query: "SOURCE '/aws/lambda/other' | limit 1" } }), /log group \/aws\/lambda\/other is not one the module creates/],
  ["a body that is not JSON", "{widgets: []", /not JSON/],
];
for (const [name, b, expect] of bad) {
  test(`the body check reports ${name}`, () => {
    const problems = problemsOf(b);
    assert.ok(problems.some((p) => expect.test(p)), `expected ${expect}, got:\n  ${problems.join("\n  ")}`);
  });
}

test("the alarm check reads single metrics and metric math", () => {
  const alarm = (address, values) => ({ address, values });
  const good = [
    alarm("x.single", { namespace: "Ns", metric_name: "Sent", dimensions: { FunctionName: "p-a" } }),
    alarm("x.math", { metric_query: [
      { id: "delivered", metric: [{ namespace: "Ns", metric_name: "Delivered", dimensions: { FunctionName: "p-b" } }] },
      { id: "final", metric: [{ namespace: "Ns", metric_name: "Final", dimensions: { FunctionName: "p-b" } }] },
      { id: "rate", expression: "IF(final >= 1, 100 * FILL(delivered, 0) / final, 100)", return_data: true },
    ] }),
  ];
  assert.deepEqual(checkAlarms(good, ctx), []);
  const problems = checkAlarms([
    alarm("x.typo", { namespace: "Ns", metric_name: "Snt", dimensions: { FunctionName: "p-a" } }),
    alarm("x.two", { metric_query: [
      { id: "final", metric: [{ namespace: "Ns", metric_name: "Final", dimensions: { FunctionName: "p-b" } }], return_data: true },
      { id: "rate", expression: "100 * delivered / final", return_data: true },
    ] }),
    alarm("x.search", { metric_query: [{ id: "s", expression: "SEARCH('{Ns} MetricName=\"Final\"', 'Sum', 300)", return_data: true }] }),
  ], ctx).join("\n");
  assert.match(problems, /x\.typo: a emits no metric Snt/);
  assert.match(problems, /x\.two: exactly one metric_query must set return_data = true/);
  assert.match(problems, /x\.two: rate refers to delivered/);
  assert.match(problems, /x\.search: an alarm cannot use SEARCH/);
});
