// Package contract checks ClickUp API traffic against a trimmed copy of ClickUp's published
// OpenAPI spec: every request the client sends and every response the fake returns.
//
// The contract, testdata/contract/clickup-v2.json at the repository root, is generated from
// ../shared/clickup/openapi-v2.json (beside the checkout in development and CI, not on a user's
// machine), keeping only the operations in testdata/contract/operations.txt and patching the
// places where the spec is known to be wrong, each listed with its reason in
// testdata/contract/exceptions.json. Tests read the committed file; nothing here needs the spec.
//
// Regenerate after changing the operations, the exceptions or the spec:
//
//	go generate ./internal/contract
package contract

//go:generate go run ./gen -in ../../../shared/clickup/openapi-v2.json -ops ../../testdata/contract/operations.txt -exceptions ../../testdata/contract/exceptions.json -out ../../testdata/contract/clickup-v2.json
