// The offline checks on the real terraform/ module: each must pass. Functions
// not written yet are reported (as a test diagnostic), not failed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot, runChecks } from "./lib/run.mjs";

const run = await runChecks(path.join(repoRoot, "terraform"));

for (const [check, problems] of Object.entries(run.results)) {
  test(`terraform/ passes the ${check} check`, () => {
    assert.deepEqual(problems, [], `${check}:\n  ${problems.join("\n  ")}`);
  });
}

test("every function of functions/functions.json is built by scripts/build, or reported as not built yet", (t) => {
  for (const f of run.functions.filter((f) => !f.built)) t.diagnostic(`${f.name}: not built yet`);
  for (const name of run.notBuilt) t.diagnostic(`dist/${name}.zip: not produced yet (no functions/${name})`);
  const listed = Object.keys(JSON.parse(readFileSync(path.join(repoRoot, "functions/functions.json"), "utf8")).functions);
  assert.deepEqual(run.functions.map((f) => f.name), listed, "the functions of functions/functions.json, in its order");
  for (const name of ["sms-inbound", "opt-out-api", "deadline-monitor", "reminders"]) {
    assert.ok(listed.includes(name), `${name}: one of the four functions of the README`);
  }
});

test("the source scan sees sms-inbound's configuration and calls (guards the scan itself)", () => {
  const f = run.functions.find((x) => x.name === "sms-inbound");
  assert.ok(f.built);
  for (const v of ["CONTACTS_TABLE", "MESSAGE_LOG_TABLE", "ORIGINATION_IDENTITY", "OPT_OUT_LIST_NAME", "PROGRAM_NAME", "HELP_CONTACT"]) {
    assert.equal(f.env.get(v)?.required, true, `${v} should be read as required`);
  }
  const ops = new Set(f.calls.map((c) => `${c.service}:${c.op}`));
  for (const op of ["dynamodb:PutItem", "dynamodb:UpdateItem", "sms-voice:SendTextMessage", "sms-voice:PutOptedOutNumber"]) {
    assert.ok(ops.has(op), `${op} should be found in sms-inbound's code`);
  }
});

// Where a terraform binary happens to be installed, its own formatter must agree
// (the hclwrite check above is what runs everywhere, terraform or not).
import { execFileSync, spawnSync } from "node:child_process";
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
test("terraform fmt -check -recursive passes (when terraform is installed)", { skip: terraform.status !== 0 && "no terraform binary on PATH" }, () => {
  execFileSync("terraform", ["fmt", "-check", "-recursive", "-diff", path.join(repoRoot, "terraform")], {
    encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" },
  });
});
