// The provider schema the offline argument check reads
// (tests/terraform/provider-schema.json): `terraform providers schema -json`
// from the provider itself, reduced to the resource and data source types
// terraform/ uses. `node tests/terraform/tf.mjs schema` regenerates it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadModule } from "./hcl.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
export const schemaFile = path.resolve(here, "..", "provider-schema.json");
export const PROVIDER = "registry.terraform.io/hashicorp/aws";

/** Resource and data source types a loaded module uses: { resource: [..], data: [..] }, sorted. */
export function usedTypes(model) {
  const pick = (kind) => [...new Set(model.blocks.filter((b) => b.kind === kind).map((b) => b.type))].sort();
  return { resource: pick("resource"), data: pick("data") };
}

/**
 * One attribute's mode: "required", "optional" (optional, whether or not also
 * computed) or "computed" (set by the provider only), with " deprecated"
 * appended when the provider marks it so.
 */
function attributeMode(a) {
  const mode = a.required ? "required" : a.optional ? "optional" : "computed";
  return a.deprecated ? `${mode} deprecated` : mode;
}

/** A provider schema block reduced to names, modes and nesting limits (keys sorted). */
export function reduceBlock(block) {
  const out = {};
  const attrs = Object.keys(block.attributes ?? {}).sort();
  if (attrs.length) out.attributes = Object.fromEntries(attrs.map((n) => [n, attributeMode(block.attributes[n])]));
  const blocks = Object.keys(block.block_types ?? {}).sort();
  if (blocks.length) {
    out.blocks = Object.fromEntries(blocks.map((n) => {
      const b = block.block_types[n];
      const reduced = { nesting: b.nesting_mode };
      if (b.min_items) reduced.min_items = b.min_items;
      if (b.max_items) reduced.max_items = b.max_items;
      if (b.block?.deprecated) reduced.deprecated = true;
      return [n, { ...reduced, ...reduceBlock(b.block ?? {}) }];
    }));
  }
  return out;
}

/**
 * The committed file's content for `types` from the full output of
 * `terraform providers schema -json` (parsed) and the provider version.
 * Throws when a type is missing from the provider (the module would not
 * validate either).
 */
export function reduceSchema(full, types, providerVersion) {
  const p = full.provider_schemas?.[PROVIDER];
  if (!p) throw new Error(`no ${PROVIDER} in the schema output`);
  const section = (kind, key) => Object.fromEntries(types[kind].map((t) => {
    const s = p[key]?.[t];
    if (!s) throw new Error(`${kind} type ${t} is not in ${PROVIDER} ${providerVersion}`);
    return [t, reduceBlock(s.block)];
  }));
  return {
    _generated: "by `node tests/terraform/tf.mjs schema` from `terraform providers schema -json`, reduced to the types terraform/ uses; do not edit by hand",
    provider: PROVIDER,
    provider_version: providerVersion,
    resource: section("resource", "resource_schemas"),
    data: section("data", "data_source_schemas"),
  };
}

/** The reduced schema as committed: 2-space JSON with a final newline. */
export function formatSchema(reduced) {
  return JSON.stringify(reduced, null, 2) + "\n";
}

/**
 * The provider's schema reduced to the types the module in `ws` (a workspace
 * of lib/terraform.mjs) uses: { reduced, version }, version being the
 * hashicorp/aws release init selected (from the workspace's lock file).
 */
export async function providerSchemaFor(ws) {
  const r = await ws.run(["providers", "schema", "-json"]);
  if (r.code !== 0) throw new Error(`terraform providers schema failed:\n${r.output}`);
  const lock = await readFile(path.join(ws.dir, ".terraform.lock.hcl"), "utf8");
  const version = /provider "registry\.terraform\.io\/hashicorp\/aws" \{\s*version\s*=\s*"([^"]+)"/.exec(lock)?.[1];
  if (!version) throw new Error(`.terraform.lock.hcl names no hashicorp/aws version:\n${lock}`);
  return { reduced: reduceSchema(JSON.parse(r.stdout), usedTypes(await loadModule(ws.dir)), version), version };
}

/**
 * Where two reduced schemas differ, as "path: committed -> provider" lines
 * (at most `limit`); empty when they are the same.
 */
export function schemaDifferences(committed, provider, limit = 20) {
  const out = [];
  const walk = (a, b, where) => {
    if (out.length >= limit) return;
    if (a && b && typeof a === "object" && typeof b === "object") {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (k === "_generated") continue;
        walk(a[k], b[k], where ? `${where}.${k}` : k);
      }
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      out.push(`${where}: ${JSON.stringify(a) ?? "absent"} in provider-schema.json, ${JSON.stringify(b) ?? "absent"} in the provider`);
    }
  };
  walk(committed, provider, "");
  return out;
}
