#!/usr/bin/env bash
# CI: the release artefacts, each built and checked the way a user meets it.
#   1. goreleaser: check the config, build a snapshot of this machine's
#      target (PACKAGING_SNAPSHOT=full: the whole release, 6 static binaries,
#      archives, checksums); the binary must be static and name its commit.
#   2. MCP Bundle: manifest.json validated, tools matched against the binary,
#      the bundle packed with @anthropic-ai/mcpb and its manifest re-read.
#   3. server.json: the repository's and the release's (with the bundle's
#      sha256) validated against the MCP registry's schema.
#   4. Container: built from the Dockerfile with Debian's podman, run, and
#      `initialize` sent to it on 127.0.0.1; where the machine cannot run
#      containers, says why and goes on.
#   5. Claude Code CLI: the binary added over stdio with a scratch HOME;
#      `claude mcp get` must say Connected.
# Versions are pinned. Network: the Go module proxy, the npm registry and
# Debian's apt only. Every wait is bounded; every process started is stopped.
#
#   bash .ci/packaging.sh     (PACKAGING_SNAPSHOT=full: all six targets, archives and checksums)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$SECONDS

GORELEASER="github.com/goreleaser/goreleaser/v2@v2.15.1"
MCPB="@anthropic-ai/mcpb@2.1.2"
CLAUDE_CODE="@anthropic-ai/claude-code@2.1.332"
# The MCP registry's schema for server.json, as the registry's own Go module
# ships it (its validators embed this file); the sha256 pins the exact text.
REGISTRY_MODULE="github.com/modelcontextprotocol/registry@v1.8.9"
REGISTRY_SCHEMA_FILE="internal/validators/schemas/2025-12-11.json"
REGISTRY_SCHEMA_SHA256="2e1e2dc758185bfc91023df4e5ace0e1c1bdb7b7b3d6614bb9ac6b9e9a9c2f68"

work=$(mktemp -d)
cid=""
cleanup() {
	if [ -n "$cid" ]; then
		timeout 20 podman "${podman_flags[@]}" stop -t 3 "$cid" >/dev/null 2>&1 || true
		timeout 20 podman "${podman_flags[@]}" rm -f "$cid" >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
podman_flags=()
trap cleanup EXIT

fail() { echo "packaging: FAIL: $*" >&2; exit 1; }
step() { echo "== packaging: $* ($((SECONDS - start))s)"; }

# Tools that run from the npm registry at pinned versions (npm's own cache
# keeps the second run from downloading them again).
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
npx_() { timeout 300 npx --yes "$@"; }

# ---------------------------------------------------------------- versions
step "versions agree"
want=$(sed -n 's/^## \[\([0-9][^]]*\)\].*/\1/p' CHANGELOG.md | head -1)
[ -n "$want" ] || fail "CHANGELOG.md has no '## [x.y.z]' heading"
python3 - "$want" <<'EOF' || fail "versions disagree (see above)"
import json, sys
want = sys.argv[1]
m = json.load(open("manifest.json"))
s = json.load(open("server.json"))
bad = []
if m["version"] != want: bad.append(f"manifest.json version {m['version']}")
if s["version"] != want: bad.append(f"server.json version {s['version']}")
for p in s.get("packages", []):
    if want not in p["identifier"] and p.get("version") != want:
        bad.append(f"server.json package {p['identifier']}")
if bad:
    print(f"CHANGELOG.md says {want}; " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
print(f"version {want} in CHANGELOG.md, manifest.json and server.json")
EOF

# -------------------------------------------------------------- goreleaser
step "goreleaser check"
timeout 900 go run "$GORELEASER" check
if [ "${PACKAGING_SNAPSHOT:-single}" = single ]; then
	step "goreleaser build --snapshot --single-target"
	timeout 900 go run "$GORELEASER" build --snapshot --clean --single-target >"$work/goreleaser.log" 2>&1 ||
		{ tail -40 "$work/goreleaser.log"; fail "goreleaser build"; }
else
	step "goreleaser release --snapshot --clean --skip=publish"
	timeout 900 go run "$GORELEASER" release --snapshot --clean --skip=publish >"$work/goreleaser.log" 2>&1 ||
		{ tail -40 "$work/goreleaser.log"; fail "goreleaser release --snapshot"; }
fi
version=$(python3 -c 'import json; print(json.load(open("dist/metadata.json"))["version"])')
commit=$(git rev-parse HEAD)
bin() { # bin GOOS GOARCH: the path of that target's binary in dist/
	python3 - "$1" "$2" <<'EOF'
import json, sys
for a in json.load(open("dist/artifacts.json")):
    if a.get("type") in ("Binary", "Universal Binary") and a.get("goos") == sys.argv[1] and a.get("goarch") == sys.argv[2]:
        print(a["path"]); break
EOF
}
linux_bin=$(bin linux amd64)
[ -x "$linux_bin" ] || fail "no linux/amd64 binary in dist/"
file_out=$(file -b "$linux_bin")
case "$file_out" in *"statically linked"*) ;; *) fail "$linux_bin is not static: $file_out" ;; esac
v=$("$linux_bin" version)
echo "$linux_bin version: $v"
case "$v" in *"$version"*"${commit:0:12}"*) ;; *) fail "version should name $version and commit ${commit:0:12}: $v" ;; esac
targets=$(python3 -c 'import json; print(" ".join(sorted(a["goos"]+"/"+a["goarch"] for a in json.load(open("dist/artifacts.json")) if a.get("type") in ("Binary","Universal Binary"))))')
echo "binaries: $targets"
if [ "${PACKAGING_SNAPSHOT:-single}" != single ]; then
	# darwin/all is the universal binary (amd64 and arm64 in one file).
	for t in linux/amd64 linux/arm64 darwin/all windows/amd64 windows/arm64; do
		case " $targets " in *" $t "*) ;; *) fail "no $t binary" ;; esac
	done
	(cd dist && sha256sum -c checksums.txt >/dev/null) || fail "checksums.txt does not match the archives"
	echo "archives: $(cd dist && ls ./*.tar.gz ./*.zip | wc -l), checksums.txt verified"
