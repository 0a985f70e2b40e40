// Validates CycloneDX 1.5 JSON files with the CycloneDX library's strict schema validator.
//   node scripts/sbom/validate.mjs <file.cdx.json>...   exit 0 all valid, 1 otherwise
import { readFileSync } from 'node:fs';
import { validate } from './write.mjs';

if (process.argv.length < 3) {
  process.stderr.write('usage: node scripts/sbom/validate.mjs <file.cdx.json>...\n');
  process.exit(2);
}
let bad = 0;
for (const file of process.argv.slice(2)) {
  const errors = await validate(readFileSync(file, 'utf8'));
  if (errors === null) {
    process.stdout.write(`${file}: valid CycloneDX 1.5\n`);
  } else {
    bad += 1;
    process.stdout.write(`${file}: INVALID\n${JSON.stringify(errors, null, 2)}\n`);
  }
}
process.exit(bad ? 1 : 0);
