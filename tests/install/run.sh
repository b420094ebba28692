#!/usr/bin/env bash
# Install the build tree into a temporary prefix, then build and run a
# consumer program through find_package(vocal) (shared and static) and
# through pkg-config (shared, and static with --static).
set -euo pipefail
build=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
expect="deliveri were late again :("
libdir=$(find "$prefix" -name libvocal.so -printf '%h\n' | head -1)

# 1. find_package
cmake -S "$here/consumer" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
got=$(LD_LIBRARY_PATH="$libdir" "$work/cmake/consumer_shared")
[ "$got" = "$expect" ] || { echo "find_package shared: got '$got'"; exit 1; }
got=$("$work/cmake/consumer_static")
[ "$got" = "$expect" ] || { echo "find_package static: got '$got'"; exit 1; }

# 2. pkg-config
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc=${CC:-cc}
# shellcheck disable=SC2046
$cc -o "$work/pc_shared" "$here/consumer/consumer.c" $(pkg-config --cflags --libs vocal)
got=$(LD_LIBRARY_PATH="$libdir" "$work/pc_shared")
[ "$got" = "$expect" ] || { echo "pkg-config shared: got '$got'"; exit 1; }
# shellcheck disable=SC2046
$cc -static-libgcc -o "$work/pc_static" "$here/consumer/consumer.c" -DVOCAL_STATIC \
    $(pkg-config --cflags vocal) "$libdir/libvocal.a" $(pkg-config --static --libs-only-l vocal | sed 's/-lvocal//')
got=$("$work/pc_static")
[ "$got" = "$expect" ] || { echo "pkg-config static: got '$got'"; exit 1; }

# 3. data files are installed
[ -d "$prefix/share/vocal/lexicons" ] || { echo "lexicons not installed"; exit 1; }
echo "consumer built and ran via find_package (shared, static) and pkg-config (shared, static)"