fi

# --------------------------------------------------------------- MCP Bundle
step "MCP Bundle: validate, pack"
npx_ "$MCPB" validate manifest.json
python3 - "$linux_bin" <<'EOF' || fail "manifest.json's tools differ from the server's"
import json, subprocess, sys
tools = json.loads(subprocess.run([sys.argv[1], "tools", "--json", "--toolsets", "all"], check=True, capture_output=True).stdout)
have = sorted(t["name"] for t in tools)
listed = sorted(t["name"] for t in json.load(open("manifest.json"))["tools"])
if have != listed:
    print("server:", have, "\nmanifest.json:", listed, file=sys.stderr); sys.exit(1)
print(f"manifest.json lists the server's {len(have)} tools")
EOF
bundle="$work/bundle"
mkdir -p "$bundle/server"
cp manifest.json LICENSE README.md "$bundle/"
python3 - "$bundle/manifest.json" "$version" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1])); m["version"] = sys.argv[2]
json.dump(m, open(sys.argv[1], "w"), indent=2)
EOF
darwin_bin=$(bin darwin all)
[ -n "$darwin_bin" ] || darwin_bin=$(bin darwin arm64)
win_bin=$(bin windows amd64)
if [ -n "$darwin_bin" ] && [ -n "$win_bin" ]; then
	cp "$darwin_bin" "$bundle/server/clickup-mcp"
	cp "$win_bin" "$bundle/server/clickup-mcp.exe"
else
	echo "packaging: single-target snapshot: the bundle carries the linux binary only"
	cp "$linux_bin" "$bundle/server/clickup-mcp"
fi
cp "$linux_bin" "$bundle/server/clickup-mcp-linux"
mcpb_file="dist/clickup-mcp-$version.mcpb"
npx_ "$MCPB" pack "$bundle" "$mcpb_file" >"$work/mcpb-pack.log" 2>&1 || { cat "$work/mcpb-pack.log"; fail "mcpb pack"; }
# What Claude Desktop reads: the manifest inside the packed bundle.
(cd "$work" && rm -rf unpacked && mkdir unpacked && cd unpacked && python3 -m zipfile -e "$root/$mcpb_file" . )
npx_ "$MCPB" validate "$work/unpacked/manifest.json" >/dev/null || fail "the packed bundle's manifest is invalid"
for f in server/clickup-mcp server/clickup-mcp-linux; do [ -s "$work/unpacked/$f" ] || fail "$f missing from the bundle"; done
# Claude Desktop runs the binaries as unpacked: they must keep their exec bit.
python3 - "$mcpb_file" <<'EOF' || fail "a binary in the bundle lost its exec bit"
import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    if i.filename.startswith("server/") and not i.filename.endswith(".exe"):
        mode = i.external_attr >> 16
        assert mode & 0o111, f"{i.filename} mode {oct(mode)}"
