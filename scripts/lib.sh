# Shared helpers for the scripts in this folder. Sourced, not run.

# step MESSAGE: progress line on stderr, so stdout stays for results.
step() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
# die MESSAGE: a clear error and exit 1.
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The functions this repository builds: the names in functions/functions.json, the one list of
# them (each is a folder of functions/; docs/functions.md).
functions_list() {
  node -e 'for (const name of Object.keys(require(process.argv[1]).functions)) console.log(name)' \
    "$root/functions/functions.json"
}
