#!/usr/bin/env bash
# Gates before the tests: formatting, module tidiness, lint, and generated
# files that must match a fresh generation. Fails on the first that does not
# hold, saying which and how to fix it.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== gofmt"
bad=$(gofmt -l . | grep -v '^\.mirror/' || true)
if [ -n "$bad" ]; then
	echo "not gofmt-ed (run gofmt -w on them):"; echo "$bad"; exit 1
fi

echo "== go mod tidy -diff"
go mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

echo "== lint"
if command -v golangci-lint >/dev/null 2>&1; then
	golangci-lint run ./...
elif [ -x "$(go env GOPATH)/bin/golangci-lint" ]; then
	"$(go env GOPATH)/bin/golangci-lint" run ./...
else
	echo "golangci-lint not installed: go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.7.2"; exit 1
fi

echo "== generated files"
# Tool schema snapshots: regenerate and compare.
UPDATE_SNAPSHOTS=1 go test ./tools/ -run '^TestToolSnapshots$' -count=1 >/dev/null
# The contract needs ClickUp's spec (../shared); regenerate it when present.
if [ -f ../shared/clickup/openapi-v2.json ]; then
	go generate ./internal/contract/
fi
if ! git diff --quiet -- tools/testdata/toolsnaps testdata/contract; then
	echo "generated files differ from a fresh generation (commit the regenerated files):"
	git diff --stat -- tools/testdata/toolsnaps testdata/contract
	exit 1
fi
echo "gates: ok"
