// Package openapi is the generator engine over ClickUp's two published specs: v2 (OpenAPI 3.1)
// and v3 (OpenAPI 3.0, normalised to 3.1). It loads a spec, resolves its $refs (ClickUp's v2
// refs point into other operations, even into examples), trims it to a set of operations, keeps
// facts (paths, methods, parameters with in/required/schema, request bodies with their content
// type, 2xx responses) and drops prose (descriptions, summaries, examples), and applies reviewed
// exceptions where the spec is known to be wrong.
//
// It serves the contract (internal/contract), the fake's spec-driven fallback
// (clickup/clickuptest) and the catalogue (internal/catalog), each of which commits what it
// generates: nothing reads ClickUp's spec at test or run time.
package openapi
