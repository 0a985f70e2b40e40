#!/usr/bin/env bash
# Sanitizer build only: a sanitizer report inside a bootstrap run by lambda-emulator fails
# the invocation, and the caller's ASAN_OPTIONS/UBSAN_OPTIONS reach the bootstrap.
#
#   sanitizer_tripwire_test.sh <lambda-emulator> <tripwire bootstrap> <action> <report regex> <exit code>
#
# Runs two events in one warm process: {"action":"ok"} must succeed (the harness works),
# then {"action":<action>} must be reported as a crash whose exit code is <exit code>, the
# sanitizers' exitcode that only our *SAN_OPTIONS set (so the options arrived), with the
# report (<report regex>, grep -E) on the emulator's stderr.
set -uo pipefail
emulator=$1 bootstrap=$2 action=$3 report=$4 code=$5
err=$(mktemp)
trap 'rm -f "$err"' EXIT

out=$(printf '{"action":"ok"}\n{"action":"%s"}\n' "$action" |
  "$emulator" --output json --timeout 20 "$bootstrap" - 2>"$err")
status=$?
echo "$out"
fail() { echo "FAIL: $*"; echo "--- emulator stderr ---"; cat "$err"; exit 1; }
[ "$status" -eq 1 ] || fail "emulator exit status $status, expected 1 (an invocation failed)"
first=$(sed -n 1p <<<"$out") second=$(sed -n 2p <<<"$out")
grep -q '"status":"success"' <<<"$first" || fail "the control event did not succeed"
grep -q '"status":"crash"' <<<"$second" || fail "the $action event was not reported as a crash"
grep -q "\"exit_code\":${code}[,}]" <<<"$second" ||
  fail "the bootstrap did not end with exit code $code: the sanitizer options did not reach it"
grep -Eq "$report" "$err" || fail "no sanitizer report matching /$report/ on stderr"
echo "ok: $action -> crash, exit code $code, report on stderr"
