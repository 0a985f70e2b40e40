#!/usr/bin/env bash
# Checks that keep the rules inside the repository (docs/architecture.md, "Checks on these
# documents"):
#   check_docs.sh citations <source dir>
#     fails if a tracked file outside docs/ cites a specification kept outside the repository:
#     the word SPEC as a document ("SPEC 2", "SPEC section 3", "SPEC.md"), a test named after it
#     (_Spec2), "spec section N", or a path into ../shared. Words such as SPECIFIC, spec.executable
#     or Spec1dot5 do not match.
#   check_docs.sh anchors <source dir>
#     fails if a file cites docs/compliance.md#<anchor> or docs/architecture.md#<anchor> (also the
#     short forms "compliance.md#x, #y" and links inside docs/) for an anchor that no heading of
#     that file produces.
# Each mode first proves on built-in samples that its patterns catch what they must and pass
# what they must, so the check itself cannot silently stop working.
set -euo pipefail

mode="${1:-}"
src="${2:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$src"

fail() { echo "FAIL: $*" >&2; exit 1; }

# Tracked files (or, outside a git checkout, the tree minus build output and dependencies).
list_files() {
  if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$src" ls-files
  else
    find . -type f \( -path ./build -o -path ./.deps -o -path '*/node_modules' -o -path ./.git \
      -o -path ./.local-stack -o -path ./dist -o -path '*/.terraform' \) -prune -o -type f -print |
      sed 's|^\./||'
  fi
}

# --- citations ---------------------------------------------------------------------------------

# Extended regex, case-sensitive.
citation_pattern='\bSPEC\b|_Spec[0-9]|[Ss]pec(ification)? section [0-9]|(\.\./|/work/)shared\b'

self_test_citations() {
  local bad good
  bad=$'// Rules: SPEC section 2.\n// (SPEC 2 "Deadline")\nsee ../shared/SPEC.md\nTEST(A, B_Spec2) {\n# tables of spec section 3\n/work/shared/notes'
  good=$'// SPECIFIC rule\n// SPECS and SPECTRUM\nspec.executable = x;\nCDX.Spec.Spec1dot5\n--test-reporter=spec\n// EMF specification: _aws.Timestamp\nshared/ folder'
  while IFS= read -r line; do
    grep -qE "$citation_pattern" <<<"$line" || fail "self-test: pattern misses a citation: $line"
  done <<<"$bad"
  while IFS= read -r line; do
    if grep -qE "$citation_pattern" <<<"$line"; then fail "self-test: pattern flags an innocent line: $line"; fi
  done <<<"$good"
}

check_citations() {
  self_test_citations
  local hits
  hits=$(list_files |
    grep -vE '^(docs/|tests/docs/check_docs\.sh$|tests/fuzz/corpus/)' |
    while IFS= read -r f; do [[ -f "$f" ]] && printf '%s\0' "$f"; done |
    xargs -0 -r grep -nIE "$citation_pattern" -- || true)
  if [[ -n "$hits" ]]; then
    echo "$hits" >&2
    echo >&2
    fail "$(wc -l <<<"$hits") line(s) cite a specification outside the repository; cite the primary source or a docs/compliance.md section instead"
  fi
  echo "ok: no citation of an outside specification"
}

# --- anchors -------------------------------------------------------------------------------------

# The anchors a markdown file's headings produce (lower case; characters other than letters,
# digits, spaces, '-' and '_' dropped; spaces become '-'), one per line.
anchors_of() {
  grep -E '^#{1,6} ' "$1" | sed -E 's/^#+ +//' | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9 _-]//g; s/ /-/g'
}

# Every "<doc>#<anchor>" cited in the given text on stdin: "compliance.md#a, #b" cites a and b.
cited_in() {
  local doc="$1"
  grep -oE "${doc//./\\.}#[a-z0-9_-]+(, #[a-z0-9_-]+)*" | sed -E "s/^${doc//./\\.}//; s/, /\n/g" |
    sed -E 's/^#//'
}

