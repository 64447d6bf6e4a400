#!/usr/bin/env bash
# The API against its own spec: schemathesis (PyPI) generates requests from docs/openapi.yaml and sends them to a
# live node; every response must be documented, match its schema and content type, and no request may get a 5xx.
#
#   swift build -c release && scripts/api-conformance.sh [EXAMPLES_PER_OPERATION] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-30}
seed=${2:-1}
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "schemathesis==4.32.5"

home=$(mktemp -d)
log="$home/node.log"
node=""
trap '[ -z "$node" ] || { kill "$node" 2>/dev/null; wait "$node" 2>/dev/null; }; rm -rf "$home"' EXIT
.build/release/deai init --home "$home/node" >/dev/null
.build/release/deai start --home "$home/node" --api-port 0 --block-interval-ms 200 >"$log" 2>&1 &
node=$!
for _ in $(seq 1 100); do
  url=$(sed -n 's/^API listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "${url:-}" ] || { cat "$log"; echo "the node did not start"; exit 1; }

st=$(python3 -c "import shutil, sys; print(shutil.which(\"st\") or sys.exit(1))")
"$st" run docs/openapi.yaml --url "$url" --max-examples "$examples" --seed "$seed" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
