#!/usr/bin/env bash
# A bootstrap is relinked when a library it links changes in content, even when the
# new file is dated before the last build (dpkg gives libcrypto.a its packaging date,
# so a security update of OpenSSL looks "old" to make), and when the Debian source
# version of a library built by scripts/setup changes. Not relinked otherwise.
# Works on a scratch build with a copy of the dependency prefix, so nothing shared
# is touched.
#   relink_test.sh <source dir> <deps prefix> <scratch dir>
set -euo pipefail
src="$1" prefix="$2" work="$3"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cp -a "$prefix" "$work/prefix"
cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DSMSC_DEPS_PREFIX="$work/prefix" \
  -DSMSC_BUILD_BENCH=OFF >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
bin="$work/build/tests/integration/relink-probe/bootstrap"

# build NAME: builds the probe, and says whether its link step ran.
linked() {
  cmake --build "$work/build" --target relink_probe -j2 >"$work/$1.log" 2>&1 ||
    { cat "$work/$1.log"; exit 1; }
  grep -q "Linking CXX executable.*relink-probe/bootstrap" "$work/$1.log"
}
fail() { echo "FAIL: $*"; exit 1; }

linked first || fail "the first build did not link the probe"
"$bin" | grep -q '^libcurl/' || fail "the probe does not run"
if linked unchanged; then fail "relinked with nothing changed"; fi
echo "ok: nothing changed, no relink"

# A libsimdjson.a with one more archive member (new content), dated 2001.
echo 'int smsc_relink_test_marker(void) { return 42; }' >"$work/marker.c"
cc -c "$work/marker.c" -o "$work/marker.o"
ar rs "$work/prefix/lib/libsimdjson.a" "$work/marker.o" 2>/dev/null
touch -d '2001-01-01 00:00:00 UTC' "$work/prefix/lib/libsimdjson.a"
[ "$work/prefix/lib/libsimdjson.a" -ot "$bin" ] || fail "the replaced library is not older"
linked new-content || fail "libsimdjson.a changed in content (dated 2001) but the probe was not relinked"
echo "ok: a library replaced by an older-dated one with new content relinks"
if linked again; then fail "relinked twice for one change"; fi

# A new Debian source version of libcurl (what scripts/setup writes after rebuilding it).
echo "9.99.9-1+test" >"$work/prefix/.stamp-curl"
linked new-source-version || fail "a new curl source version did not relink"
grep -q '"debian_version":"9.99.9-1+test"' "$work/build/deps-manifest.json" ||
  fail "the manifest does not record the new curl version"
echo "ok: a new source version relinks and is recorded"
