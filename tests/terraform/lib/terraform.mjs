// Runs the real terraform binary on a copy of terraform/, offline, against a
// local copy of the hashicorp/aws provider: finding both, initialising a
// temporary workspace, and running commands there. Nothing is written into
// terraform/ (no .terraform, no lock file) and the user's ~/.terraformrc is
// never read: the workspace has its own CLI configuration and data directory.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const here = path.dirname(new URL(import.meta.url).pathname);
export const repoRoot = path.resolve(here, "../../..");
export const moduleDir = path.join(repoRoot, "terraform");

/** Oldest Terraform the module's tests run on (mock_provider with override_during). */
export const MIN_TERRAFORM = "1.9.0";

/** "1.11.4" -> [1, 11, 4]; anything after the numbers (-beta1) is ignored. */
export function parseVersion(v) {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(String(v).trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
}

/** <0, 0, >0 as a is older than, equal to, newer than b (version strings). */
export function compareVersions(a, b) {
  const x = parseVersion(a), y = parseVersion(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/**
 * Whether `version` satisfies a Terraform version constraint string such as
 * ">= 5.100.0, < 7.0.0" (operators =, !=, >, >=, <, <=, ~>; comma = and).
 */
export function satisfies(version, constraint) {
  return constraint.split(",").map((c) => c.trim()).filter(Boolean).every((c) => {
    const m = /^(=|!=|>=|<=|>|<|~>)?\s*(\S+)$/.exec(c);
    if (!m) throw new Error(`unreadable version constraint "${c}"`);
    const [, op = "=", want] = m;
    const d = compareVersions(version, want);
    switch (op) {
      case "=": return d === 0;
      case "!=": return d !== 0;
      case ">": return d > 0;
      case ">=": return d >= 0;
      case "<": return d < 0;
      case "<=": return d <= 0;
      case "~>": {
        // ~> 5.100 allows 5.x >= 5.100; ~> 5.100.1 allows 5.100.x >= 5.100.1.
        const parts = want.split(".").length;
        const w = parseVersion(want), v = parseVersion(version);
        if (d < 0) return false;
        return parts <= 2 ? v[0] === w[0] : v[0] === w[0] && v[1] === w[1];
      }
    }
    return false;
  });
}

/** The hashicorp/aws version constraint in terraform/versions.tf (throws when absent). */
export async function providerConstraint(dir = moduleDir) {
  const source = await readFile(path.join(dir, "versions.tf"), "utf8");
  const m = /aws\s*=\s*\{[^}]*?version\s*=\s*"([^"]+)"/s.exec(source);
  if (!m) throw new Error(`${dir}/versions.tf: no version constraint for hashicorp/aws`);
  return m[1];
}

/**
 * The terraform binary: $TERRAFORM, else `terraform` on PATH, else
 * /usr/local/bin/terraform. Returns { path, version } or { missing: reason }.
 */
export function findTerraform() {
  const candidates = process.env.TERRAFORM ? [process.env.TERRAFORM] : [
    ...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean).map((d) => path.join(d, "terraform")),
    "/usr/local/bin/terraform",
  ];
  for (const bin of candidates) {
    if (!isExecutable(bin)) continue;
    let out;
    try {
      out = execFileSync(bin, ["version", "-json"], { encoding: "utf8", env: cleanEnv({ TF_CLI_CONFIG_FILE: "/dev/null" }), timeout: 30000 });
    } catch (e) {
      return { missing: `${bin} does not run (${String(e.message).split("\n")[0]})` };
    }
    const version = JSON.parse(out).terraform_version;
    if (compareVersions(version, MIN_TERRAFORM) < 0) return { missing: `${bin} is Terraform ${version}; the module's tests need >= ${MIN_TERRAFORM}` };
    return { path: bin, version };
  }
  return { missing: process.env.TERRAFORM ? `TERRAFORM=${process.env.TERRAFORM} is not an executable` : "no terraform on PATH or in /usr/local/bin" };
}

