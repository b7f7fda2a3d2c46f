//go:build floor_when_upstream

package main

// olebedev/when's own English and common rules, as the server linked them
// before internal/whenrules: their package init compiles nine regular
// expressions and builds the word maps at every start. Linked into the floor
// to show what carrying the rules saves.
import (
	_ "github.com/olebedev/when/rules/common"
	_ "github.com/olebedev/when/rules/en"
)
