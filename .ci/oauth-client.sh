#!/usr/bin/env bash
# Real clients sign in to the built clickup-mcp --auth oauth, with the fake
# ClickUp (.ci/fakeclickup) as ClickUp's consent page and API, and call a
# tool as the user who approved:
#   - the TypeScript SDK client's own OAuth support (@modelcontextprotocol/sdk,
#     pinned; .ci/oauth-client.mjs), refresh rotation included;
#   - the MCP Inspector CLI's interactive OAuth (pinned, Node 22), with
#     .ci/oauth-browser.mjs as the BROWSER it opens: streamable HTTP (tools/list
#     --strict, then whoami on the stored token) and SSE;
# then, with the server stopped, `clickup-mcp auth sessions` lists those
# sign-ins and revokes them. Output goes to .tools/ci-out/oauth; the last
# line printed is the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SDK_VERSION=1.32.2
NODE_VERSION=22.23.3 # as in real-clients.sh, which shares the install
INSPECTOR_VERSION=2.12.0
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

rm -rf "$OUT"
mkdir -p "$OUT"
command -v npm >/dev/null || fail "npm is not installed; it is needed to fetch the clients"
# Node 22 from the npm registry (the Inspector needs it), where
# real-clients.sh keeps it.
NODE_BIN=$TOOLS/node-$NODE_VERSION/node_modules/node/bin
if [[ $("$NODE_BIN/node" --version 2>/dev/null || true) != "v$NODE_VERSION" ]]; then
	rm -rf "$TOOLS/node-$NODE_VERSION"
	mkdir -p "$TOOLS/node-$NODE_VERSION"
	echo '{"name":"ci-node","private":true}' >"$TOOLS/node-$NODE_VERSION/package.json"
	(cd "$TOOLS/node-$NODE_VERSION" && npm install --no-audit --no-fund --save-exact "node@$NODE_VERSION") >"$OUT/npm-node.log" 2>&1 ||
		fail "$OUT/npm-node.log" "could not install node@$NODE_VERSION from the npm registry"
	[[ $("$NODE_BIN/node" --version 2>/dev/null || true) == "v$NODE_VERSION" ]] ||
		fail "$OUT/npm-node.log" "node@$NODE_VERSION installed, but $NODE_BIN/node is not v$NODE_VERSION"
fi
export PATH="$NODE_BIN:$PATH"
INSPECTOR_DIR=$TOOLS/inspector-$INSPECTOR_VERSION
INSPECTOR=$INSPECTOR_DIR/node_modules/.bin/mcp-inspector
if [[ $("$INSPECTOR" --version 2>/dev/null || true) != "$INSPECTOR_VERSION" ]]; then
	rm -rf "$INSPECTOR_DIR"
	mkdir -p "$INSPECTOR_DIR"
	echo '{"name":"ci-inspector","private":true}' >"$INSPECTOR_DIR/package.json"
	(cd "$INSPECTOR_DIR" && npm install --no-audit --no-fund --save-exact "@modelcontextprotocol/inspector@$INSPECTOR_VERSION") >"$OUT/npm-inspector.log" 2>&1 ||
		fail "$OUT/npm-inspector.log" "could not install @modelcontextprotocol/inspector@$INSPECTOR_VERSION"
	v=$("$INSPECTOR" --version 2>&1 || true)
	[[ $v == "$INSPECTOR_VERSION" ]] || fail "$OUT/npm-inspector.log" "mcp-inspector --version says '$v', want $INSPECTOR_VERSION"
fi
if [[ $(node -p "require('$SDK_DIR/node_modules/@modelcontextprotocol/sdk/package.json').version" 2>/dev/null || true) != "$SDK_VERSION" ]]; then
	rm -rf "$SDK_DIR"
	mkdir -p "$SDK_DIR"
	echo '{"name":"ci-ts-sdk","private":true,"type":"module"}' >"$SDK_DIR/package.json"
	(cd "$SDK_DIR" && npm install --no-audit --no-fund --save-exact "@modelcontextprotocol/sdk@$SDK_VERSION") >"$OUT/npm.log" 2>&1 ||
		fail "$OUT/npm.log" "could not install @modelcontextprotocol/sdk@$SDK_VERSION"
fi
cp .ci/oauth-client.mjs .ci/oauth-browser.mjs "$SDK_DIR/" # resolve the SDK from its node_modules

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
echo "   $(tail -n1 "$OUT/client.log")"