check_anchor_set() {  # <anchors file> <label> ; cited anchors on stdin as "where<TAB>anchor"
  local known="$1" label="$2" missing=0 where anchor
  while IFS=$'\t' read -r where anchor; do
    if ! grep -qxF "$anchor" "$known"; then
      echo "$where: $label#$anchor names no heading" >&2
      missing=1
    fi
  done
  return "$missing"
}

self_test_anchors() {
  local tmp
  tmp=$(mktemp -d)
  printf '# Title\n## Opt-out deadline\n### A new AWS call\n## HELP answers\n' >"$tmp/doc.md"
  anchors_of "$tmp/doc.md" >"$tmp/anchors"
  for a in opt-out-deadline a-new-aws-call help-answers; do
    grep -qxF "$a" "$tmp/anchors" || fail "self-test: heading anchor $a not derived"
  done
  [[ "$(echo '// see docs/compliance.md#quiet-hours, #state-quiet-hours.' | cited_in compliance.md | tr '\n' ' ')" == "quiet-hours state-quiet-hours " ]] ||
    fail "self-test: cited anchors not extracted"
  if printf 'x\tno-such-rule\n' | check_anchor_set "$tmp/anchors" doc.md 2>/dev/null; then
    fail "self-test: a missing anchor was not reported"
  fi
  rm -rf "$tmp"
}

# Files (NUL-separated on stdout) that mention either doc with an anchor: one grep for all.
files_citing_docs() {
  list_files | while IFS= read -r f; do [[ -f "$f" ]] && printf '%s\0' "$f"; done |
    xargs -0 -r grep -lIZE '(compliance|architecture)\.md#|\]\(#' -- || true
}

check_anchors() {
  self_test_anchors
  local tmp status=0 doc f
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' RETURN
  for doc in compliance architecture; do
    [[ -f "docs/$doc.md" ]] || fail "docs/$doc.md is missing"
    anchors_of "docs/$doc.md" >"$tmp/$doc.anchors"
    : >"$tmp/$doc.cited"
  done
  while IFS= read -r -d '' f; do
    for doc in compliance architecture; do
      # Whole-repository citations name the docs/ path; the docs cite each other by file name.
      if [[ "$f" == docs/* ]]; then
        grep -E "(^|[^/a-z])$doc\.md#" "$f" | cited_in "$doc.md" | sed "s|^|$f\t|" >>"$tmp/$doc.cited" || true
      else
        grep -E "docs/$doc\.md#" "$f" | cited_in "$doc.md" | sed "s|^|$f\t|" >>"$tmp/$doc.cited" || true
      fi
    done
    # In-page links of a doc: "](#anchor)".
    case "$f" in
      docs/compliance.md | docs/architecture.md)
        doc=$(basename "$f" .md)
        grep -oE '\]\(#[a-z0-9_-]+\)' "$f" | sed -E 's/^\]\(#//; s/\)$//' | sed "s|^|$f\t|" \
          >>"$tmp/$doc.cited" || true
        ;;
    esac
  done < <(files_citing_docs)
  for doc in compliance architecture; do
    check_anchor_set "$tmp/$doc.anchors" "docs/$doc.md" <"$tmp/$doc.cited" || status=1
    echo "docs/$doc.md: $(cut -f2 "$tmp/$doc.cited" | sort -u | wc -l) distinct anchor(s) cited, $(wc -l <"$tmp/$doc.anchors") heading(s)"
  done
  [[ $status -eq 0 ]] || fail "cited anchors without a heading (rename the heading back or fix the citation)"
  echo "ok: every cited anchor exists"
}

case "$mode" in
  citations) check_citations ;;
  anchors) check_anchors ;;
  *) echo "usage: $0 citations|anchors [source dir]" >&2; exit 2 ;;
esac
