#!/usr/bin/env bash
# API fuzzing with Schemathesis (PyPI) against the server's OpenAPI document, on loopback
# (docs/reliability.md): every operation, checks that no response is a 5xx and that every
# response matches its schema (status code, content type, body).
#
#   scripts/fuzz/schemathesis.sh [--lyrics PATH] [--max-examples N]
#
# Starts `lyrics serve` on a free port, and skips (exit 0, with a message) when the server does
# not serve /openapi.json (today's main; the studio branch adds it). Installs schemathesis with
# pip into a virtualenv under fuzz/.work/venv the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."
lyrics="${LYRICS:-lyrics}" examples=100
while [ $# -gt 0 ]; do
  case "$1" in
    --lyrics) lyrics="$2"; shift 2 ;;
    --max-examples) examples="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$lyrics" serve --port "$port" >/dev/null 2>fuzz-serve.log &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -f fuzz-serve.log' EXIT
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/api/models" >/dev/null && break; sleep 1; done
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/openapi.json")
if [ "$code" != 200 ]; then
  echo "skipped: the server does not serve /openapi.json (HTTP $code); run this on a build that has the studio API"
  exit 0
fi
venv=fuzz/.work/venv
[ -x "$venv/bin/st" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis; }
# not_a_server_error: no 5xx; response_schema_conformance, status_code_conformance,
# content_type_conformance: every answer is one the document describes.
"$venv/bin/st" run "http://127.0.0.1:$port/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --request-timeout 60 --workers 2
