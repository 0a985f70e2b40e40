// Runs every offline check on a module directory against the repository's
// code: used by the tests (real module and purpose-made mistakes) and by
// `node tests/terraform/check.mjs` for a readable report.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { loadModule } from "./hcl.mjs";
import { clientOperations, scanFunction } from "./source-scan.mjs";
import {
  checkAlarms, checkArguments, checkDeploymentFacts, checkEnvironment, checkFormat, checkIam,
  checkPackages, checkReferences, checkTables, checkUnused, checkVariables,
} from "./checks.mjs";
import { schemaFile } from "./schema.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
export const repoRoot = path.resolve(here, "../../..");

/**
 * The list of functions the module deploys: functions/functions.json beside the module, as
 * Terraform itself reads it (${path.module}/../functions/functions.json). {name: entry}
 */
export async function readCatalogue(moduleDir) {
  const file = path.join(moduleDir, "..", "functions", "functions.json");
  return JSON.parse(await readFile(file, "utf8")).functions ?? {};
}

/** { results: {check: problems[]}, functions: [{name, built}] } */
export async function runChecks(moduleDir, repo = repoRoot) {
  const model = await loadModule(moduleDir);
  const catalogue = await readCatalogue(moduleDir);
  const schema = JSON.parse(await readFile(schemaFile, "utf8"));
  const functionDirs = (await readdir(path.join(repo, "functions"), { withFileTypes: true }))
    .filter((d) => d.isDirectory()).map((d) => d.name);
  const ops = await clientOperations(repo);
  const names = Object.keys(catalogue);
  const scans = await Promise.all(names.map((n) => scanFunction(repo, n, ops)));
  const packages = checkPackages(model, functionDirs, catalogue);
  const results = {
    format: await checkFormat(model),
    references: checkReferences(model),
    arguments: checkArguments(model, schema),
    unused: checkUnused(model),
    variables: checkVariables(model),
    facts: checkDeploymentFacts(model),
    packages: packages.problems,
    environment: checkEnvironment(model, scans, catalogue),
    iam: checkIam(model, scans, catalogue),
    tables: await checkTables(model, repo),
    alarms: checkAlarms(model),
  };
  return { results, functions: scans.map((s) => ({ name: s.name, built: s.built, calls: s.calls, env: s.env })), notBuilt: packages.notBuilt };
}
