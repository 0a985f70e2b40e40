#!/usr/bin/env node
// Prints every offline check of terraform/ and what each function's code needs
// (environment, AWS calls); exits 1 on any problem.
//   node tests/terraform/check.mjs [module-dir]
import path from "node:path";
import { repoRoot, runChecks } from "./lib/run.mjs";

const dir = path.resolve(process.argv[2] ?? path.join(repoRoot, "terraform"));
const { results, functions, notBuilt } = await runChecks(dir);
let failed = 0;
for (const [check, problems] of Object.entries(results)) {
  console.log(`${problems.length ? "FAIL" : "ok  "} ${check}`);
  for (const p of problems) console.log(`       ${p}`);
  failed += problems.length;
}
for (const f of functions) {
  if (!f.built) { console.log(`note ${f.name}: not built yet (no functions/${f.name}); its Terraform is written from the README and the issue, unchecked against code`); continue; }
  const env = [...f.env].filter(([k]) => !k.startsWith("AWS_") && k !== "LOG_LEVEL").map(([k, v]) => k + (v.required ? "*" : "")).join(" ");
  const calls = [...new Set(f.calls.map((c) => `${c.op}${c.table ? "(" + c.table + ")" : ""}`))].join(" ");
  console.log(`     ${f.name}: reads ${env} | calls ${calls}`);
}
if (notBuilt.length) console.log(`note dist zips not produced yet by scripts/build: ${notBuilt.map((n) => `dist/${n}.zip`).join(", ")}`);
process.exit(failed ? 1 : 0);
