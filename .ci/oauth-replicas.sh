#!/usr/bin/env bash
# Two clickup-mcp --auth oauth processes on one Redis (Debian's redis-server
# on loopback) behind a round-robin proxy (.ci/rrproxy.mjs) are one
# authorization server: the TypeScript SDK client's own OAuth support
# (.ci/oauth-client.mjs, the SDK that oauth-client.sh installs) registers,
# signs in, calls a tool and refreshes with every request landing on the
# other replica; `clickup-mcp auth sessions --redis-url` lists and revokes the
# sign-in while both run; with Redis stopped, /mcp answers 503 (not 401).
# Output goes to .tools/ci-out/oauth-replicas; the last line is the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SDK_VERSION=1.32.2 # as oauth-client.sh, which installs it
TOOLS=$ROOT/.tools
OUT=$TOOLS/ci-out/oauth-replicas
SDK_DIR=$TOOLS/ts-sdk-$SDK_VERSION
PROBE=$ROOT/.ci/probe.mjs
PIDS=()

fail() {
	if [[ $# -gt 1 && -s $1 ]]; then
		echo "---- ${1#"$ROOT"/} (last 60 lines)"
		tail -n 60 "$1"
		echo "----"
		shift
	elif [[ $# -gt 1 ]]; then
		shift
	fi
	echo "oauth-replicas: FAILED: $*"
	exit 1
}
stop() {
	local pid=$1 i
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
cleanup() {
	local rc=$? p
	for p in "${PIDS[@]}"; do stop "$p"; done
	exit "$rc"
}
trap cleanup EXIT

rm -rf "$OUT"
mkdir -p "$OUT"
command -v redis-server >/dev/null || fail "redis-server is not installed (apt-get install -y redis-server)"
if [[ $(node -p "require('$SDK_DIR/node_modules/@modelcontextprotocol/sdk/package.json').version" 2>/dev/null || true) != "$SDK_VERSION" ]]; then
	rm -rf "$SDK_DIR"
	mkdir -p "$SDK_DIR"
	echo '{"name":"ci-ts-sdk","private":true,"type":"module"}' >"$SDK_DIR/package.json"
	(cd "$SDK_DIR" && npm install --no-audit --no-fund --save-exact "@modelcontextprotocol/sdk@$SDK_VERSION") >"$OUT/npm.log" 2>&1 ||
		fail "$OUT/npm.log" "could not install @modelcontextprotocol/sdk@$SDK_VERSION"
fi
cp .ci/oauth-client.mjs .ci/oauth-browser.mjs "$SDK_DIR/"

go build -o "$OUT/clickup-mcp" . >"$OUT/build.log" 2>&1 || fail "$OUT/build.log" "go build failed"
go build -o "$OUT/fakeclickup" ./.ci/fakeclickup >>"$OUT/build.log" 2>&1 || fail "$OUT/build.log" "building the fake failed"

REDIS_PORT=$(node "$PROBE" free-port) || fail "no free port"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$OUT" >"$OUT/redis.log" 2>&1 &
REDIS_PID=$!
PIDS+=("$REDIS_PID")
REDIS=redis://127.0.0.1:$REDIS_PORT/0

PORT=$(node "$PROBE" free-port) || fail "no free port"
BASE=http://127.0.0.1:$PORT
"$OUT/fakeclickup" --oauth-redirect "$BASE/oauth/callback" >"$OUT/fake.url" 2>"$OUT/fake.log" &
PIDS+=($!)
for ((i = 0; i < 50; i++)); do
	[[ -s $OUT/fake.url ]] && break
	sleep 0.1
done
FAKE=$(head -n1 "$OUT/fake.url")
[[ $FAKE == http://* ]] || fail "$OUT/fake.log" "the fake ClickUp did not start"

KEY=$(head -c 32 /dev/urandom | base64) # one key for all replicas: they open each other's tokens
serve() { # NAME PORT: one replica, its own config dir (no shared file)
	env -u CLICKUP_API_TOKEN \
		CLICKUP_OAUTH_CLIENT_ID=SANDBOXCLIENT01 CLICKUP_OAUTH_CLIENT_SECRET=sandbox-client-secret \
		CLICKUP_OAUTH_AUTH_URL="$FAKE/api" CLICKUP_MCP_SECRET_KEY="$KEY" \
		CLICKUP_MCP_OAUTH_STORE="$OUT/$1/oauth.db" CLICKUP_MCP_CONFIG_DIR="$OUT/$1/config" \
		"$OUT/clickup-mcp" --transport http --addr "127.0.0.1:$2" --api-url "$FAKE/api" \
		--auth oauth --public-url "$BASE" --redis-url "$REDIS" --log-level debug >"$OUT/server-$1.log" 2>&1 &
	PIDS+=($!)
}
PA=$(node "$PROBE" free-port) || fail "no free port"
PB=$(node "$PROBE" free-port) || fail "no free port"
mkdir -p "$OUT/a" "$OUT/b"
serve a "$PA"
serve b "$PB"
node "$PROBE" wait "http://127.0.0.1:$PA/healthz" 30 2>>"$OUT/server-a.log" || fail "$OUT/server-a.log" "replica a did not answer /healthz"
node "$PROBE" wait "http://127.0.0.1:$PB/healthz" 30 2>>"$OUT/server-b.log" || fail "$OUT/server-b.log" "replica b did not answer /healthz"
node .ci/rrproxy.mjs "$PORT" "http://127.0.0.1:$PA" "http://127.0.0.1:$PB" >"$OUT/proxy.log" 2>&1 &
PROXY_PID=$!
PIDS+=("$PROXY_PID")
for ((i = 0; i < 50; i++)); do
	grep -q "^rrproxy: $PORT" "$OUT/proxy.log" 2>/dev/null && break
	sleep 0.1
done
grep -q "^rrproxy: $PORT" "$OUT/proxy.log" || fail "$OUT/proxy.log" "the proxy did not start"

timeout -k 5 120 node "$SDK_DIR/oauth-client.mjs" "$BASE" "Alex Rivera" >"$OUT/client.log" 2>&1 ||
	fail "$OUT/client.log" "the TypeScript SDK did not complete the OAuth flow across two replicas (logs: ${OUT#"$ROOT"/}/server-{a,b}.log)"
echo "   $(tail -n1 "$OUT/client.log")"
for r in a b; do
	grep -q "OAuth sign-ins are kept on Redis" "$OUT/server-$r.log" || fail "$OUT/server-$r.log" "replica $r does not keep its sign-ins on Redis"
	[[ ! -e $OUT/$r/oauth.db ]] || fail "replica $r created a local OAuth store beside Redis"
done

sessions() { # NAME ARGS...: auth sessions against the replicas' Redis, while they run
	local name=$1
	shift
	env -u CLICKUP_API_TOKEN CLICKUP_MCP_CONFIG_DIR="$OUT/config" CLICKUP_MCP_REDIS_URL="$REDIS" \
		timeout -k 5 30 "$OUT/clickup-mcp" auth sessions "$@" >"$OUT/sessions-$name.out" 2>&1
}
sessions list || fail "$OUT/sessions-list.out" "auth sessions --redis-url failed beside the running replicas"
grep -q "ts-sdk-ci" "$OUT/sessions-list.out" && grep -q "Alex Rivera <alex@example.com>" "$OUT/sessions-list.out" ||
	fail "$OUT/sessions-list.out" "auth sessions does not list the SDK's sign-in"
sessions revoke --revoke all || fail "$OUT/sessions-revoke.out" "auth sessions --revoke all failed"
[[ $(grep -c "^revoked " "$OUT/sessions-revoke.out") == 1 ]] || fail "$OUT/sessions-revoke.out" "auth sessions --revoke all did not revoke the one sign-in"
sessions after || fail "$OUT/sessions-after.out" "auth sessions failed after revoking"
grep -q "no OAuth sign-ins" "$OUT/sessions-after.out" || fail "$OUT/sessions-after.out" "a sign-in is left after --revoke all"
echo "   auth sessions --redis-url: listed and revoked the sign-in while both replicas ran: ok"

# Redis gone: every replica says so with 503, never a 401 that starts a sign-in.
stop "$REDIS_PID"
for ((i = 0; i < 4; i++)); do # through the proxy: both replicas, twice
	code=$(curl -s -o "$OUT/down.json" -D "$OUT/down.headers" -w '%{http_code}' -X POST -H 'Authorization: Bearer ory_at_any.token' \
		-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
		--data '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' "$BASE/mcp")
	[[ $code == 503 ]] && grep -q "Redis" "$OUT/down.json" && grep -qi "^retry-after:" "$OUT/down.headers" ||
		fail "$OUT/down.json" "/mcp with Redis down answered $code, want 503 with Retry-After naming Redis"
done
echo "   Redis stopped: /mcp answers 503 with Retry-After on both replicas: ok"

stop "$PROXY_PID"
echo "   proxy: $(tail -n1 "$OUT/proxy.log")"
if grep -Eq "[0-9]+_[A-Za-z0-9]{40}|sandbox-client-secret|ory_(at|rt|ac)_" "$OUT"/server-*.log "$OUT"/sessions-*.out; then
	fail "$OUT/server-a.log" "a server log or auth sessions holds a ClickUp token, one of ours or the app secret"
fi
echo "oauth-replicas: OK (TypeScript SDK across two replicas on one Redis, auth sessions beside them, 503 without Redis)"