# The Inspector CLI signs in by itself: it opens $BROWSER on the
# authorization URL (MCP_AUTO_OPEN_ENABLED=true, as there is no TTY) and
# waits on its loopback callback for the code. Its state (the registered
# client and tokens) goes to a throwaway HOME, in files so that a second run
# can use the stored token.
CB_PORT=$(node "$PROBE" free-port) || fail "no free port"
CALLBACK=http://127.0.0.1:$CB_PORT/oauth/callback
mkdir -p "$OUT/home"
printf '#!/bin/sh\nexec node %q %q "$1" >>%q 2>&1\n' "$ROOT/.ci/oauth-browser.mjs" "$CALLBACK" "$OUT/browser.log" >"$OUT/browser.sh"
chmod +x "$OUT/browser.sh"
inspector() { # NAME ARGS...: run the Inspector CLI; its output in $OUT/inspector-NAME.{json,err}
	local name=$1 rc=0
	shift
	(cd "$OUT" && HOME=$OUT/home MCP_CATALOG_PATH=$OUT/home/catalog.json MCP_INSPECTOR_SECRET_STORE=file \
		MCP_AUTO_OPEN_ENABLED=true BROWSER=$OUT/browser.sh \
		timeout -k 5 120 "$INSPECTOR" --cli "$@" --callback-url "$CALLBACK" --format json \
		>"$OUT/inspector-$name.json" 2>"$OUT/inspector-$name.err" </dev/null) || rc=$?
	[[ $rc == 0 ]] || fail "$OUT/inspector-$name.err" "Inspector $name: exit $rc (browser: $(tail -n1 "$OUT/browser.log" 2>/dev/null)): $(head -c 400 "$OUT/inspector-$name.json")"
}
inspector http-list "$BASE/mcp" --transport http --method tools/list --strict
grep -q '"clickup_whoami"' "$OUT/inspector-http-list.json" || fail "$OUT/inspector-http-list.json" "Inspector tools/list over OAuth lacks clickup_whoami"
inspector http-whoami "$BASE/mcp" --transport http --stored-auth-only --method tools/call --tool-name clickup_whoami --tool-args-json '{}'
grep -q 'Alex Rivera' "$OUT/inspector-http-whoami.json" || fail "$OUT/inspector-http-whoami.json" "Inspector whoami on the stored token is not Alex Rivera"
inspector sse-whoami "$BASE/sse" --transport sse --method tools/call --tool-name clickup_whoami --tool-args-json '{}'
grep -q 'Alex Rivera' "$OUT/inspector-sse-whoami.json" || fail "$OUT/inspector-sse-whoami.json" "Inspector whoami over SSE is not Alex Rivera"
[[ $(grep -c '^oauth-browser: OK' "$OUT/browser.log") == 2 ]] || fail "$OUT/browser.log" "the Inspector should have signed in twice (HTTP, then SSE), each through the browser"
echo "   inspector: signed in over HTTP (tools/list --strict, whoami on the stored token) and SSE (whoami): ok"

# auth sessions: refused while the server holds the store, then lists the
# three sign-ins and revokes them with the server stopped.
sessions() { # NAME ARGS...
	local name=$1
	shift
	env -u CLICKUP_API_TOKEN CLICKUP_MCP_OAUTH_STORE="$OUT/oauth.db" CLICKUP_MCP_CONFIG_DIR="$OUT/config" \
		timeout -k 5 30 "$OUT/clickup-mcp" auth sessions "$@" >"$OUT/sessions-$name.out" 2>&1
}
if sessions busy; then
	fail "$OUT/sessions-busy.out" "auth sessions read the store of a running server"
fi
grep -q "stop that server" "$OUT/sessions-busy.out" || fail "$OUT/sessions-busy.out" "auth sessions against a running server does not say to stop it"
stop "$SERVER_PID"
SERVER_PID=""
sessions list || fail "$OUT/sessions-list.out" "auth sessions failed"
for want in ts-sdk-ci "MCP Inspector" "Alex Rivera <alex@example.com>" "Acme Product"; do
	grep -q "$want" "$OUT/sessions-list.out" || fail "$OUT/sessions-list.out" "auth sessions does not list '$want'"
done
[[ $(grep -c "Alex Rivera" "$OUT/sessions-list.out") == 3 ]] || fail "$OUT/sessions-list.out" "auth sessions should list 3 sign-ins (the SDK's and the Inspector's two)"
sessions revoke --revoke all || fail "$OUT/sessions-revoke.out" "auth sessions --revoke all failed"
[[ $(grep -c "^revoked " "$OUT/sessions-revoke.out") == 3 ]] || fail "$OUT/sessions-revoke.out" "auth sessions --revoke all did not revoke 3 sign-ins"
sessions after || fail "$OUT/sessions-after.out" "auth sessions failed after revoking"
grep -q "no OAuth sign-ins" "$OUT/sessions-after.out" || fail "$OUT/sessions-after.out" "sign-ins are left after --revoke all"
echo "   auth sessions: refused while serving, listed 3 sign-ins, revoked them: ok"

if grep -Eq "[0-9]+_[A-Za-z0-9]{40}|sandbox-client-secret|ory_(at|rt|ac)_" "$OUT/server.log" "$OUT"/sessions-*.out; then
	fail "$OUT/server.log" "the server log or auth sessions holds a ClickUp token, one of ours or the app secret"
fi
echo "oauth-client: OK (TypeScript SDK, Inspector over HTTP and SSE, auth sessions)"
