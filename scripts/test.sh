#!/usr/bin/env bash
# The whole test suite, as CI runs it (README: "Run every test").
#  1. gcc, -Werror: unit, CLI, fuzz-corpus and install tests
#  2. clang with ASan + UBSan: the same tests (install excluded: its consumer
#     is built without the sanitizer runtime)
#  3. valgrind on every CLI test (leaks are errors)
#  4. libFuzzer on every fuzz target for VOCAL_FUZZ_SECONDS (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
jobs=$(nproc)
fuzz_seconds=${VOCAL_FUZZ_SECONDS:-60}
export CTEST_OUTPUT_ON_FAILURE=1

step() { printf '\n=== %s\n' "$*"; }

step "gcc -Werror build and tests"
cmake -S . -B build/test-gcc -DVOCAL_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/test-gcc -j "$jobs"
ctest --test-dir build/test-gcc -j "$jobs"

step "clang ASan+UBSan build and tests"
cmake -S . -B build/test-asan -DCMAKE_C_COMPILER=clang -DVOCAL_WERROR=ON \
      -DVOCAL_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build/test-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/test-asan -j "$jobs" -E '^install/'

step "valgrind on the CLI tests"
cmake -S . -B build/test-valgrind -DVOCAL_WERROR=ON -DVOCAL_VALGRIND=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/test-valgrind -j "$jobs"
ctest --test-dir build/test-valgrind -j "$jobs" -R '^cli/'

step "libFuzzer, ${fuzz_seconds}s per target"
cmake -S . -B build/test-fuzz -DCMAKE_C_COMPILER=clang -DVOCAL_FUZZ=ON -DVOCAL_WERROR=ON \
      -DVOCAL_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/test-fuzz -j "$jobs"
for bin in build/test-fuzz/tests/*_fuzz; do
    name=$(basename "$bin" _fuzz)
    work=build/test-fuzz/corpus-$name
    rm -rf "$work"
    mkdir -p "$work"
    cp tests/fuzz/corpus/"$name"/* "$work"/
    echo "fuzzing $name"
    "$bin" -max_total_time="$fuzz_seconds" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1 "$work" 2>&1 | tail -n 12
done

step "all tests passed"
