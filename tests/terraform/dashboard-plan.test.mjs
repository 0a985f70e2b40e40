// The CloudWatch dashboard and alarms as Terraform plans them: terraform/tests/dashboard.tftest.hcl
// run with -json -verbose on a copy of terraform/ (mocked provider), each planned dashboard body
// and alarm checked (lib/dashboard.mjs) against CloudWatch's body structure and against the
// metrics the functions' C++ code emits (lib/source-scan.mjs emittedMetrics); then
// purpose-made mistakes that the checks must catch. Run through `node tests/terraform/tf.mjs
// dashboard`, which skips (exit 77) when terraform or the provider is missing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkPlan, plansFromTestOutput } from "./lib/dashboard.mjs";
import { readCatalogue, repoRoot } from "./lib/run.mjs";
import { clientOperations, scanFunction } from "./lib/source-scan.mjs";
import { moduleDir, toolchain, workspace } from "./lib/terraform.mjs";

const tools = await toolchain();
const skip = tools.skip ? `needs terraform and a local hashicorp/aws provider: ${tools.skip}` : false;
// The runs of dashboard.tftest.hcl that plan the stack (the others expect a refusal).
const PLANNED_RUNS = ["defaults", "thresholds_region_namespace"];
const args = ["test", "-no-color", "-json", "-verbose", "-filter=tests/dashboard.tftest.hcl"];

// What each function emits, from its C++ sources: function -> metric -> dimension lists.
const ops = await clientOperations(repoRoot);
const emitted = new Map();
for (const name of Object.keys(await readCatalogue(moduleDir))) {
  const scan = await scanFunction(repoRoot, name, ops);
  if (scan.built) emitted.set(name, scan.metrics);
}

let base;
before(async () => {
  if (!skip) base = await workspace(tools);
});
after(async () => base?.dispose());

/** Plans `ws`'s copy; resolves to { code, output, problems: {run: [problem]} }. */
async function planAndCheck(ws) {
  const r = await ws.run(args);
  const problems = {};
  for (const plan of plansFromTestOutput(r.stdout)) {
    if (PLANNED_RUNS.includes(plan.run)) problems[plan.run] = checkPlan(plan, emitted);
  }
  return { code: r.code, output: r.stdout + r.stderr, problems };
}

test("the C++ scan found each function's metrics", { skip }, () => {
  for (const name of ["sms-inbound", "delivery-events", "reminders", "deadline-monitor"]) {
    assert.ok(emitted.get(name)?.size > 0, `${name}: no metric found in its sources`);
  }
});

test("the planned dashboard and alarms pass every check, for each planned run", { skip }, async () => {
  const r = await planAndCheck(base);
  assert.equal(r.code, 0, `terraform test failed:\n${r.output.slice(-4000)}`);
  assert.deepEqual(Object.keys(r.problems).sort(), [...PLANNED_RUNS].sort(), "a plan of each run that plans the stack");
  for (const [run, problems] of Object.entries(r.problems)) {
    assert.deepEqual(problems, [], `${run}:\n  ${problems.join("\n  ")}`);
  }
});

// Each edit of a copy of terraform/ must make the checks report it (one plan for all of them: the
// checks report every problem side by side).
const mistakes = [
  {
    name: "a metric the function does not emit (a misspelling on the dashboard)",
    edit: { file: "dashboard.tf", from: 'for m in ["MessagesFinal", "MessagesDelivered", "MessagesFailed"]', to: 'for m in ["MessagesFinal", "MessageDelivered", "MessagesFailed"]' },
    expect: /delivery-events emits no metric MessageDelivered/,
  },
  {
    name: "a metric of another function",
    edit: { file: "dashboard.tf", from: 'for m in ["OutboundMessages", "BlockedSends"]', to: 'for m in ["OutboundMessages", "RemindersSent"]' },
    expect: /sms-inbound emits no metric RemindersSent/,
  },
  {
    name: "a SEARCH over dimensions the metric does not have",
    edit: { file: "dashboard.tf", from: "FunctionName,Reason} MetricName=", to: "FunctionName,Status} MetricName=" },
    expect: /reminders emits RemindersBlocked with dimensions .* not \[FunctionName,Status\]/,
  },
  {
    name: "an expression naming an id the widget lacks",
    edit: { file: "dashboard.tf", from: '"100 * FILL(delivered, 0) / final"', to: '"100 * FILL(delivered, 0) / finals"' },
    expect: /refers to finals, which no entry of the widget has as its id/,
  },
  {
    name: "an alarm on a metric the function does not emit",
    edit: { file: "alarms.tf", from: 'metric_name = "OptOutsReceived"', to: 'metric_name = "OptOutReceived"' },
    expect: /opt_out_rate opt_outs: sms-inbound emits no metric OptOutReceived/,
  },
  {
    name: "a required metric left off the dashboard",
    edit: { file: "dashboard.tf", from: '"OptOutsOverdue", "OptOutsDueSoon", "OptOutsPending"', to: '"OptOutsDueSoon", "OptOutsPending"' },
    expect: /the dashboard does not show deadline-monitor's OptOutsOverdue/,
  },
  {
    name: "an alarm missing from the alarm widget",
    edit: { file: "dashboard.tf", from: "    [for a in aws_cloudwatch_metric_alarm.text_spam : a.alarm_name],\n", to: "" },
    expect: /the alarm widget does not list sms-compliance-TextSpam/,
  },
];

test("purpose-made mistakes are each reported", { skip }, async (t) => {
  const ws = await base.copy();
  try {
    for (const { edit } of mistakes) {
      const target = path.join(ws.dir, edit.file);
      const source = await readFile(target, "utf8");
      assert.ok(source.includes(edit.from), `test setup: ${edit.file} no longer contains ${JSON.stringify(edit.from)}`);
      await writeFile(target, source.replace(edit.from, edit.to));
    }
    const r = await planAndCheck(ws);
    const reported = (r.problems.defaults ?? []).join("\n");
    for (const m of mistakes) {
      await t.test(m.name, () => assert.match(reported, m.expect, `not reported; the checks said:\n${reported}`));
    }
  } finally {
    await ws.dispose();
  }
});

test("a dashboard row wider than 24 columns is refused at plan", { skip }, async () => {
  const ws = await base.copy();
  try {
    const target = path.join(ws.dir, "dashboard.tf");
    const source = await readFile(target, "utf8");
    const from = 'title  = "Carrier blocks and spam flags"';
    assert.ok(source.includes(from), "test setup: dashboard.tf no longer has the carrier blocks widget");
    // The third widget of its row, 8 columns wide, made 10: 26 columns.
    const at = source.lastIndexOf("width  = 8", source.indexOf(from));
    await writeFile(target, source.slice(0, at) + "width  = 10" + source.slice(at + "width  = 8".length));
    const r = await ws.run(args);
    assert.notEqual(r.code, 0, "terraform test passed a 26-column row");
    assert.match(r.stdout + r.stderr, /wider than CloudWatch's 24 columns/);
  } finally {
    await ws.dispose();
  }
});
