package toolkit

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
)

// Validate refuses a tool set that would mislead a client or escape the
// write scope (see checkTools), or whose examples do not decode into
// arguments the tool takes. The tests run it over every tool; a start runs
// checkTools alone, which decodes no JSON.
func Validate(ts []Tool) error {
	if err := checkTools(ts); err != nil {
		return err
	}
	for _, t := range ts {
		props := t.propertyNames()
		if len(t.Examples) == 0 {
			return fmt.Errorf("toolkit: %s has no examples", t.Name())
		}
		for _, ex := range t.Examples {
			var m map[string]any
			if err := json.Unmarshal([]byte(ex), &m); err != nil {
				return fmt.Errorf("toolkit: %s: example %s is not a JSON object: %w", t.Name(), ex, err)
			}
			for k := range m {
				if !slices.Contains(props, k) {
					return fmt.Errorf("toolkit: %s: example %s uses argument %q, which it does not take", t.Name(), ex, k)
				}
			}
		}
	}
	return nil
}

// propertyNames are the names of the tool's arguments, sorted: generated
// with its schemas, else read from its input schema.
func (t Tool) propertyNames() []string {
	if t.props != nil {
		return t.props
	}
	return propertyNames(t.Tool.RawInputSchema)
}

// checkTools refuses a duplicate name, a tool whose hints contradict its
// group, a write tool without a target (or a read tool with one), or a
// target naming an argument the tool does not take.
func checkTools(ts []Tool) error {
	seen := map[string]bool{}
	for _, t := range ts {
		if seen[t.Name()] {
			return fmt.Errorf("toolkit: duplicate tool %s", t.Name())
		}
		seen[t.Name()] = true
		if len(t.Tool.RawInputSchema) == 0 || len(t.Tool.RawOutputSchema) == 0 {
			return fmt.Errorf("toolkit: %s has no generated schemas: run go generate ./tools/", t.Name())
		}
		a := t.Tool.Annotations
		if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
			return fmt.Errorf("toolkit: %s must set all four annotation hints", t.Name())
		}
		if *a.ReadOnlyHint != t.ReadOnly {
			return fmt.Errorf("toolkit: %s: readOnly hint %v contradicts its group", t.Name(), *a.ReadOnlyHint)
		}
		if t.ReadOnly && *a.DestructiveHint {
			return fmt.Errorf("toolkit: %s is read-only but marked destructive", t.Name())
		}
		if *a.DestructiveHint && !t.Confirm {
			return fmt.Errorf("toolkit: %s is destructive but does not declare Confirm, so a client with elicitation could not be asked first", t.Name())
		}
		if t.Toolset == "" {
			return fmt.Errorf("toolkit: %s belongs to no toolset", t.Name())
		}
		if t.Tool.Title == "" || len(t.Tool.Icons) == 0 {
			return fmt.Errorf("toolkit: %s needs a title and an icon (its toolset %q has none)", t.Name(), t.Toolset)
		}
		props := t.propertyNames()
		has := func(name string) bool {
			i := sort.SearchStrings(props, name)
			return i < len(props) && props[i] == name
		}
		switch {
		case !t.ReadOnly && t.Target == nil:
			return fmt.Errorf("toolkit: %s writes but declares no target, so the write scope could not be checked before it runs", t.Name())
		case t.ReadOnly && t.Target != nil:
			return fmt.Errorf("toolkit: %s is read-only but declares a write target", t.Name())
		case t.Target != nil:
			if t.Target.List == "" && t.Target.Task == "" && !t.Target.Handler {
				return fmt.Errorf("toolkit: %s: its target names neither a list nor a task argument", t.Name())
			}
			for _, arg := range []string{t.Target.List, t.Target.Task, t.Target.Workspace} {
				if arg != "" && !has(arg) {
					return fmt.Errorf("toolkit: %s: its target names argument %q, which it does not take", t.Name(), arg)
				}
			}
		}
	}
	return nil
}

// Names lists tool names, sorted.
func Names(ts []Tool) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name()
	}
	sort.Strings(out)
	return out
}
