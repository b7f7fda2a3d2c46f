// Package contract checks ClickUp API traffic against a trimmed copy of ClickUp's published
// OpenAPI spec: every request the client sends and every response the fake returns.
//
// The contract, testdata/contract/clickup-v2.json at the repository root, is generated from
// ../shared/clickup/openapi-v2.json (beside the checkout in development and CI, not on a user's
// machine). It keeps only the operations in testdata/contract/operations.txt, without prose, and
// is patched where the spec is known to be wrong; each patch is listed with its reason in
// testdata/contract/exceptions.json. Tests read the committed file, so nothing here needs the
// spec; TestCommittedContractIsGenerated checks, where the spec is present, that the committed
// file is what the generator makes.
//
// Regenerate after changing the operations, the exceptions or the spec:
//
//	go generate ./internal/contract
//
// Tests give a client Transport(t, base) to fail on any violation; the conformance test drives
// every client method against the demo fake that way.
package contract

//go:generate go run ./gen -in ../../../shared/clickup/openapi-v2.json -ops ../../testdata/contract/operations.txt -exceptions ../../testdata/contract/exceptions.json -out ../../testdata/contract/clickup-v2.json
