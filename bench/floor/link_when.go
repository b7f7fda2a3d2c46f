//go:build floor_when

package main

// The English date rules as the server links them (internal/workspace):
// internal/whenrules' copy of olebedev/when's English and common rules,
// compiled at the first date in words, and when's rules package for their
// types. Linked into the floor to measure what linking them costs every
// start.
import (
	_ "github.com/clickup-mcp/clickup-mcp/internal/whenrules"
	_ "github.com/olebedev/when/rules"
)