EOF
chmod +x "$work/unpacked/server/clickup-mcp-linux" # python's zipfile drops modes on extraction
"$work/unpacked/server/clickup-mcp-linux" version >/dev/null || fail "the bundle's linux binary does not run"
mcpb_sha=$(sha256sum "$mcpb_file" | cut -d' ' -f1)
echo "bundle: $mcpb_file, $(($(stat -c %s "$mcpb_file") / 1024 / 1024)) MiB, sha256 $mcpb_sha"

# --------------------------------------------------------------- server.json
step "server.json against the MCP registry's schema"
moddir=$(cd "$work" && GOFLAGS=-mod=mod timeout 300 go mod download -json "$REGISTRY_MODULE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
schema="$moddir/$REGISTRY_SCHEMA_FILE"
echo "$REGISTRY_SCHEMA_SHA256  $schema" | sha256sum -c --quiet - || fail "the registry schema changed under $REGISTRY_MODULE"
# The release's server.json: this build's version, bundle URL and sha256
# (the registry requires fileSha256 for an mcpb package).
python3 - "$version" "$mcpb_sha" "$work/server.release.json" <<'EOF'
import json, sys
version, sha, out = sys.argv[1:]
s = json.load(open("server.json"))
want = s["version"]
s["version"] = version
for p in s["packages"]:
    p["identifier"] = p["identifier"].replace(want, version)
    if "version" in p: p["version"] = version
    if p["registryType"] == "mcpb": p["fileSha256"] = sha
json.dump(s, open(out, "w"), indent=2)
EOF
go run ./.ci/jsonschema "$schema" server.json "$work/server.release.json"

# ---------------------------------------------------------------- container
step "container: build with podman, smoke-test initialize"
container_result="not run"
container() {
	if ! command -v podman >/dev/null; then
		if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
			echo "packaging: installing podman from Debian"
			(timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq podman runc) >"$work/apt.log" 2>&1 ||
				{ tail -5 "$work/apt.log"; container_result="skipped: podman could not be installed"; return 0; }
		else
			container_result="skipped: no podman and no root to apt-get install it"; return 0
		fi
	fi
	ctx="$work/container"
	mkdir -p "$ctx"
	cp "$linux_bin" "$ctx/clickup-mcp"
	ca=/etc/ssl/certs/ca-certificates.crt
	[ -s "$ca" ] || { container_result="skipped: no CA bundle at $ca (apt-get install ca-certificates)"; return 0; }
	cp "$ca" "$ctx/ca-certificates.crt"
	cp Dockerfile .dockerignore "$ctx/"
	image="localhost/clickup-mcp:ci-$$"
	if ! timeout 300 podman build -q -t "$image" "$ctx" >"$work/podman-build.log" 2>&1; then
		tail -5 "$work/podman-build.log"
		container_result="skipped: podman cannot build on this machine: $(tail -1 "$work/podman-build.log")"
		return 0
	fi
	size=$(podman image inspect --format '{{.Size}}' "$image")
	user=$(podman image inspect --format '{{.Config.User}}' "$image")
	[ "$user" = "65532:65532" ] || fail "image user is '$user', not 65532:65532"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	name="clickup-mcp-ci-$$"
	run_out=""
	# crun refuses cgroup v1/v2 hybrid hosts, and some sandboxes refuse
	# raising rlimits: try the defaults, then runc with the host's limits.
	for flags in "" "--runtime runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024"; do
		# shellcheck disable=SC2086
		if run_out=$(timeout 60 podman run -d --rm $flags --name "$name" -p "127.0.0.1:$port:8080" "$image" 2>&1); then
			cid=$name
			[ -z "$flags" ] || echo "packaging: podman's default runtime failed here; ran with: $flags"
			break
		fi
		echo "packaging: podman run ${flags:-(defaults)}: $run_out"
	done
	if [ -z "$cid" ]; then
		container_result="built (${size} bytes), not run: this machine does not let podman start containers: $run_out"
		return 0
	fi
	ok=""
	for _ in $(seq 1 50); do # up to 10 s for the server to listen
		if curl -fsS -m 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ok=1; break; fi
		sleep 0.2
	done
	[ -n "$ok" ] || { podman logs "$cid" 2>&1 | tail -5; fail "the container's /healthz did not answer in 10 s"; }
	init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"packaging-ci","version":"1"}}}'
	post() { curl -sS -m 10 -o "$work/resp" -w '%{http_code}' "http://127.0.0.1:$port/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' "$@" -d "$init"; }
	code=$(post -H 'Authorization: Bearer pk_packaging_ci_not_a_real_token')
	[ "$code" = 200 ] || { cat "$work/resp"; fail "initialize answered $code"; }
	python3 - "$work/resp" "$version" <<'EOF' || fail "initialize result is wrong"
import json, sys
r = json.load(open(sys.argv[1]))["result"]
info = r["serverInfo"]
assert info["name"] == "clickup-mcp", info
assert info["version"] == sys.argv[2], f"serverInfo.version {info['version']} != {sys.argv[2]}"
assert "tools" in r["capabilities"], r["capabilities"]
print(f"initialize: {info['name']} {info['version']}, protocol {r['protocolVersion']}")
EOF
	code=$(post)
	[ "$code" = 401 ] || fail "initialize without a token answered $code, want 401 (the image holds no token)"
	code=$(post -H 'Authorization: Bearer pk_x' -H 'Origin: http://evil.example.com')
	[ "$code" = 403 ] || fail "a foreign Origin got $code, want 403"
	# mcp-go checks Host only on loopback connections, and mapped ports
	# arrive on the container's address: the image sets --allowed-hosts
	# (CLICKUP_MCP_ALLOWED_HOSTS) for a port published on this machine.
	code=$(post -H 'Authorization: Bearer pk_x' -H 'Host: evil.example.com')
	[ "$code" = 403 ] || fail "a foreign Host got $code from the container, want 403 (the image's CLICKUP_MCP_ALLOWED_HOSTS)"
	code=$(post -H 'Authorization: Bearer pk_packaging_ci_not_a_real_token' -H "Host: localhost:$port")
	[ "$code" = 200 ] || fail "Host localhost:$port got $code, want 200"
	if podman logs "$cid" 2>&1 | grep -q pk_packaging_ci_not_a_real_token; then fail "the token appeared in the container's log"; fi
	timeout 20 podman stop -t 5 "$cid" >/dev/null
	cid=""
	timeout 30 podman rmi -f "$image" >/dev/null 2>&1 || true
	container_result="built ($((size / 1024 / 1024)) MiB, user 65532), ran, initialize 200, no token 401, foreign Origin 403, foreign Host 403, Host localhost 200"
}
container
echo "container: $container_result"

