#!/usr/bin/env bash
# The arm64 sms-inbound bootstrap, cross-compiled and fully static, answers a
# HELP text under qemu-aarch64-static, driven by the (x86_64) Runtime API
# emulator against the local stack: the reply must reach the SMS stand-in.
#
#   arm64_qemu_test.sh <lambda-emulator> <arm64 bootstrap> <stack dir> <events dir> <work dir>
set -euo pipefail
emulator="$1" bootstrap="$(realpath "$2")" stack="$3" events="$4" work="$(realpath -m "$5")"

die() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$bootstrap" ] || die "no arm64 bootstrap at $bootstrap (the arm64_build test makes it)"
readelf -hW "$bootstrap" | grep -q 'Machine:.*AArch64' || die "$bootstrap is not an AArch64 executable"
qemu=$(command -v qemu-aarch64-static) || die "qemu-aarch64-static is not installed (scripts/setup)"

# No binfmt_misc here: the emulator execs <bootstrap>, so it gets a wrapper that
# runs the real one under qemu. Its folder name is the function name.
mkdir -p "$work/sms-inbound"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$qemu" "$bootstrap" >"$work/sms-inbound/bootstrap"
chmod 0755 "$work/sms-inbound/bootstrap"

# A fresh message id, so the run is never a redelivery of an earlier one.
id="arm64-$(date +%s%N)"
sed -e "s/in-help-0001/$id/g" -e "s/9a3d2f1e-[0-9]*-4c1b-8d51-[0-9a-f]*/$(cat /proc/sys/kernel/random/uuid)/" \
  "$events/help.json" >"$work/event.json"
outbox=$(sed -n 's/^LOCAL_STACK_OUTBOX=//p' "$stack/env")
[ -n "$outbox" ] || die "no LOCAL_STACK_OUTBOX in $stack/env"
before=$(wc -l <"$outbox" 2>/dev/null || echo 0)

result=$("$emulator" --output json --timeout 60 --env-file "$stack/env" \
  --env PROGRAM_NAME="Acme Dental" --env HELP_CONTACT=help@acme.example --env AWS_MAX_ATTEMPTS=2 \
  "$work/sms-inbound/bootstrap" "$work/event.json")
echo "$result"
[ "$(jq -r .status <<<"$result")" = success ] || die "the invocation did not succeed"

sent=$(tail -n +"$((before + 1))" "$outbox" | jq -c 'select(.DestinationPhoneNumber == "+14255550102")')
[ -n "$sent" ] || die "no reply to +14255550102 in the outbox"
grep -q 'Msg&data rates may apply' <<<"$sent" || die "the reply is not the HELP text: $sent"
echo "ok: arm64 bootstrap under qemu answered HELP: $(jq -r .MessageBody <<<"$sent" | head -n1)"
