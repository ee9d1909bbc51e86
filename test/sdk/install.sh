#!/usr/bin/env bash
# Installs Oracle's official SDKs that the fidelity tests drive: npm packages into
# test/sdk/node/node_modules (from package-lock.json) and the PyPI `oci` package into a
# virtualenv under the build cache. A no-op when already installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ -f "$here/node/package.json" ]] && command -v npm >/dev/null; then
  stamp="$here/node/node_modules/.installed-lock"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$here/node/package-lock.json" "$stamp"; then
    (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$here/node/package-lock.json" "$stamp"
  fi
fi
if [[ -f "$here/python/requirements.txt" ]] && command -v python3 >/dev/null; then
  venv=${SDK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/oci-lb-registrar-ccm/sdk-venv}
  stamp="$venv/.installed-requirements"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$here/python/requirements.txt" "$stamp"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/python/requirements.txt"
    cp "$here/python/requirements.txt" "$stamp"
  fi
  echo "$venv"
fi
