#!/usr/bin/env bash
# aws-request end to end: exit codes, --sign-only against AWS's published SigV4
# vector (get-vanilla), a JSON 1.0 call to dynalite, and an AWS error (exit 1).
set -uo pipefail
cli=$1 env_file=$2
fail() { echo "FAIL: $*"; exit 1; }

"$cli" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no URL must exit 2"
"$cli" --frobnicate https://x.amazonaws.com/ >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option must exit 2"
"$cli" --time yesterday --sign-only https://x.amazonaws.com/ >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --time must exit 2"

# aws-sig-v4-test-suite get-vanilla: the signature AWS publishes for this request.
out=$(AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
  "$cli" --sign-only --service service --region us-east-1 --time 20150830T123600Z https://example.amazonaws.com/) ||
  fail "--sign-only failed"
grep -q 'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' <<<"$out" ||
  fail "get-vanilla signature differs: $out"
grep -q '^---- canonical request' <<<"$out" || fail "no canonical request printed"
grep -q '^---- string to sign' <<<"$out" || fail "no string to sign printed"

set -a; source "$env_file"; set +a
out=$("$cli" --service dynamodb --target DynamoDB_20120810.ListTables "$AWS_ENDPOINT_URL_DYNAMODB") || fail "ListTables failed: $out"
grep -q '"TableNames"' <<<"$out" || fail "ListTables printed no TableNames: $out"
grep -q "\"$CONTACTS_TABLE\"" <<<"$out" || fail "ListTables lacks $CONTACTS_TABLE: $out"

err=$("$cli" --service dynamodb --target DynamoDB_20120810.DescribeTable -d '{"TableName":"no-such-table"}' \
  "$AWS_ENDPOINT_URL_DYNAMODB" 2>&1 >/dev/null)
status=$?
[ $status -eq 1 ] || fail "an AWS error must exit 1 (got $status)"
grep -q 'ResourceNotFoundException (HTTP 400)' <<<"$err" || fail "error code not printed: $err"
grep -q 'request id: [^-]' <<<"$err" || fail "request id not printed: $err"
echo "aws-request: all checks passed"
