#!/usr/bin/env bash
# Every zip in dist/ (and dist/arm64/, run under qemu) has a valid CycloneDX 1.5 bill of
# materials whose versions are the ones inside its bootstrap (`bootstrap --version`,
# which asks OpenSSL, libcurl, zlib and glibc themselves) and, for the Debian binary
# packages, the ones installed now. Purpose-made mistakes prove both checks can fail.
#   sbom_test.sh <repo root> <dist dir>
set -euo pipefail
root="$1" dist="$2"
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
validate() { node "$root/scripts/sbom/validate.mjs" "$@"; }

check_dir() { # DIR [RUNNER]: every zip of DIR against its SBOM
  local dir="$1" runner="${2:-}" n=0 zip fn
  for zip in "$dir"/*.zip; do
    [ -e "$zip" ] || continue
    fn=$(basename "$zip" .zip)
    [ -f "$dir/$fn.cdx.json" ] || fail "$dir/$fn.cdx.json missing (scripts/build writes it)"
    validate "$dir/$fn.cdx.json"
    unzip -p "$zip" bootstrap >"$work/$fn.bootstrap"
    chmod +x "$work/$fn.bootstrap"
    $runner "$work/$fn.bootstrap" --version >"$work/$fn.version"
    local installed=--installed
    node "$here/sbom_check.mjs" "$dir/$fn.cdx.json" "$work/$fn.version" \
      "$(sha256sum <"$work/$fn.bootstrap" | cut -c1-64)" $installed
    n=$((n + 1))
  done
  echo "$n"
}
n=$(check_dir "$dist" | tee /dev/stderr | tail -n1)
# Every function of functions/functions.json (the one list of functions) has its zip.
want=$(node -e 'console.log(Object.keys(require(process.argv[1]).functions).length)' "$root/functions/functions.json")
[ "$n" -ge "$want" ] || fail "expected the zips of every function in $dist ($want), found $n (run scripts/build)"
if [ -d "$dist/arm64" ] && ls "$dist"/arm64/*.zip >/dev/null 2>&1 && command -v qemu-aarch64-static >/dev/null; then
  check_dir "$dist/arm64" qemu-aarch64-static >&2
fi

# Mistakes the checks must catch: a schema violation, a version the binary does not have,
# and a stale link (the SBOM says what is installed, the binary carries something else).
fn=sms-inbound
node -e 'const f=process.argv[1];const s=JSON.parse(require("fs").readFileSync(f));s.components[0].type="not-a-type";require("fs").writeFileSync(f+".bad",JSON.stringify(s))' "$dist/$fn.cdx.json"
if validate "$dist/$fn.cdx.json.bad" >/dev/null; then rm -f "$dist/$fn.cdx.json.bad"; fail "the validator accepted an invalid component type"; fi
mv "$dist/$fn.cdx.json.bad" "$work/bad-schema.json"
node -e 'const f=process.argv[1];const s=JSON.parse(require("fs").readFileSync(f));const c=s.components.find(x=>x.name=="openssl");c.version="3.0.1";require("fs").writeFileSync(process.argv[2],JSON.stringify(s))' "$dist/$fn.cdx.json" "$work/wrong-version.json"
if node "$here/sbom_check.mjs" "$work/wrong-version.json" "$work/$fn.version" "$(sha256sum <"$work/$fn.bootstrap" | cut -c1-64)"; then
  fail "a wrong openssl version in the SBOM went unnoticed"
fi
sed 's/^openssl \([^ ]*\) (libssl-dev:\([a-z0-9]*\) [^)]*)/openssl 3.0.1 (libssl-dev:\2 3.0.1-1~deb12u1)/' "$work/$fn.version" >"$work/stale.version"
if node "$here/sbom_check.mjs" "$dist/$fn.cdx.json" "$work/stale.version" "$(sha256sum <"$work/$fn.bootstrap" | cut -c1-64)"; then
  fail "a bootstrap carrying another OpenSSL than its SBOM went unnoticed"
fi
echo "ok: the SBOM checks catch a schema error, a wrong version and a stale link"
