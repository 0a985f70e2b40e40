// Runs every offline check on a module directory against the repository's
// code: used by the tests (real module and purpose-made mistakes) and by
// `node tests/terraform/check.mjs` for a readable report.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { loadModule, locals } from "./hcl.mjs";
import { clientOperations, scanFunction } from "./source-scan.mjs";
import {
  checkArguments, checkDeploymentFacts, checkEnvironment, checkFormat, checkIam,
  checkPackages, checkReferences, checkTables, checkUnused, checkVariables,
} from "./checks.mjs";
import { schemaFile } from "./schema.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
export const repoRoot = path.resolve(here, "../../..");

/** { results: {check: problems[]}, functions: [{name, built}] } */
export async function runChecks(moduleDir, repo = repoRoot) {
  const model = await loadModule(moduleDir);
  const schema = JSON.parse(await readFile(schemaFile, "utf8"));
  const functionDirs = (await readdir(path.join(repo, "functions"), { withFileTypes: true }))
    .filter((d) => d.isDirectory()).map((d) => d.name);
  const ops = await clientOperations(repo);
  const names = Object.keys(locals(model).functions ?? {});
  const scans = await Promise.all(names.map((n) => scanFunction(repo, n, ops)));
  const packages = checkPackages(model, functionDirs);
  const results = {
    format: await checkFormat(model),
    references: checkReferences(model),
    arguments: checkArguments(model, schema),
    unused: checkUnused(model),
    variables: checkVariables(model),
    facts: checkDeploymentFacts(model),
    packages: packages.problems,
    environment: checkEnvironment(model, scans),
    iam: checkIam(model, scans),
    tables: await checkTables(model, repo),
  };
  return { results, functions: scans.map((s) => ({ name: s.name, built: s.built, calls: s.calls, env: s.env })), notBuilt: packages.notBuilt };
}
