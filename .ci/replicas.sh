#!/usr/bin/env bash
# Issue 21's end-to-end test of many replicas (.ci/replicas/main.go): a real
# redis-server on loopback (installed with apt-get when missing), the fake
# ClickUp as its own process with a 10-second window, clickup-mcp replica
# processes with --redis-url behind a round-robin proxy, 30 MCP clients.
# The processes' logs go to .tools/ci-out/replicas; the last line printed is
# one verdict. --write-docs also rewrites the figures in docs/DEPLOY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/.tools/ci-out/replicas
# The whole run is bounded; it takes about two minutes.
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
DOCS=()
for a in "$@"; do
	case $a in
	--write-docs) DOCS=(-docs "$ROOT/docs/DEPLOY.md") ;;
	*) echo "replicas: FAILED: unknown argument $a (use --write-docs)"; exit 2 ;;
	esac
done

RUN_PID=""
fail() {
	if [[ $# -gt 1 && -s $1 ]]; then
		echo "---- ${1#"$ROOT"/} (last 40 lines)"
		tail -n 40 "$1"
		echo "----"
		shift
	elif [[ $# -gt 1 ]]; then
		shift
	fi
	echo "replicas: FAILED: $*"
	exit 1
}
cleanup() {
	local rc=$? i
	if [[ -n $RUN_PID ]]; then
		# The driver stops its processes itself; its group (setsid) is
		# stopped here too in case it could not.
		kill -TERM -- "-$RUN_PID" 2>/dev/null || true
		for ((i = 0; i < 100; i++)); do
			kill -0 "$RUN_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL -- "-$RUN_PID" 2>/dev/null || true
		wait "$RUN_PID" 2>/dev/null || true
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'echo "replicas: FAILED: interrupted"; exit 130' INT
trap 'echo "replicas: FAILED: stopped (SIGTERM)"; exit 143' TERM

rm -rf "$OUT"
mkdir -p "$OUT"
if ! command -v redis-server >/dev/null; then
	echo "== installing redis-server (apt-get)"
	SUDO=()
	[[ $(id -u) == 0 ]] || SUDO=(sudo)
	{ "${SUDO[@]}" apt-get update && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends redis-server; } >"$OUT/apt.log" 2>&1 ||
		fail "$OUT/apt.log" "could not install redis-server with apt-get"
fi
for tool in go setsid timeout redis-server; do
	command -v "$tool" >/dev/null || fail "'$tool' is not installed"
done
go build -o "$OUT/clickup-mcp" . >"$OUT/build.log" 2>&1 &&
	go build -o "$OUT/fakeclickup" ./.ci/fakeclickup >>"$OUT/build.log" 2>&1 &&
	go build -o "$OUT/replicas" ./.ci/replicas >>"$OUT/build.log" 2>&1 ||
	fail "$OUT/build.log" "build failed"

echo "== three replicas on a real Redis behind a round-robin proxy ($(redis-server --version | grep -o 'v=[0-9.]*'))"
setsid timeout -k 10 "$RUN_TIMEOUT" "$OUT/replicas" -bin "$OUT/clickup-mcp" -fake "$OUT/fakeclickup" \
	-redis-server "$(command -v redis-server)" -out "$OUT" "${DOCS[@]}" >"$OUT/run.txt" 2>&1 &
RUN_PID=$!
rc=0
wait "$RUN_PID" || rc=$?
RUN_PID=""
grep -v '^replicas: \(ok\|FAILED\)' "$OUT/run.txt" || true
verdict=$(grep -E '^replicas: (ok|FAILED)' "$OUT/run.txt" | tail -n 1 || true)
if [[ $rc == 0 && $verdict == "replicas: ok"* ]]; then
	echo "$verdict"
	exit 0
fi
[[ $rc == 124 || $rc == 137 ]] && fail "the run was stopped after ${RUN_TIMEOUT}s (logs in ${OUT#"$ROOT"/})"
fail "${verdict#replicas: FAILED: }"
