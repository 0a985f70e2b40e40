// Loads a Terraform root module offline: every .tf file parsed with
// @cdktf/hcl2json (HashiCorp's HCL parser compiled to WebAssembly), merged into
// one model, plus the helpers the checks share for reading its expressions.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { parse } from "@cdktf/hcl2json";

/**
 * Parses every .tf file of `dir`. Returns { files: {name: source}, blocks }
 * where blocks lists every top-level block as
 * { kind: "resource"|"data"|"variable"|"output"|"locals"|"terraform"|"provider",
 *   type, name, body, file }.
 * A syntax error rejects with the file name in the message.
 */
export async function loadModule(dir) {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".tf")).sort();
  const files = {};
  const blocks = [];
  for (const name of names) {
    const source = await readFile(path.join(dir, name), "utf8");
    files[name] = source;
    let json;
    try {
      json = await parse(name, source);
    } catch (e) {
      throw new Error(`${name}: HCL parse error: ${String(e.message ?? e).trim()}`);
    }
    for (const [kind, value] of Object.entries(json)) {
      if (kind === "resource" || kind === "data") {
        for (const [type, byName] of Object.entries(value)) {
          for (const [rname, bodies] of Object.entries(byName)) {
            for (const body of bodies) blocks.push({ kind, type, name: rname, body, file: name });
          }
        }
      } else if (kind === "variable" || kind === "output" || kind === "provider") {
        for (const [vname, bodies] of Object.entries(value)) {
          for (const body of bodies) blocks.push({ kind, type: null, name: vname, body, file: name });
        }
      } else if (kind === "locals" || kind === "terraform") {
        for (const body of value) blocks.push({ kind, type: null, name: null, body, file: name });
      } else {
        blocks.push({ kind, type: null, name: null, body: value, file: name });
      }
    }
  }
  return { dir, files, blocks };
}

/** Every local value of the module, name -> parsed value. */
export function locals(model) {
  const out = {};
  for (const b of model.blocks.filter((b) => b.kind === "locals")) Object.assign(out, b.body);
  return out;
}

export function find(model, kind, type, name) {
  return model.blocks.find((b) => b.kind === kind && b.type === type && b.name === name);
}

/** All strings inside a parsed value (attribute expressions come back as "${...}" strings). */
export function strings(value, out = []) {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** A single-expression string "${x}" -> "x"; anything else -> null. */
export function bareExpression(s) {
  if (typeof s !== "string") return null;
  const m = /^\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}$/.exec(s);
  return m ? m[1].trim() : null;
}

// Terraform's own namespaces that are not declared in the module.
const BUILTIN_ROOTS = new Set(["each", "count", "self", "path", "terraform", "while"]);

/**
 * References (var.x, local.x, type.name, data.type.name) inside an expression
 * string. Identifiers inside string literals of the expression are skipped, as
 * are attribute accesses after a dot and for-expression variables.
 */
export function references(exprString) {
  const refs = [];
  const re = /\$\{/g;
  let m;
  while ((m = re.exec(exprString))) {
    // Find the matching close brace, skipping nested braces and quoted strings.
    let depth = 1;
    let i = m.index + 2;
    let inString = false;
    for (; i < exprString.length && depth > 0; i++) {
      const c = exprString[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
    }
    const body = exprString.slice(m.index + 2, i - 1);
    refs.push(...referencesInCode(body));
    re.lastIndex = i;
  }
  return refs;
}

function referencesInCode(code) {
  // Blank out string literals but keep their interpolations' code.
  let plain = "";
  let inString = false;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (inString) {
      if (c === "\\") { i++; plain += "  "; continue; }
      if (c === '"') { inString = false; plain += " "; continue; }
      if (c === "$" && code[i + 1] === "{") {
        let depth = 1, j = i + 2;
        for (; j < code.length && depth > 0; j++) {
          if (code[j] === "{") depth++;
          else if (code[j] === "}") depth--;
        }
        plain += " " + code.slice(i + 2, j - 1) + " ";
        i = j - 1;
        continue;
      }
      plain += " ";
    } else if (c === '"') { inString = true; plain += " "; }
    else plain += c;
  }
  // for-expression variables: [for a, b in x : ...] / {for k, v in x : ...}
  const loopVars = new Set();
  for (const f of plain.matchAll(/\bfor\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\b/g)) {
    loopVars.add(f[1]);
    if (f[2]) loopVars.add(f[2]);
  }
  const out = [];
  const token = /(?<![\w.\]])([A-Za-z_][\w-]*)((?:\s*\.\s*[A-Za-z_][\w-]*|\s*\[[^\]]*\])*)/g;
  let t;
  while ((t = token.exec(plain))) {
    const root = t[1];
    const rest = t[2] ?? "";
    // Function calls and keywords are not references.
    if (/^\s*\(/.test(plain.slice(t.index + t[0].length))) continue;
    if (["for", "in", "if", "true", "false", "null", "endfor", "endif"].includes(root)) continue;
    if (loopVars.has(root) || BUILTIN_ROOTS.has(root)) continue;
    const parts = [...rest.matchAll(/\.\s*([A-Za-z_][\w-]*)/g)].map((p) => p[1]);
    const key = /^\s*\.\s*[A-Za-z_][\w-]*\s*\[\s*"([^"]*)"\s*\]/.exec(rest);
    if (root === "var" || root === "local") {
      if (parts[0]) out.push({ kind: root, name: parts[0] });
    } else if (root === "data") {
      if (parts[1]) out.push({ kind: "data", type: parts[0], name: parts[1] });
    } else if (root === "module") {
      if (parts[0]) out.push({ kind: "module", name: parts[0] });
    } else if (/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(root) && parts[0]) {
      // resource reference: type.name, with an optional ["key"] after the name
      const keyMatch = new RegExp(`^\\s*\\.\\s*${parts[0]}\\s*\\[\\s*"([^"]*)"\\s*\\]`).exec(rest);
      out.push({ kind: "resource", type: root, name: parts[0], key: keyMatch ? keyMatch[1] : key?.[1] });
    }
  }
  return out;
}
