#!/usr/bin/env bash
# The TypeScript SDK client's own OAuth support (@modelcontextprotocol/sdk,
# pinned) signs in to the built clickup-mcp --auth oauth, with the fake
# ClickUp (.ci/fakeclickup) as ClickUp's consent page and API, and calls a
# tool as the user who approved (.ci/oauth-client.mjs). Output goes to
# .tools/ci-out/oauth; the last line printed is the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SDK_VERSION=1.32.2
TOOLS=$ROOT/.tools
OUT=$TOOLS/ci-out/oauth
SDK_DIR=$TOOLS/ts-sdk-$SDK_VERSION
PROBE=$ROOT/.ci/probe.mjs
FAKE_PID=""
SERVER_PID=""

fail() {
	if [[ $# -gt 1 && -s $1 ]]; then
		echo "---- ${1#"$ROOT"/} (last 60 lines)"
		tail -n 60 "$1"
		echo "----"
		shift
	elif [[ $# -gt 1 ]]; then
		shift
	fi
	echo "oauth-client: FAILED: $*"
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
	local rc=$?
	stop "$SERVER_PID"
	stop "$FAKE_PID"
	exit "$rc"
}
trap cleanup EXIT

# Node 22 from real-clients.sh if it is there, else the machine's (18+).
for n in "$TOOLS"/node-*/node_modules/node/bin; do
	[[ -x $n/node ]] && export PATH="$n:$PATH"
done
command -v node >/dev/null || fail "node is not installed"
rm -rf "$OUT"
mkdir -p "$OUT"
if [[ $(node -p "require('$SDK_DIR/node_modules/@modelcontextprotocol/sdk/package.json').version" 2>/dev/null || true) != "$SDK_VERSION" ]]; then
	rm -rf "$SDK_DIR"
	mkdir -p "$SDK_DIR"
	echo '{"name":"ci-ts-sdk","private":true,"type":"module"}' >"$SDK_DIR/package.json"
	(cd "$SDK_DIR" && npm install --no-audit --no-fund --save-exact "@modelcontextprotocol/sdk@$SDK_VERSION") >"$OUT/npm.log" 2>&1 ||
		fail "$OUT/npm.log" "could not install @modelcontextprotocol/sdk@$SDK_VERSION"
fi
cp .ci/oauth-client.mjs "$SDK_DIR/oauth-client.mjs" # resolves the SDK from its node_modules

go build -o "$OUT/clickup-mcp" . >"$OUT/build.log" 2>&1 || fail "$OUT/build.log" "go build failed"
go build -o "$OUT/fakeclickup" ./.ci/fakeclickup >>"$OUT/build.log" 2>&1 || fail "$OUT/build.log" "building the fake failed"

PORT=$(node "$PROBE" free-port) || fail "no free port"
BASE=http://127.0.0.1:$PORT
"$OUT/fakeclickup" --oauth-redirect "$BASE/oauth/callback" >"$OUT/fake.url" 2>"$OUT/fake.log" &
FAKE_PID=$!
for ((i = 0; i < 50; i++)); do
	[[ -s $OUT/fake.url ]] && break
	sleep 0.1
done
FAKE=$(head -n1 "$OUT/fake.url")
[[ $FAKE == http://* ]] || fail "$OUT/fake.log" "the fake ClickUp did not start"

env -u CLICKUP_API_TOKEN \
	CLICKUP_OAUTH_CLIENT_ID=SANDBOXCLIENT01 CLICKUP_OAUTH_CLIENT_SECRET=sandbox-client-secret \
	CLICKUP_OAUTH_AUTH_URL="$FAKE/api" CLICKUP_MCP_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" \
	CLICKUP_MCP_OAUTH_STORE="$OUT/oauth.db" CLICKUP_MCP_CONFIG_DIR="$OUT/config" \
	"$OUT/clickup-mcp" --transport http --addr "127.0.0.1:$PORT" --api-url "$FAKE/api" \
	--auth oauth --public-url "$BASE" --log-level debug >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
node "$PROBE" wait "$BASE/healthz" 30 2>>"$OUT/server.log" || fail "$OUT/server.log" "the server did not answer /healthz"

timeout -k 5 120 node "$SDK_DIR/oauth-client.mjs" "$BASE" "Alex Rivera" >"$OUT/client.log" 2>&1 ||
	fail "$OUT/client.log" "the TypeScript SDK did not complete the OAuth flow (server log: ${OUT#"$ROOT"/}/server.log)"
if grep -Eq "[0-9]+_[A-Za-z0-9]{40}|sandbox-client-secret|ory_(at|rt|ac)_" "$OUT/server.log"; then
	fail "$OUT/server.log" "the server log holds a ClickUp token or the app secret"
fi
tail -n1 "$OUT/client.log"
