// What a function's C++ code needs from its deployment, read from the sources
// so the Terraform checks follow the code as it grows:
//   - the environment variables it reads (and which of them it requires),
//   - the DynamoDB and End User Messaging SMS operations it calls, and on which
//     table (by the *_TABLE variable whose config field the call uses).
//
// Conventions the scan relies on (documented in tests/terraform/README.md):
//   - variables are read with env.get("X"), get_or("X", ...), required("X", ...),
//     require(env, "X"), std::getenv("X") or a small helper taking the name as
//     its first argument (positive("X", ...), seconds("X", ...), ...);
//     `required`/`require` mark the variable as required;
//   - the settings several functions share (scaffold/settings.hpp) are named in a
//     scaffold::Uses initializer, each field named like its variable in lower case:
//     `.contacts_table = scaffold::kRequired` reads CONTACTS_TABLE, required
//     (kOptional: read when set; the fields are checked against struct Uses);
//   - AWS calls go through common/aws's typed clients (DynamoDbClient,
//     SmsVoiceClient): the client methods are read from their headers;
//   - a table's name comes from a config field named like its variable
//     (CONTACTS_TABLE -> contacts_table).
import { readFile, readdir, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";

// Variables Lambda sets itself (reserved: a function configuration may not set them).
export const LAMBDA_RESERVED = new Set([
  "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_LOG_LEVEL",
  "AWS_LAMBDA_LOG_FORMAT", "AWS_LAMBDA_RUNTIME_API", "AWS_XRAY_CONTEXT_MISSING",
  "AWS_XRAY_DAEMON_ADDRESS", "_X_AMZN_TRACE_ID", "_HANDLER", "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR", "TZ",
]);

const ENV_CALL =
  /\b(get|get_or|getenv|required|require|optional|positive|non_negative|integer|number|seconds|milliseconds|duration|flag|boolean)\s*\(\s*(?:env\s*,\s*)?"([A-Z_][A-Z0-9_]*)"/g;

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(p)));
    else if (/\.(cpp|hpp|h|cc)$/.test(entry.name)) out.push(p);
  }
  return out;
}

/**
 * The function's own sources plus everything they include from the repository,
 * transitively, with each included header's .cpp (so code moved into common/
 * still counts for the functions that use it).
 */
export async function sourceClosure(repo, fn) {
  const dir = path.join(repo, "functions", fn);
  const seen = new Set();
  const queue = (await walk(dir)).map((p) => path.relative(repo, p));
  while (queue.length) {
    const rel = queue.shift();
    if (seen.has(rel)) continue;
    seen.add(rel);
    const text = await readFile(path.join(repo, rel), "utf8");
    for (const m of text.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
      for (const candidate of [m[1], m[1].replace(/\.(hpp|h)$/, ".cpp")]) {
        if (candidate !== rel && existsSync(path.join(repo, candidate)) && !seen.has(candidate)) {
          queue.push(candidate);
        }
      }
    }
  }
  return [...seen].sort();
}

// The fields of scaffold::Uses (scaffold/settings.hpp): the shared settings a function may name.
async function sharedSettings(repo) {
  const file = path.join(repo, "scaffold/settings.hpp");
  if (!existsSync(file)) return new Set();
  const text = stripComments(await readFile(file, "utf8"));
  const body = /struct\s+Uses\s*\{([\s\S]*?)\};/.exec(text)?.[1] ?? "";
  return new Set([...body.matchAll(/\bUse\s+([a-z][a-z0-9_]*)\s*=/g)].map((m) => m[1]));
}

const USES = /\.([a-z][a-z0-9_]*)\s*=\s*(?:scaffold::)?(?:Use::)?k(Required|Optional)\b/g;

/** Environment variables read in `files`: Map name -> {required, where[]} */
export async function environmentReads(repo, files) {
  const reads = new Map();
  const shared = await sharedSettings(repo);
  for (const rel of files) {
    const text = stripComments(await readFile(path.join(repo, rel), "utf8"));
    for (const m of text.matchAll(USES)) {
      if (!shared.has(m[1])) continue;
      const name = m[1].toUpperCase();
      const entry = reads.get(name) ?? { required: false, where: [] };
      if (m[2] === "Required") entry.required = true;
      entry.where.push(`${rel}:${lineOf(text, m.index)}`);
      reads.set(name, entry);
    }
    for (const m of text.matchAll(ENV_CALL)) {
      const name = m[2];
      const entry = reads.get(name) ?? { required: false, where: [] };
      if (m[1] === "required" || m[1] === "require") entry.required = true;
      entry.where.push(`${rel}:${lineOf(text, m.index)}`);
      reads.set(name, entry);
    }
  }
  return reads;
}

