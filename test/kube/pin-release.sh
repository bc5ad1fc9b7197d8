#!/usr/bin/env bash
# Pins this module to one Kubernetes release; this line in go.mod is the only place it is named:
#   require k8s.io/kubernetes v1.x.y
# Run `test/kube/pin-release.sh v1.x.y` to move. It requires k8s.io/kubernetes at that tag and, for
# every module the release's own go.mod replaces with ./staging/src/..., the published v0.x.y module.
set -euo pipefail
release="${1:?usage: pin-release.sh v1.MINOR.PATCH}"
staging="v0.${release#v1.}"
cd "$(dirname "$0")"
gomod="$(go mod download -json "k8s.io/kubernetes@${release}" | node -e 'console.log(JSON.parse(require("fs").readFileSync(0,"utf8")).GoMod)')"
edits=(-require="k8s.io/kubernetes@${release}")
while read -r module; do
  edits+=(-replace="${module}=${module}@${staging}")
done < <(go mod edit -json "$gomod" | node -e 'for(const r of JSON.parse(require("fs").readFileSync(0,"utf8")).Replace??[])if(r.New.Path.startsWith("./staging/"))console.log(r.Old.Path)')
go mod edit "${edits[@]}"
go get -tool k8s.io/kubernetes/cmd/kubectl
go mod tidy
echo "pinned to Kubernetes ${release} (staging modules ${staging})"