# ---------------------------------------------------------- Claude Code CLI
step "Claude Code CLI: claude mcp add over stdio, claude mcp get"
# The Claude Code CLI needs Node 22; Debian's is older, so node@22 comes from
# the npm registry (as in ../shared/MCP-CLIENTS.md) unless the machine has it.
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]; then
	(mkdir -p "$work/node22" && cd "$work/node22" && npm init -y >/dev/null && timeout 300 npm install --silent node@22) ||
		fail "could not install node@22 from the npm registry"
	export PATH="$work/node22/node_modules/node/bin:$PATH"
fi
echo "node $(node --version)"
cc_home="$work/cc-home"
mkdir -p "$cc_home"
cc() { HOME="$cc_home" XDG_CONFIG_HOME="$cc_home/.config" DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 npx_ -p "$CLAUDE_CODE" claude "$@"; }
(cd "$work" && cc mcp add clickup-sandbox --env CLICKUP_MCP_SANDBOX=true -- "$root/$linux_bin" >"$work/cc-add.log" 2>&1) ||
	{ cat "$work/cc-add.log"; fail "claude mcp add"; }
get_out=$(cd "$work" && cc mcp get clickup-sandbox 2>&1) || true
echo "$get_out" | grep -E 'Status|Command' || true
echo "$get_out" | grep -q 'Connected' || { echo "$get_out"; fail "claude mcp get did not say Connected"; }

echo "packaging: ok in $((SECONDS - start))s: goreleaser ($version: $targets), bundle $(basename "$mcpb_file"), server.json valid, container $container_result, Claude Code Connected"
