#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy into a cache keyed by version,
# so a warm `make test` never rebuilds them. Prints the directory holding both binaries.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kube_version=$(awk '$1=="k8s.io/kubernetes"{print $2; exit}' "$here/go.mod")
etcd_version=$(awk '$1=="go.etcd.io/etcd/server/v3"{print $2; exit}' "$here/go.mod")
cache_root=${ENVTEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oci-lb-registrar-ccm/envtest}
out="$cache_root/kube-$kube_version-etcd-$etcd_version"
if [[ -x "$out/kube-apiserver" && -x "$out/etcd" ]]; then
  echo "$out"; exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is required to build kube-apiserver and etcd" >&2; exit 1; }
mkdir -p "$out.tmp"
major=${kube_version#v}; minor=${major#*.}; minor=${minor%%.*}; major=${major%%.*}
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
kv=k8s.io/component-base/version
kube_ldflags="-s -w -X $kv.gitVersion=$kube_version -X $kv.gitMajor=$major -X $kv.gitMinor=$minor -X $kv.gitTreeState=clean -X $kv.buildDate=$build_date"
kube_ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$kube_version -X k8s.io/client-go/pkg/version.gitMajor=$major -X k8s.io/client-go/pkg/version.gitMinor=$minor"
cd "$here"
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod
echo "building kube-apiserver $kube_version and etcd $etcd_version (first run only; cached in $out)" >&2
go build -trimpath -ldflags "$kube_ldflags" -o "$out.tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
go build -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$etcd_version" -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3
rm -rf "$out"; mv "$out.tmp" "$out"
echo "$out"
