// Writes the CycloneDX 1.5 bill of materials of one bootstrap and validates it with the
// CycloneDX library's strict JSON schema validator. Called by scripts/build.
//
//   node scripts/sbom/write.mjs --manifest <build>/deps-manifest.json --function <name>
//        --bootstrap <path> --out dist/<name>.cdx.json [--version <project version>]
//
// The components come from the build's dependency manifest (cmake/write_deps_manifest.cmake):
// each linked library with its upstream version, the Debian package (binary or, for what
// scripts/setup builds from source, the source package) and version as a purl, its licence
// and the SHA-256 of every file linked in. The output is deterministic (no timestamp, a
// serial number derived from the bootstrap's hash), so reproducible builds stay reproducible.
// Exit status: 0 written and valid, 1 invalid or unreadable input, 2 usage error.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';

// SPDX licence expressions of the upstream projects (tzdata is in the public domain,
// which SPDX has no identifier for: a named licence then).
const kLicenses = {
  openssl: 'Apache-2.0',
  curl: 'curl',
  zlib: 'Zlib',
  simdjson: 'Apache-2.0 OR MIT',
  abseil: 'Apache-2.0',
  'nlohmann-json': 'MIT',
  glibc: 'LGPL-2.1-or-later',
  'libstdc++': 'GPL-3.0-or-later WITH GCC-exception-3.1',
  libgcc: 'GPL-3.0-or-later WITH GCC-exception-3.1',
};
const kDescriptions = {
  openssl: 'TLS and cryptography (libcrypto, libssl): SigV4 HMAC/SHA-256, HTTPS',
  curl: 'HTTP client (HTTP/HTTPS only), built by scripts/setup from Debian\'s source package',
  zlib: 'compression (libcurl content decoding)',
  simdjson: 'JSON parsing, built by scripts/setup from Debian\'s source package',
  abseil: 'time zone rules (CCTZ, libabsl_time_zone)',
  'nlohmann-json': 'JSON building (header-only)',
  glibc: 'C library, linked statically',
  'libstdc++': 'C++ standard library, linked statically',
  libgcc: 'compiler runtime, linked statically',
  tzdata: 'IANA time zone data for the US zones, embedded in the program',
};

function fail(message, status = 1) {
  process.stderr.write(`sbom: ${message}\n`);
  process.exit(status);
}

/** Builds the CycloneDX model for one bootstrap from the build's manifest. */
export function buildBom({ manifest, functionName, bootstrapSha256, projectVersion }) {
  const bom = new CDX.Models.Bom();
  // A serial number is a UUID; derive it from the binary so the file is reproducible.
  const h = createHash('sha256').update(`${functionName}\n${bootstrapSha256}`).digest('hex');
  bom.serialNumber = `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-` +
    `${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  const app = new CDX.Models.Component(CDX.Enums.ComponentType.Application, functionName, {
    bomRef: functionName,
    version: projectVersion,
    description: `AWS Lambda bootstrap (static ${manifest.arch} executable, provided.al2023/al2)`,
  });
  app.hashes.set(CDX.Enums.HashAlgorithm['SHA-256'], bootstrapSha256);
  app.properties.add(new CDX.Models.Property('sms-compliance:compiler', manifest.compiler));
  bom.metadata.component = app;

  for (const c of manifest.components) {
    // `upstream` names the source package: Debian's security tracker (and scanners such
    // as grype and trivy) list advisories by source package (openssl, not libssl-dev).
    const qualifiers = { arch: c.debian_arch, distro: 'debian-12' };
    if (c.debian_source && c.debian_source !== c.debian_package) qualifiers.upstream = c.debian_source;
    const purl = new PackageURL('deb', 'debian', c.debian_package, c.debian_version, qualifiers);
    const type = c.name === 'tzdata' ? CDX.Enums.ComponentType.Data
      : CDX.Enums.ComponentType.Library;
    const component = new CDX.Models.Component(type, c.name, {
      bomRef: `component:${c.name}`,
      version: c.version,
      purl,
      description: kDescriptions[c.name],
    });
    if (kLicenses[c.name]) {
      component.licenses.add(new CDX.Models.LicenseExpression(kLicenses[c.name]));
    } else {
      component.licenses.add(new CDX.Models.NamedLicense('public-domain'));
    }
    if (c.files.length === 1) {
      component.hashes.set(CDX.Enums.HashAlgorithm['SHA-256'], c.files[0].sha256);
    }
    component.properties.add(new CDX.Models.Property('debian:package', c.debian_package));
    component.properties.add(new CDX.Models.Property('debian:version', c.debian_version));
    component.properties.add(new CDX.Models.Property('debian:arch', c.debian_arch));
    component.properties.add(new CDX.Models.Property('debian:source', c.debian_source));
    for (const f of c.files) {
      component.properties.add(new CDX.Models.Property('sms-compliance:linked-file',
        `${basename(f.path)} sha256:${f.sha256}`));
    }
    bom.components.add(component);
    app.dependencies.add(component.bomRef);
  }
  return bom;
}

/** Serialises a model as CycloneDX 1.5 JSON (sorted, stable). */
export function serialize(bom) {
  const factory = new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot5);
  const serializer = new CDX.Serialize.JsonSerializer(factory);
  return serializer.serialize(bom, { sortLists: true, space: 2 }) + '\n';
}

/** Null when `text` is valid CycloneDX 1.5 JSON (strict schema), else the errors. */
export async function validate(text) {
  const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot5);
  return validator.validate(text);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        manifest: { type: 'string' }, function: { type: 'string' },
        bootstrap: { type: 'string' }, out: { type: 'string' }, version: { type: 'string' },
      },
    }));
  } catch (e) {
    fail(e.message, 2);
  }
  for (const k of ['manifest', 'function', 'bootstrap', 'out']) {
    if (!values[k]) fail(`--${k} is required`, 2);
  }
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(values.manifest, 'utf8'));
  } catch (e) {
    fail(`cannot read the manifest ${values.manifest}: ${e.message}`);
  }
  const bootstrapSha256 = createHash('sha256').update(readFileSync(values.bootstrap)).digest('hex');
  const bom = buildBom({
    manifest, functionName: values.function, bootstrapSha256,
    projectVersion: values.version || '0.0.0',
  });
  const text = serialize(bom);
  const errors = await validate(text);
  if (errors !== null) fail(`invalid CycloneDX 1.5: ${JSON.stringify(errors, null, 2)}`);
  const tmp = `${values.out}.tmp.${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, values.out);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
