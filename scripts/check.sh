#!/usr/bin/env bash
# The checks CI runs, and that a developer runs before pushing: build, then the whole test suite in release.
# The suite runs in release because it trains real models, and debug builds run numeric code ~2000x slower.
set -euo pipefail
cd "$(dirname "$0")/.."

# System libraries the build needs (GRDB links the system SQLite).
if ! dpkg -s libsqlite3-dev >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq libsqlite3-dev
fi

# The PyTorch peer, for the safetensors interoperability tests (they skip, saying so, when it is absent).
if [ -x ../shared/peers/setup.sh ] && [ -z "${DEAI_SKIP_PEERS:-}" ]; then
  ../shared/peers/setup.sh >/dev/null 2>&1 || echo "note: ../shared/peers/setup.sh failed; PyTorch interop tests will skip"
fi

mkdir -p .build
swift build -c release --build-tests 2>&1 | tee .build/build.log
# No warnings in our own code: a new one fails the check (the dependencies' warnings are theirs to fix). A clean
# build shows every warning; an incremental one only those of the files it recompiled.
if grep -E "^$PWD/(Sources|Tests)/[^:]+:[0-9]+:[0-9]+: warning:" .build/build.log; then
  echo "the build has warnings in Sources/ or Tests/ (above): fix them"; exit 1
fi
swift test -c release --skip-build

# An implementation of docs/PROTOCOL.md that shares no code with ours checks the test vectors and a live node.
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore cryptography bech32
python3 conformance/check_protocol.py --deai .build/release/deai > .build/conformance.log \
  || { cat .build/conformance.log; echo "protocol conformance failed"; exit 1; }
tail -n 1 .build/conformance.log

# The API against docs/openapi.yaml: schemathesis sends generated requests to a live node (no 5xx; every status,
# content type and body as documented).
bash scripts/api-conformance.sh 30 1 > .build/api-conformance.log 2>&1 \
  || { cat .build/api-conformance.log; echo "API conformance against docs/openapi.yaml failed"; exit 1; }
grep -E "generated|passed|failed" .build/api-conformance.log | tail -n 1

# The decoders of outside input under libFuzzer (Fuzz/README.md): each target briefly, from its committed seeds; the
# ten-minute runs are made before an issue touching a decoder is closed. The sanitized build takes most of the time.
if [ -z "${DEAI_SKIP_FUZZ:-}" ]; then
  bash scripts/fuzz.sh 20 > .build/fuzz.log 2>&1 || { cat .build/fuzz.log; echo "fuzzing found a failure"; exit 1; }
  grep -E "^Fuzz" .build/fuzz.log
fi
