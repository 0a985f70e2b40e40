#!/usr/bin/env node
// Rewrites .tf files as hclwrite formats them (what `terraform fmt` does, for
// the layout rules hclwrite covers), since the terraform binary is not here.
//   node tests/terraform/format.mjs [dir]      (default: terraform/)
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { format } from "@cdktf/hcl-tools";
import { repoRoot } from "./lib/run.mjs";

const dir = path.resolve(process.argv[2] ?? path.join(repoRoot, "terraform"));
for (const name of (await readdir(dir)).filter((n) => n.endsWith(".tf"))) {
  const file = path.join(dir, name);
  const source = await readFile(file, "utf8");
  const formatted = await format(source);
  if (formatted !== source) {
    await writeFile(file, formatted);
    console.log(`formatted ${path.relative(process.cwd(), file)}`);
  }
}
