#!/usr/bin/env bash
# Runs one CLI case (zstd cli-tests style): CASE.sh is run with `vocal` as a
# function wrapping the built binary (under valgrind when VOCAL_RUNNER is
# set); its exit status, stdout and stderr are compared with CASE.exit
# (default 0), CASE.stdout.exact and CASE.stderr.glob when present.
set -u
case_sh=$1
base=${case_sh%.sh}
dir=$(dirname "$case_sh")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SRC VOCAL VOCAL_RUNNER
export DATA="$SRC/tests/data/cli"
export TMPDIR_CASE="$tmp"
vocal() {
    # shellcheck disable=SC2086
    $VOCAL_RUNNER "$VOCAL" "$@"
}
export -f vocal
(cd "$dir" && bash -o pipefail "$case_sh") >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
want=0
[ -f "$base.exit" ] && want=$(cat "$base.exit")
fail=0
if [ "$status" = 77 ] && [ "$want" != 77 ]; then
    echo "skipped: $(cat "$tmp/stderr")"
    exit 77
fi
if [ "$status" != "$want" ]; then
    echo "exit status $status, expected $want"
    fail=1
fi
if [ -f "$base.stdout.exact" ] && ! diff -u "$base.stdout.exact" "$tmp/stdout"; then
    echo "stdout differs from $base.stdout.exact"
    fail=1
fi
if [ -f "$base.stderr.glob" ]; then
    pat=$(cat "$base.stderr.glob")
    got=$(cat "$tmp/stderr")
    # shellcheck disable=SC2053
    if [[ "$got" != $pat ]]; then
        echo "stderr does not match $base.stderr.glob"
        echo "--- pattern"; echo "$pat"; echo "--- got"; echo "$got"
        fail=1
    fi
fi
if [ $fail = 1 ]; then
    echo "--- stderr"; cat "$tmp/stderr"
    exit 1
fi
exit 0
