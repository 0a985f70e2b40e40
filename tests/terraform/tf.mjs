#!/usr/bin/env node
// The checks that need the real terraform binary and a local hashicorp/aws
// provider (no registry access): each runs on a temporary, initialised copy of
// terraform/ (see lib/terraform.mjs).
//
//   node tests/terraform/tf.mjs validate        terraform validate, terraform fmt -check,
//                                               provider-schema.json matches the provider
//   node tests/terraform/tf.mjs test [args]     terraform test (terraform/tests/*.tftest.hcl), args passed on
//   node tests/terraform/tf.mjs mistakes        purpose-made mistakes each of the above must catch
//   node tests/terraform/tf.mjs dashboard       the planned dashboard and alarms against CloudWatch's
//                                               body structure and the metrics the code emits
//                                               (dashboard-plan.test.mjs), and mistakes they must catch
//   node tests/terraform/tf.mjs schema          rewrites tests/terraform/provider-schema.json
//
// Finds terraform ($TERRAFORM, PATH, /usr/local/bin) and the provider
// ($TF_PLUGIN_DIR, /opt/tf-plugins, ~/.terraform.d/plugins, ...). Exit status:
// 0 passed, 1 failed, 77 skipped because one of them is missing (ctest's
// SKIP_RETURN_CODE), 2 usage.
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatSchema, providerSchemaFor, schemaDifferences, schemaFile } from "./lib/schema.mjs";
import { toolchain, workspace } from "./lib/terraform.mjs";

const SKIP = 77;
const [command, ...rest] = process.argv.slice(2);
const here = path.dirname(new URL(import.meta.url).pathname);

if (!["validate", "test", "mistakes", "dashboard", "schema"].includes(command)) {
  console.error("usage: node tests/terraform/tf.mjs validate|test [terraform test args]|mistakes|dashboard|schema");
  process.exit(2);
}

const tools = await toolchain();
if (tools.skip) {
  console.log(`SKIPPED: ${command} needs the terraform binary and a local hashicorp/aws provider: ${tools.skip}`);
  process.exit(SKIP);
}
console.log(`terraform ${tools.terraform.version} (${tools.terraform.path}), hashicorp/aws ${tools.provider.version} from ${tools.provider.dir} (constraint "${tools.constraint}")`);

if (command === "mistakes" || command === "dashboard") {
  const file = command === "mistakes" ? "provider-mistakes.test.mjs" : "dashboard-plan.test.mjs";
  const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", path.join(here, file)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const started = Date.now();
const ws = await workspace(tools);
console.log(`init: ${((Date.now() - started) / 1000).toFixed(1)} s (copy of terraform/ in ${ws.dir})`);
let failed = false;
try {
  if (command === "validate") failed = await validate(ws);
  else if (command === "test") failed = await test(ws, rest);
  else if (command === "schema") await schema(ws);
} finally {
  await ws.dispose();
}
console.log(`${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);

/** Prints one step's result; returns true when it failed. */
function report(name, r, { always = false } = {}) {
  const ok = r.code === 0;
  console.log(`${ok ? "ok  " : "FAIL"} ${name} (${r.seconds.toFixed(1)} s)`);
  if (!ok || always || process.env.TF_CHECK_VERBOSE) console.log(r.output.trimEnd().replace(/^/gm, "     "));
  return !ok;
}

async function validate(ws) {
  let bad = report("terraform validate (module and its tests)", await ws.run(["validate", "-no-color"]));
  bad = report("terraform fmt -check -recursive", await ws.run(["fmt", "-check", "-recursive", "-diff", "-no-color"])) || bad;
  const t0 = Date.now();
  const { reduced, version } = await providerSchemaFor(ws);
  const committed = JSON.parse(await readFile(schemaFile, "utf8"));
  const seconds = (Date.now() - t0) / 1000;
  if (committed.provider_version !== version) {
    // Another provider release may differ in ways the module does not care
    // about; validate above is the authority for it.
    console.log(`note provider-schema.json is from hashicorp/aws ${committed.provider_version}, this provider is ${version}: not compared`);
  } else if (schemaDifferences(committed, reduced).length) {
    console.log(`FAIL provider-schema.json matches hashicorp/aws ${version} (${seconds.toFixed(1)} s)`);
    for (const d of schemaDifferences(committed, reduced)) console.log(`     ${d}`);
    console.log("     regenerate it from the provider (node tests/terraform/tf.mjs schema) and commit the result");
    bad = true;
  } else {
    console.log(`ok   provider-schema.json matches hashicorp/aws ${version} for the ${Object.keys(reduced.resource).length} resource and ${Object.keys(reduced.data).length} data source types used (${seconds.toFixed(1)} s)`);
  }
  return bad;
}

async function test(ws, args) {
  // Always printed: the list of runs is the record of what was checked.
  return report(`terraform test ${args.join(" ")}`.trim(), await ws.run(["test", "-no-color", ...args]), { always: true });
}

async function schema(ws) {
  const { reduced, version } = await providerSchemaFor(ws);
  await writeFile(schemaFile, formatSchema(reduced));
  console.log(`wrote ${path.relative(process.cwd(), schemaFile)}: hashicorp/aws ${version}, ${Object.keys(reduced.resource).length} resource and ${Object.keys(reduced.data).length} data source types`);
}
