#!/usr/bin/env bash
# Runs one of this folder's Python SDK tests with the venv test/sdk/install.sh creates:
#   run.sh <script.py> [args...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script=$1
shift
venv=${SDK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/oci-lb-registrar-ccm/sdk-venv}
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import oci" 2>/dev/null; then
  echo "the OCI Python SDK venv ($venv) is missing: run test/sdk/install.sh (make test runs it)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
exec "$venv/bin/python" "$here/$script" "$@"
