#!/usr/bin/env bash
# Prove the server against MCP clients nobody on this project wrote:
#   - the official conformance suite (@modelcontextprotocol/conformance) over
#     streamable HTTP, every scenario that applies to a ClickUp tools server;
#   - the MCP Inspector CLI (@modelcontextprotocol/inspector) with --strict over
#     stdio, SSE and streamable HTTP: tools/list plus two read tool calls.
# Node 22 and both clients come pinned from the npm registry into .tools/
# (see ../shared/MCP-CLIENTS.md). The clients' own output goes to files under
# .tools/ci-out and is shown only on failure: the suite prints summaries that
# a CI log reader would mistake for the test run's, so the last line printed
# here is one plain verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NODE_VERSION=22.23.3
# The newest stable conformance suite and the newest 0.2 pre-release (npm
# view @modelcontextprotocol/conformance dist-tags versions, 2026-12-01).
CONFORMANCE_VERSION=0.1.16
CONFORMANCE_NEXT_VERSION=0.2.0-alpha.12
INSPECTOR_VERSION=2.12.0

TOOLS=$ROOT/.tools
OUT=$TOOLS/ci-out
PROBE=$ROOT/.ci/probe.mjs
# How long one client run may take before it is stopped (seconds).
CLIENT_TIMEOUT=${CLIENT_TIMEOUT:-120}

SERVER_PID=""
CLIENT_PID=""

