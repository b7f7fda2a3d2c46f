#!/usr/bin/env bash
# Lint and render the Helm chart under deploy/helm/clickup-mcp with the helm
# CLI from the Go module proxy, in the value sets docs/DEPLOY.md describes,
# and check what the chart promises: probes, non-root, read-only root
# filesystem, resource requests, the listen address and Host check, Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
helm() { go run helm.sh/helm/v3/cmd/helm@v3.22.0 "$@"; }
chart=deploy/helm/clickup-mcp
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

helm lint --strict "$chart"
helm lint --strict "$chart" --set auth.mode=oauth --set publicURL=https://mcp.example.com --set auth.existingSecret=clickup-oauth

render() { local name=$1; shift; helm template t "$chart" "$@" >"$out/$name.yaml"; }
render default
render oauth --set auth.mode=oauth --set publicURL=https://mcp.example.com --set auth.existingSecret=clickup-oauth --set ingress.enabled=true
render external --set redis.bundled=false --set redis.urlSecret.name=redis-url --set allowedHosts='{mcp.internal}'
render single --set replicaCount=1 --set redis.bundled=false --set metrics.enabled=false
render oauthpv --set auth.mode=oauth --set publicURL=https://mcp.example.com --set auth.existingSecret=clickup-oauth --set redis.persistence.enabled=true

fail=0
need() { # need FILE PATTERN WHY
	if ! grep -q -- "$2" "$out/$1.yaml"; then echo "helm.sh: $1: missing $2 ($3)"; fail=1; fi
}
lacks() {
	if grep -q -- "$2" "$out/$1.yaml"; then echo "helm.sh: $1: unexpected $2 ($3)"; fail=1; fi
}
for v in default oauth external single oauthpv; do
	need "$v" "runAsNonRoot: true" "non-root"
	need "$v" "readOnlyRootFilesystem: true" "read-only root filesystem"
	need "$v" "path: /readyz" "readiness probe"
	need "$v" "path: /healthz" "liveness probe"
	need "$v" "requests:" "resource requests"
	need "$v" -- "--addr=0.0.0.0:8080" "listen on all interfaces"
	lacks "$v" "pk_" "no token in the chart"
done
need default "redis://t-clickup-mcp-redis:6379/0" "bundled Redis URL"
need default "kind: Deployment" "deployment"
need default "name: CLICKUP_MCP_ALLOWED_HOSTS" "allowed hosts always set (an empty value: any Host), over the image's localhost default"
need default -- "--metrics-addr=0.0.0.0:9090" "metrics on their own port"
need oauth 'value: "oauth"' "oauth mode"
need oauth 'value: "mcp.example.com"' "Host check from publicURL"
need oauth 'upstream-hash-by: .*arg_sessionId' "SSE affinity on sessionId"
need oauth "name: clickup-oauth" "oauth secret"
need external "secretKeyRef:" "Redis URL from a secret"
need external 'value: "mcp.internal"' "allowed hosts"
lacks external "t-clickup-mcp-redis" "no bundled Redis"
lacks single "CLICKUP_MCP_REDIS_URL" "no Redis"
lacks single "metrics-addr" "no metrics port"
# With oauth the sign-ins live on the bundled Redis: logged to its volume,
# never evicted; in bearer mode it stays a cache.
need oauth '"--appendonly", "yes"' "OAuth sign-ins survive a Redis restart"
need oauth '"noeviction"' "sign-ins are not evicted"
need default '"--appendonly", "no"' "bearer mode: Redis is a cache"
lacks oauth "kind: PersistentVolumeClaim" "no volume claim unless asked"
need oauthpv "kind: PersistentVolumeClaim" "sign-ins survive the Redis pod"
need oauthpv "claimName: t-clickup-mcp-redis" "the Redis data on the claim"
need oauthpv "type: Recreate" "one Redis pod at a time on the volume"

# Settings that cannot work must fail to render, with a message.
if helm template t "$chart" --set auth.mode=oauth >"$out/bad.txt" 2>&1; then
	echo "helm.sh: oauth without publicURL rendered"; fail=1
elif ! grep -q "needs publicURL" "$out/bad.txt"; then
	echo "helm.sh: oauth without publicURL: unclear error: $(cat "$out/bad.txt")"; fail=1
fi
if helm template t "$chart" --set auth.mode=oauth --set publicURL=https://mcp.example.com --set auth.existingSecret=s --set redis.bundled=false >"$out/bad.txt" 2>&1; then
	echo "helm.sh: oauth without Redis rendered (replicas would split the sign-ins)"; fail=1
elif ! grep -q "needs Redis" "$out/bad.txt"; then
	echo "helm.sh: oauth without Redis: unclear error: $(cat "$out/bad.txt")"; fail=1
fi
if helm template t "$chart" --set auth.mode=saml >"$out/bad.txt" 2>&1; then
	echo "helm.sh: unknown auth mode rendered"; fail=1
fi
[ "$fail" = 0 ] && echo "helm.sh: chart lints and renders in 5 value sets; 3 bad ones refused"
exit "$fail"
