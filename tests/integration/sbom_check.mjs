// Compares a bill of materials (dist/<fn>.cdx.json) with what its bootstrap reports
// (`bootstrap --version`), and with the Debian packages installed now.
//   node sbom_check.mjs <sbom.cdx.json> <version-output.txt> <bootstrap sha256> [--installed]
// Fails (exit 1, every mismatch listed) when a component's version in the SBOM is not the
// one the binary reports, when the Debian package or version the binary recorded differ,
// when the SBOM's hash is not the bootstrap's, when the SBOM lists a component the binary
// does not or the reverse, and (--installed) when a Debian binary package is now at
// another version than the one linked (a stale build).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [sbomFile, versionFile, bootstrapSha256, flag] = process.argv.slice(2);
const sbom = JSON.parse(readFileSync(sbomFile, 'utf8'));
const lines = readFileSync(versionFile, 'utf8').trim().split('\n').slice(1);
// "<name> <version> (<package>:<arch> <debian version>) <detail>"
const binary = new Map();
for (const line of lines) {
  const m = /^(\S+) (\S+) \(([^:\s]+):(\S+) (\S+)\)/.exec(line);
  if (!m) throw new Error(`unexpected --version line: ${line}`);
  binary.set(m[1], { version: m[2], pkg: m[3], arch: m[4], debianVersion: m[5] });
}
const problems = [];
const prop = (c, name) => (c.properties || []).find((p) => p.name === name)?.value;
const appHash = sbom.metadata?.component?.hashes?.find((h) => h.alg === 'SHA-256')?.content;
if (appHash !== bootstrapSha256) {
  problems.push(`bootstrap sha256 ${bootstrapSha256}, SBOM says ${appHash}`);
}
const seen = new Set();
for (const c of sbom.components || []) {
  seen.add(c.name);
  const b = binary.get(c.name);
  if (!b) { problems.push(`${c.name}: in the SBOM, not reported by the binary`); continue; }
  if (b.version !== c.version) {
    problems.push(`${c.name}: SBOM version ${c.version}, binary reports ${b.version}`);
  }
  if (b.pkg !== prop(c, 'debian:package') || b.debianVersion !== prop(c, 'debian:version')) {
    problems.push(`${c.name}: SBOM ${prop(c, 'debian:package')} ${prop(c, 'debian:version')}, ` +
                  `binary built from ${b.pkg} ${b.debianVersion}`);
  }
  if (!c.purl?.includes(`@${encodeURIComponent(prop(c, 'debian:version')).replace(/%2B/g, '+')}`) &&
      !c.purl?.includes(`@${prop(c, 'debian:version')}`)) {
    problems.push(`${c.name}: purl ${c.purl} does not carry version ${prop(c, 'debian:version')}`);
  }
  if (flag === '--installed' && prop(c, 'debian:arch') !== 'source') {
    const q = `${prop(c, 'debian:package')}${prop(c, 'debian:arch') === 'all' ? '' : ':' + prop(c, 'debian:arch')}`;
    let now = '';
    try { now = execFileSync('dpkg-query', ['-W', '-f=${Version}', q], { encoding: 'utf8' }); } catch {}
    if (now !== prop(c, 'debian:version')) {
      problems.push(`${c.name}: linked ${q} ${prop(c, 'debian:version')}, installed now ${now || 'nothing'} (stale build: rebuild)`);
    }
  }
}
for (const name of binary.keys()) {
  if (!seen.has(name)) problems.push(`${name}: reported by the binary, missing from the SBOM`);
}
if (problems.length) {
  console.log(`${sbomFile}: ${problems.length} mismatch(es)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`${sbomFile}: ${sbom.components.length} components match the bootstrap`);