# fail [LOG] MESSAGE: show the log's tail, print the verdict, exit 1.
fail() {
	if [[ $# -gt 1 ]]; then
		local log=$1
		shift
		if [[ -s $log ]]; then
			echo "---- ${log#"$ROOT"/} (last 80 lines)"
			tail -n 80 "$log"
			echo "----"
		fi
	fi
	echo "real-clients: FAILED: $*"
	exit 1
}

# alive PID: the process exists and is not a zombie waiting to be reaped.
alive() {
	local st
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[[ ${st%% *} != Z ]]
}

# stop PID: SIGTERM to its process group (children included), then SIGKILL
# after 10 s. Every process here is started as a group leader (setsid or
# timeout), so the group id is the PID we recorded.
stop() {
	local pid=$1 i
	[[ -n $pid ]] || return 0
	kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		alive "$pid" || break
		sleep 0.2
	done
	if alive "$pid"; then
		echo "real-clients: pid $pid ignored SIGTERM for 10 s; killing it" >&2
		kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	stop "$CLIENT_PID"
	stop "$SERVER_PID"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# client OUT ERR CMD...: run one client with a deadline in its own process
# group (timeout makes one), then sweep the group for anything it left behind
# (a stdio server the Inspector spawned, say).
client() {
	local out=$1 err=$2 rc=0
	shift 2
	timeout -k 5 "$CLIENT_TIMEOUT" "$@" >"$out" 2>"$err" &
	CLIENT_PID=$!
	wait "$CLIENT_PID" || rc=$?
	kill -TERM -- "-$CLIENT_PID" 2>/dev/null || true
	CLIENT_PID=""
	if [[ $rc == 124 || $rc == 137 ]]; then
		echo "(stopped after ${CLIENT_TIMEOUT}s)" >>"$err"
	fi
	return "$rc"
}

for tool in npm timeout go; do
	command -v "$tool" >/dev/null || fail "'$tool' is not installed; it is needed to fetch and run the MCP clients"
done

rm -rf "$OUT"
mkdir -p "$OUT/home"
# The Inspector keeps state under $HOME; give it a throwaway one.
export MCP_CATALOG_PATH=$OUT/home/catalog.json

echo "== real MCP clients: Node $NODE_VERSION, conformance $CONFORMANCE_VERSION, Inspector $INSPECTOR_VERSION"

# Node 22 from the npm registry (the machine's Node may be older).
NODE_DIR=$TOOLS/node-$NODE_VERSION
NODE_BIN=$NODE_DIR/node_modules/node/bin
if [[ $("$NODE_BIN/node" --version 2>/dev/null || true) != "v$NODE_VERSION" ]]; then
	rm -rf "$NODE_DIR"
	mkdir -p "$NODE_DIR"
	echo '{"name":"ci-node","private":true}' >"$NODE_DIR/package.json"
	(cd "$NODE_DIR" && npm install --no-audit --no-fund --save-exact "node@$NODE_VERSION") >"$OUT/npm-node.log" 2>&1 ||
		fail "$OUT/npm-node.log" "could not install node@$NODE_VERSION from the npm registry"
	[[ $("$NODE_BIN/node" --version 2>/dev/null || true) == "v$NODE_VERSION" ]] ||
		fail "$OUT/npm-node.log" "node@$NODE_VERSION installed, but $NODE_BIN/node is not v$NODE_VERSION (did npm skip the package's install script?)"
fi
export PATH="$NODE_BIN:$PATH"

# The clients, pinned exactly.
CLIENTS_DIR=$TOOLS/mcp-clients
BIN_DIR=$CLIENTS_DIR/node_modules/.bin
installed() {
	node -p "require('$CLIENTS_DIR/node_modules/@modelcontextprotocol/$1/package.json').version" 2>/dev/null || true
}
if [[ $(installed conformance) != "$CONFORMANCE_VERSION" || $(installed inspector) != "$INSPECTOR_VERSION" ]]; then
	rm -rf "$CLIENTS_DIR"
	mkdir -p "$CLIENTS_DIR"
	echo '{"name":"ci-mcp-clients","private":true}' >"$CLIENTS_DIR/package.json"
	(cd "$CLIENTS_DIR" && npm install --no-audit --no-fund --save-exact \
		"@modelcontextprotocol/conformance@$CONFORMANCE_VERSION" \
		"@modelcontextprotocol/inspector@$INSPECTOR_VERSION") >"$OUT/npm-clients.log" 2>&1 ||
		fail "$OUT/npm-clients.log" "could not install the MCP clients from the npm registry"
fi
v=$("$BIN_DIR/conformance" --version 2>&1 || true)
[[ $v == "$CONFORMANCE_VERSION" ]] || fail "conformance --version says '$v', want $CONFORMANCE_VERSION"
# The pre-release has the same package name, so it lives in its own tree.
NEXT_DIR=$TOOLS/mcp-conformance-next
NEXT_BIN=$NEXT_DIR/node_modules/.bin/conformance
if [[ $(node -p "require('$NEXT_DIR/node_modules/@modelcontextprotocol/conformance/package.json').version" 2>/dev/null || true) != "$CONFORMANCE_NEXT_VERSION" ]]; then
	rm -rf "$NEXT_DIR"
	mkdir -p "$NEXT_DIR"
	echo '{"name":"ci-mcp-conformance-next","private":true}' >"$NEXT_DIR/package.json"
	(cd "$NEXT_DIR" && npm install --no-audit --no-fund --save-exact \
		"@modelcontextprotocol/conformance@$CONFORMANCE_NEXT_VERSION") >"$OUT/npm-conformance-next.log" 2>&1 ||
		fail "$OUT/npm-conformance-next.log" "could not install @modelcontextprotocol/conformance@$CONFORMANCE_NEXT_VERSION from the npm registry"
fi
v=$("$NEXT_BIN" --version 2>&1 || true)
[[ $v == "$CONFORMANCE_NEXT_VERSION" ]] || fail "conformance (pre-release) --version says '$v', want $CONFORMANCE_NEXT_VERSION"
v=$("$BIN_DIR/mcp-inspector" --version 2>&1 || true)
[[ $v == "$INSPECTOR_VERSION" ]] || fail "mcp-inspector --version says '$v', want $INSPECTOR_VERSION"

BIN=$OUT/clickup-mcp
go build -o "$BIN" . >"$OUT/build.log" 2>&1 || fail "$OUT/build.log" "go build failed"

# The sandbox over streamable HTTP + SSE on a free loopback port. A port
# taken between the probe and the bind just means another try.
for attempt in 1 2 3; do
	PORT=$(node "$PROBE" free-port) || fail "no free port on 127.0.0.1"
	if command -v setsid >/dev/null; then
		setsid "$BIN" --sandbox --transport http --addr "127.0.0.1:$PORT" >>"$OUT/server.log" 2>&1 &
	else
		"$BIN" --sandbox --transport http --addr "127.0.0.1:$PORT" >>"$OUT/server.log" 2>&1 &
	fi
	SERVER_PID=$!
	if node "$PROBE" wait "http://127.0.0.1:$PORT/healthz" 30 2>>"$OUT/server.log"; then
		break
	fi
	stop "$SERVER_PID"
	SERVER_PID=""
	[[ $attempt == 3 ]] && fail "$OUT/server.log" "the server did not answer /healthz"
done
BASE=http://127.0.0.1:$PORT
echo "   sandbox server pid $SERVER_PID on $BASE"

# Which scenarios apply depends on what the server declares.
CAPS=$(node "$PROBE" capabilities "$BASE/mcp" 2>"$OUT/probe.log") ||
	fail "$OUT/probe.log" "initialize over streamable HTTP failed"
has() { [[ " $CAPS " == *" $1 "* ]]; }
has tools || fail "the server does not declare the tools capability (it declares: $CAPS)"
echo "   capabilities: $CAPS"

# Every server scenario of each suite, in one run per suite (--suite all: a
# process per scenario costs ~20 s each on a loaded machine), then judged
# scenario by scenario: passed, inapplicable (needs the suite's fixture
# tools or an undeclared capability: .ci/conformance-inapplicable.txt, or
# every check skipped by the suite) or failed. A failed scenario is run once
# more on its own before it fails CI, and said so: server-stateless's
# subscriptions/listen check was seen to fail 1 run in 3 under load.
INAPPLICABLE=$ROOT/.ci/conformance-inapplicable.txt
CONF_SCENARIOS=0
for suite in "$CONFORMANCE_VERSION:$BIN_DIR/conformance" "$CONFORMANCE_NEXT_VERSION:$NEXT_BIN"; do
	ver=${suite%%:*} bin=${suite#*:}
	dir=$OUT/conformance-$ver log=$OUT/conformance-$ver.log
	"$bin" list --server 2>"$log.err" | sed -n 's/^  - \([^ ]*\).*/\1/p' >"$OUT/scenarios-$ver.txt" ||
		fail "$log.err" "conformance $ver: list --server failed"
	[[ -s $OUT/scenarios-$ver.txt ]] || fail "$log.err" "conformance $ver lists no server scenarios"
	# Exit 1 is expected (the fixture scenarios fail); the judging is below.
	client "$log" "$log.err" "$bin" server --url "$BASE/mcp" --suite all -o "$dir" || true
	verdict=$OUT/verdict-$ver.txt
	if ! node "$PROBE" suite "$dir" "$OUT/scenarios-$ver.txt" "$INAPPLICABLE" >"$verdict" 2>&1; then
		for s in $(sed -n 's/^   \([^ :]*\): FAILED.*/\1/p' "$verdict"); do
			echo "   conformance $ver $s failed; running it once more on its own" >>"$log"
			client "$log.retry" "$log.retry.err" "$bin" server --url "$BASE/mcp" --scenario "$s" -o "$dir" || true
			cat "$log.retry" "$log.retry.err" >>"$log"
			echo "   conformance $ver $s: failed in the full run, run again alone" >>"$OUT/retried.txt"
		done
		node "$PROBE" suite "$dir" "$OUT/scenarios-$ver.txt" "$INAPPLICABLE" >"$verdict" 2>&1 ||
			{ cat "$verdict"; fail "$log" "conformance $ver: a scenario that applies to this server failed (results under ${dir#"$ROOT"/})"; }
	fi
	echo "   conformance $ver:"
	cat "$verdict"
	CONF_SCENARIOS=$((CONF_SCENARIOS + $(wc -l <"$OUT/scenarios-$ver.txt")))
done
[[ -s $OUT/retried.txt ]] && cat "$OUT/retried.txt"

# dns-rebinding-protection sends a foreign Host and Origin together; a server
# that checks only one passes it. Check each alone, on /mcp and /sse.
node "$PROBE" host-check "$BASE" >"$OUT/host-check.log" 2>&1 ||
	fail "$OUT/host-check.log" "the server accepts a foreign Host or Origin header (DNS rebinding)"
echo "   foreign Host / Origin alone refused on /mcp and /sse: ok"

# The Inspector CLI over each transport. Exit codes: 5 = an isError result or
# unknown tool, 6 = --strict found a schema problem.
inspect() {
	local name=$1 kind=$2
	shift 2
	local out=$OUT/inspector-$name.json err=$OUT/inspector-$name.err rc=0
	HOME=$OUT/home client "$out" "$err" "$BIN_DIR/mcp-inspector" --cli "$@" || rc=$?
	case $rc in
	0) ;;
	5) fail "$err" "Inspector $name: the tool answered isError or was not found (exit 5): $(head -c 400 "$out")" ;;
	6) fail "$err" "Inspector $name: --strict found tool schema problems (exit 6); see above" ;;
	*) fail "$err" "Inspector $name: exit $rc" ;;
	esac
	node "$PROBE" "$kind" "$out" >>"$err" 2>&1 || fail "$err" "Inspector $name: unexpected result: $(head -c 400 "$out")"
}
for transport in stdio sse http; do
	case $transport in
	stdio) target=(--transport stdio -- "$BIN" --sandbox --log-level warn) ;;
	sse) target=(--transport sse "$BASE/sse") ;;
	http) target=(--transport http "$BASE/mcp") ;;
	esac
	inspect "$transport-tools-list" tools --method tools/list --strict --format json "${target[@]}"
	for tool in clickup_whoami clickup_get_workspace_hierarchy; do
		inspect "$transport-$tool" call --method tools/call --tool-name "$tool" --tool-args-json '{}' --format json "${target[@]}"
	done
	echo "   inspector $transport: tools/list --strict, clickup_whoami, clickup_get_workspace_hierarchy: ok"
done

stop "$SERVER_PID"
SERVER_PID=""
echo "real-clients: $CONF_SCENARIOS conformance scenarios judged (conformance $CONFORMANCE_VERSION and $CONFORMANCE_NEXT_VERSION, none failed), the Host/Origin check and 3 inspector transports passed"