function isExecutable(file) {
  try {
    const s = statSync(file);
    return s.isFile() && (s.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Terraform's name for this machine's platform: linux_amd64, darwin_arm64, ... */
export function platform() {
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** Folders searched for a local provider, in order; $TF_PLUGIN_DIR alone when set. */
export function pluginDirCandidates() {
  if (process.env.TF_PLUGIN_DIR) return [process.env.TF_PLUGIN_DIR];
  const home = os.homedir();
  const xdg = process.env.XDG_DATA_HOME || path.join(home, ".local/share");
  return [
    "/opt/tf-plugins",
    path.join(home, ".terraform.d/plugins"),
    path.join(xdg, "terraform/plugins"),
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
  ];
}

/**
 * Versions of hashicorp/aws for this platform under one plugin folder, in
 * either layout `terraform init -plugin-dir` reads: unpacked
 * (registry.terraform.io/hashicorp/aws/<v>/<platform>/terraform-provider-aws_*)
 * or packed (registry.terraform.io/hashicorp/aws/terraform-provider-aws_<v>_<platform>.zip).
 */
export function providerVersionsIn(dir) {
  const base = path.join(dir, "registry.terraform.io/hashicorp/aws");
  let entries;
  try {
    entries = readdirSync(base, { withFileTypes: true });
  } catch {
    return [];
  }
  const found = new Set();
  for (const e of entries) {
    if (e.isDirectory() && parseVersion(e.name)) {
      const binDir = path.join(base, e.name, platform());
      try {
        if (readdirSync(binDir).some((f) => f.startsWith("terraform-provider-aws"))) found.add(e.name);
      } catch { /* no build for this platform */ }
    }
    const packed = new RegExp(`^terraform-provider-aws_(\\d[^_]*)_${platform()}\\.zip$`).exec(e.name);
    if (packed) found.add(packed[1]);
  }
  return [...found].sort(compareVersions);
}

/**
 * The first plugin folder holding a hashicorp/aws version that satisfies
 * `constraint`: { dir, version } (newest matching version), or
 * { missing: reason } naming what was searched and found.
 */
export function findProvider(constraint) {
  const seen = [];
  for (const dir of pluginDirCandidates()) {
    if (!existsSync(dir)) continue;
    const versions = providerVersionsIn(dir);
    const ok = versions.filter((v) => satisfies(v, constraint));
    if (ok.length) return { dir, version: ok[ok.length - 1] };
    if (versions.length) seen.push(`${dir} has ${versions.join(", ")}`);
  }
  if (process.env.TF_PLUGIN_DIR) {
    return { missing: `TF_PLUGIN_DIR=${process.env.TF_PLUGIN_DIR} holds no hashicorp/aws for ${platform()} matching "${constraint}"${seen.length ? ` (${seen.join("; ")})` : ""}` };
  }
  return {
    missing: `no local hashicorp/aws provider for ${platform()} matching "${constraint}" in ${pluginDirCandidates().join(", ")}` +
      (seen.length ? ` (${seen.join("; ")})` : "") + "; set TF_PLUGIN_DIR to a folder in -plugin-dir layout",
  };
}

/**
 * What the terraform checks need, or why they must be skipped:
 * { terraform, provider, constraint } or { skip: reason }.
 */
export async function toolchain() {
  const terraform = findTerraform();
  if (terraform.missing) return { skip: terraform.missing };
  const constraint = await providerConstraint();
  const provider = findProvider(constraint);
  if (provider.missing) return { skip: provider.missing };
  return { terraform, provider, constraint };
}

/** The environment without anything that would steer Terraform or the AWS provider from outside. */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(TF_|AWS_)/.test(k) && k !== "TF_LOG" && k !== "TF_LOG_PATH") continue;
    env[k] = v;
  }
  return { ...env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...extra };
}

// Files of terraform/ a check must not see: local state, the user's variable
// values (terraform test would read terraform.tfvars), a lock file of theirs.
const LOCAL_ONLY = /^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfvars(\.json)?|.*\.auto\.tfvars(\.json)?|.*\.tfstate(\.backup)?|\.terraform\.tfstate\.lock\.info|crash\.log)$/;

/** Copies a module folder without local state and variable files. */
export async function copyModule(from, to) {
  await cp(from, to, { recursive: true, filter: (src) => !LOCAL_ONLY.test(path.basename(src)) });
}

/**
 * A temporary workspace: a copy of terraform/ (or of `source`) with functions/functions.json
 * beside it, its own CLI
 * configuration (the local provider as the only installation source) and data
 * directory, initialised. `run(args)` runs terraform there and resolves to
 * { code, stdout, stderr, output, seconds }; `copy()` makes a further copy that
 * shares the initialised provider (for purpose-made mistakes); `dispose()`
 * removes everything.
 */
export async function workspace(tools, { source = moduleDir, parent = null } = {}) {
  const root = parent?.root ?? await mkdtemp(path.join(os.tmpdir(), "tf-check-"));
  const dir = await mkdtemp(path.join(root, "module-"));
  await copyModule(source, dir);
  // The module reads its list of functions from ../functions/functions.json (docs/functions.md):
  // beside every copy, as beside terraform/ in the repository.
  if (!parent) {
    await mkdir(path.join(root, "functions"), { recursive: true });
    await cp(path.join(repoRoot, "functions/functions.json"), path.join(root, "functions/functions.json"));
  }
  const cliConfig = path.join(root, "cli.tfrc");
  const dataDir = path.join(root, "data");
  if (!parent) {
    await writeFile(cliConfig, [
      "# Written by tests/terraform/lib/terraform.mjs: the local provider copy is the only source.",
      "disable_checkpoint = true",
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(tools.provider.dir)}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      "  }",
      "}",
      "",
    ].join("\n"));
  }
  const env = cleanEnv({ TF_CLI_CONFIG_FILE: cliConfig, TF_DATA_DIR: dataDir });
  const ws = {
    root, dir, env,
    run: (args, opts = {}) => runTerraform(tools.terraform.path, args, { cwd: dir, env, ...opts }),
    copy: async () => {
      const c = await workspace(tools, { source: dir, parent: ws });
      await cp(path.join(dir, ".terraform.lock.hcl"), path.join(c.dir, ".terraform.lock.hcl"));
      return c;
    },
    dispose: () => rm(parent ? dir : root, { recursive: true, force: true }),
  };
  if (!parent) {
    const init = await ws.run(["init", "-input=false", "-backend=false", "-no-color"]);
    if (init.code !== 0) {
      await ws.dispose();
      throw new Error(`terraform init failed:\n${init.output}`);
    }
  }
  return ws;
}

/** Runs terraform; resolves (never rejects on a non-zero exit) with its output and duration. */
export function runTerraform(bin, args, { cwd, env, timeoutMs = 600000 }) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(bin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", output = "";
    child.stdout.on("data", (d) => { stdout += d; output += d; });
    child.stderr.on("data", (d) => { stderr += d; output += d; });
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, signal, stdout, stderr, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}
