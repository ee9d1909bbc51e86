#!/usr/bin/env bash
# Installs what `make` needs on a fresh machine; a no-op when everything is present.
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libcurl4-openssl-dev rapidjson-dev libssl-dev
  libgoogle-glog-dev libgflags-dev libgtest-dev libgmock-dev libyaml-cpp-dev
  libcpp-httplib-dev libbenchmark-dev openssl curl)
[[ "${1:-}" == "--dev" ]] && packages+=(clang-format-16 clang-tidy-16)
[[ "${1:-}" == "--fuzz" ]] && packages+=(clang-16 libclang-rt-16-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v go >/dev/null || { echo "Go (1.24 or newer) is required to build kube-apiserver and etcd for tests" >&2; exit 1; }
command -v kubectl >/dev/null || echo "warning: kubectl not found; tests that use it will be skipped" >&2