const CLIENTS = [
  { header: "common/aws/dynamodb.hpp", cls: "DynamoDbClient", service: "dynamodb", receiver: /dynamo|db/i },
  { header: "common/aws/sms_voice.hpp", cls: "SmsVoiceClient", service: "sms-voice", receiver: /sms/i },
];

const pascal = (snake) => snake.split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join("");

// The API operation a client method sends: the call("Op") in its body, or that
// of the sibling method it delegates to (query_all -> query -> "Query").
function wireOperation(impl, cls, method, depth = 0) {
  const at = impl.search(new RegExp(`\\b${cls}::${method}\\s*\\(`));
  if (at < 0 || depth > 3) return pascal(method);
  let i = impl.indexOf("{", at), d = 0, end = i;
  for (; i < impl.length; i++) {
    if (impl[i] === "{") d++;
    else if (impl[i] === "}" && --d === 0) { end = i; break; }
  }
  const body = impl.slice(impl.indexOf("{", at), end);
  const direct = /\bcall\s*\(\s*"([A-Za-z]+)"/.exec(body);
  if (direct) return direct[1];
  const sibling = /(?<![.\w])([a-z][a-z0-9_]*)\s*\(/.exec(body.replace(new RegExp(`\\b${method}\\b`, "g"), ""));
  for (const m of body.matchAll(/(?<![.>\w])([a-z][a-z0-9_]*)\s*\(/g)) {
    if (m[1] !== method && impl.search(new RegExp(`\\b${cls}::${m[1]}\\s*\\(`)) >= 0) {
      return wireOperation(impl, cls, m[1], depth + 1);
    }
  }
  return sibling ? pascal(method) : pascal(method);
}

/** The typed clients' operations, read from their class declarations: [{service, method, op}] */
export async function clientOperations(repo) {
  const ops = [];
  for (const c of CLIENTS) {
    const text = stripComments(await readFile(path.join(repo, c.header), "utf8"));
    const start = text.search(new RegExp(`class\\s+${c.cls}\\b[^;]*?\\{`));
    if (start < 0) throw new Error(`${c.header}: no class ${c.cls}`);
    let depth = 0, i = text.indexOf("{", start), end = i;
    for (; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) { end = i; break; }
    }
    const body = text.slice(start, end);
    const impl = stripComments(await readFile(path.join(repo, c.header.replace(/\.hpp$/, ".cpp")), "utf8"));
    for (const m of body.matchAll(/^\s*Outcome<[^;]*?>\s+([a-z][a-z0-9_]*)\s*\(/gm)) {
      ops.push({ service: c.service, method: m[1], op: wireOperation(impl, c.cls, m[1]), receiver: c.receiver });
    }
  }
  return ops;
}

/**
 * AWS operations the function can reach: every call in its own folder, and in
 * the shared code it includes (common/, outside common/aws, which implements
 * the clients) only the calls inside functions it can reach by name from its
 * own code. [{service, op, table: "X_TABLE"|null, where}]
 */
export async function awsCalls(repo, files, ops, tableVars, fnDir) {
  const byMethod = new Map();
  for (const o of ops) byMethod.set(o.method, [...(byMethod.get(o.method) ?? []), o]);
  const methodRe = new RegExp(`\\.\\s*(${[...byMethod.keys()].join("|")})\\s*\\(`, "g");
  const own = [];
  const shared = []; // {name, body, offset, rel, text}
  for (const rel of files.filter((f) => !f.startsWith("common/aws/") && !f.startsWith("runtime/"))) {
    const text = stripComments(await readFile(path.join(repo, rel), "utf8"));
    if (rel.startsWith(fnDir + "/")) own.push({ rel, text, offset: 0, body: text });
    else shared.push(...definitions(text).map((d) => ({ ...d, rel, text })));
  }
  // Reachability by name from the function's own code through shared definitions.
  const called = (code) => new Set([...code.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((m) => m[1]));
  const reached = new Set();
  const queue = own.flatMap((o) => [...called(o.body)]);
  while (queue.length) {
    const name = queue.shift();
    if (reached.has(name)) continue;
    reached.add(name);
    for (const d of shared.filter((d) => d.name === name)) queue.push(...called(d.body));
  }
  const calls = [];
  const scan = (unit) => {
    let previousEnd = 0;
    for (const m of unit.body.matchAll(methodRe)) {
      const receiver = receiverBefore(unit.body, m.index);
      const candidates = byMethod.get(m[1]);
      const matching = candidates.filter((o) => o.receiver.test(receiver));
      const chosen = matching.length ? matching : candidates.length === 1 && m[1].includes("_") ? candidates : [];
      if (!chosen.length) continue;
      const op = chosen[0];
      const statementEnd = unit.body.indexOf(";", m.index);
      const inCall = unit.body.slice(m.index, statementEnd < 0 ? undefined : statementEnd);
      const before = unit.body.slice(Math.max(previousEnd, m.index - 1500), m.index);
      previousEnd = m.index + m[0].length;
      // The table: named in the call itself, else where the request object passed
      // to it got its table_name, else the nearest table named before the call.
      let table = null;
      if (op.service === "dynamodb") {
        const arg = /^\.\s*\w+\s*\(\s*([A-Za-z_]\w*)\s*\)/.exec(inCall)?.[1];
        const assigned = arg
          ? [...unit.body.slice(0, m.index).matchAll(new RegExp(`\\b${arg}\\.table_name\\s*=\\s*([^;]+);`, "g"))].pop()?.[1]
          : undefined;
        table = lastTable(inCall, tableVars) ?? (assigned && lastTable(assigned, tableVars)) ?? lastTable(before, tableVars);
      }
      const index = op.op === "Query" ? /index_name\s*=/.test(before + inCall) : false;
      calls.push({ service: op.service, op: op.op, table, index, where: `${unit.rel}:${lineOf(unit.text, unit.offset + m.index)}` });
    }
  };
  own.forEach(scan);
  shared.filter((d) => reached.has(d.name)).forEach(scan);
  return calls;
}

const KEYWORDS = new Set(["if", "for", "while", "switch", "catch", "return", "sizeof", "decltype"]);

// Function definitions (free, out-of-class and in-class inline) of a .cpp: [{name, body, offset}] (name without class).
function definitions(text) {
  const out = [];
  const re = /^[ \t]*[A-Za-z_][^;{}()\n]*?\b(?:[A-Za-z_]\w*::)*([A-Za-z_]\w*)\s*\([^;{}]*\)\s*(?:const\s*)?(?:noexcept\s*)?(?:->\s*[^{;]+)?\{/gm;
  for (const m of text.matchAll(re)) {
    let depth = 0, i = m.index + m[0].length - 1;
    const start = i;
    for (; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) break;
    }
    if (!KEYWORDS.has(m[1])) out.push({ name: m[1], body: text.slice(start, i + 1), offset: start });
  }
  return out;
}

function lastTable(text, tableVars) {
  let found = null;
  for (const m of text.matchAll(/\b([a-z][a-z0-9_]*?)_table\b|\btables?_?\s*\.\s*([a-z][a-z0-9_]*)\b/g)) {
    const variable = `${(m[1] ?? m[2]).toUpperCase()}_TABLE`;
    if (tableVars.has(variable)) found = variable;
  }
  return found;
}

// The object expression a method is called on: `s_.dynamodb` in `s_.dynamodb\n .put_item(`.
function receiverBefore(text, dotIndex) {
  let i = dotIndex;
  while (i > 0 && /[\w.>\-\s()\]\[*]/.test(text[i - 1]) && dotIndex - i < 120) i--;
  return text.slice(i, dotIndex).replace(/\s+/g, "");
}

function stripComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
    .replace(/(^|[^:"])\/\/[^\n]*/g, (c, p) => p + " ".repeat(c.length - p.length));
}

function lineOf(text, index) {
  return text.slice(0, index).split("\n").length;
}

/**
 * The EMF metrics a function emits, read from its sources (outside common/aws, common/observe and
 * runtime/), with the dimension names of each:
 *   - names added to a common::observe::Metrics (receiver `metrics` or `m`; dimension
 *     FunctionName): every string literal of add()'s first argument (a conditional names
 *     several), or, when it is a variable, the literals returned by the function that set it
 *     (`const std::string block = carrier_block_metric(type); metrics.add(block, 1)`);
 *   - hand-built EMF lines: each {"Name", "X"} with the nearest "Dimensions",
 *     json::array({json::array({"FunctionName", "Status"})}) before it.
 * Returns { metrics: Map name -> Set of dimension lists ("FunctionName", "FunctionName,Status"),
 * unresolved: [where] } (an add() whose name the scan cannot read: teach the scan, or name it).
 */
export async function emittedMetrics(repo, files) {
  const metrics = new Map();
  const unresolved = [];
  const note = (name, dims) => {
    if (!metrics.has(name)) metrics.set(name, new Set());
    metrics.get(name).add(dims.join(","));
  };
  const units = [];
  for (const rel of files.filter((f) => !/^(common\/aws|common\/observe|runtime)\//.test(f))) {
    units.push({ rel, text: stripComments(await readFile(path.join(repo, rel), "utf8")) });
  }
  const defs = units.flatMap((u) => definitions(u.text));
  for (const { rel, text } of units) {
    for (const m of text.matchAll(/\b(?:metrics|m)\s*\.\s*add\s*\(/g)) {
      const first = firstArgument(text, m.index + m[0].length);
      const literals = [...first.matchAll(/"([^"\\]+)"/g)].map((x) => x[1]);
      if (literals.length) {
        literals.forEach((n) => note(n, ["FunctionName"]));
        continue;
      }
      const variable = /^\s*([A-Za-z_]\w*)\s*$/.exec(first)?.[1];
      const setter = variable &&
        [...text.slice(0, m.index).matchAll(new RegExp(`\\b${variable}\\s*=\\s*(?:[A-Za-z_]\\w*::)*([A-Za-z_]\\w*)\\s*\\(`, "g"))].pop()?.[1];
      const returned = [...(defs.find((d) => d.name === setter)?.body ?? "").matchAll(/\breturn\s+"([^"\\]+)"/g)].map((x) => x[1]);
      if (returned.length) returned.forEach((n) => note(n, ["FunctionName"]));
      else unresolved.push(`${rel}:${lineOf(text, m.index)}`);
    }
    // common::observe::write_dimensioned_metric(out, namespace, function, "<dimension>", value,
    // "<metric>", ...): one line with [FunctionName, <dimension>].
    for (const m of text.matchAll(/\bwrite_dimensioned_metric\s*\(/g)) {
      const args = callArguments(text, m.index + m[0].length);
      const dimension = /^\s*"([^"\\]+)"\s*$/.exec(args[3] ?? "")?.[1];
      const metric = /^\s*"([^"\\]+)"\s*$/.exec(args[5] ?? "")?.[1];
      if (dimension && metric) note(metric, ["FunctionName", dimension]);
      else if (!/^\s*void\b/.test(text.slice(text.lastIndexOf("\n", m.index) + 1, m.index))) unresolved.push(`${rel}:${lineOf(text, m.index)}`);
    }
    for (const m of text.matchAll(/\{\s*"Name"\s*,\s*"([^"\\]+)"/g)) {
      const before = text.slice(Math.max(0, m.index - 800), m.index);
      const dims = [...before.matchAll(/"Dimensions"\s*,\s*json::array\(\s*\{\s*json::array\(\s*\{([^{}]*)\}/g)].pop()?.[1];
      if (dims) note(m[1], [...dims.matchAll(/"([^"\\]+)"/g)].map((x) => x[1]));
      else unresolved.push(`${rel}:${lineOf(text, m.index)}`);
    }
  }
  return { metrics, unresolved };
}

// The top-level arguments of a call, from just after its "(" to its closing parenthesis.
function callArguments(text, start) {
  const args = [];
  let depth = 0, inString = false, from = start;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      if (depth === 0) { args.push(text.slice(from, i)); return args; }
      depth--;
    } else if (c === "," && depth === 0) { args.push(text.slice(from, i)); from = i + 1; }
  }
  return args;
}

// The text of a call's first argument, from just after its "(" to the first top-level comma or
// the closing parenthesis (the rest of the text when neither comes).
function firstArgument(text, start) {
  const args = callArguments(text, start);
  return args.length ? args[0] : text.slice(start);
}

/** Everything the checks need about one function, or {built: false}. */
export async function scanFunction(repo, fn, ops) {
  const dir = path.join(repo, "functions", fn);
  if (!existsSync(dir) || !(await stat(dir)).isDirectory()) return { name: fn, built: false };
  const files = await sourceClosure(repo, fn);
  const env = await environmentReads(repo, files);
  const tableVars = new Set([...env.keys()].filter((k) => k.endsWith("_TABLE")));
  const calls = await awsCalls(repo, files, ops, tableVars, `functions/${fn}`);
  const emitted = await emittedMetrics(repo, files);
  return { name: fn, built: true, files, env, calls, tableVars, metrics: emitted.metrics, unresolvedMetrics: emitted.unresolved };
}
