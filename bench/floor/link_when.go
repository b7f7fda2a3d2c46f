//go:build floor_when

package main

// The English date rules (internal/workspace), linked into the floor to
// measure what linking them costs every start.
import (
	_ "github.com/olebedev/when/rules/common"
	_ "github.com/olebedev/when/rules/en"
)
