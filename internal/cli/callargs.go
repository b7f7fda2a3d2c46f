package cli

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/app"
	"github.com/clickup-mcp/clickup-mcp/internal/toolkit"
)

const callUsage = `Usage: clickup-mcp call [--sandbox] [--json] TOOL [key=value ...]
       clickup-mcp call [--sandbox] [--json] TOOL '{"json":"arguments"}'
Values of key=value are read as JSON when they parse (limit=5, include_closed=true,
assignees='["me"]') and as text otherwise (task_id=ACME-1 name="Fix the login").
Text arguments stay text: task_id=123 is the string "123". clickup-mcp tools lists the tools.
`

// parseCallArgs reads a tool's arguments from the command line: one JSON
// object, or key=value pairs.
func parseCallArgs(words []string, schema json.RawMessage) (map[string]any, error) {
	if len(words) == 0 {
		return nil, nil
	}
	if first := strings.TrimSpace(words[0]); strings.HasPrefix(first, "{") {
		if len(words) > 1 {
			return nil, fmt.Errorf("after the JSON object came %q: pass either one JSON object or key=value pairs, not both", words[1])
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(first), &m); err != nil {
			return nil, fmt.Errorf("arguments must be a JSON object (or key=value pairs): %w", err)
		}
		return m, nil
	}
	types := propertyTypes(schema)
	m := map[string]any{}
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("argument %q is not key=value: pass key=value pairs (task_id=ACME-1 name=\"x y\") or one JSON object ('{\"task_id\":\"ACME-1\"}')", w)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("argument %s is given twice", k)
		}
		m[k] = argValue(v, types[k])
	}
	return m, nil
}

// argValue reads one key=value value: text for a string argument (a JSON
// string is unquoted), else JSON when it parses, else the text itself.
func argValue(v, typ string) any {
	var j any
	parsed := json.Unmarshal([]byte(v), &j) == nil
	if typ == "string" {
		if s, ok := j.(string); parsed && ok {
			return s
		}
		return v
	}
	if parsed {
		return j
	}
	return v
}

// propertyTypes maps each argument of an input schema to its JSON type,
// when it has exactly one.
func propertyTypes(schema json.RawMessage) map[string]string {
	var s struct {
		Properties map[string]struct {
			Type json.RawMessage `json:"type"`
		} `json:"properties"`
	}
	out := map[string]string{}
	if json.Unmarshal(schema, &s) != nil {
		return out
	}
	for name, p := range s.Properties {
		var t string
		if json.Unmarshal(p.Type, &t) == nil {
			out[name] = t
		}
	}
	return out
}

// inputSchema is the input schema of the offered tool name, if offered.
func inputSchema(a *app.App, name string) json.RawMessage {
	for _, t := range a.Tools {
		if t.Name() == name {
			return t.Tool.RawInputSchema
		}
	}
	return nil
}

// missingTool explains why name cannot be called on a, or "" when it can:
// a tool the selection removed names the flag that removed it; an unknown
// name lists the tools and the nearest one.
func missingTool(a *app.App, name string) string {
	for _, t := range a.Tools {
		if t.Name() == name {
			return ""
		}
	}
	all := a.AllTools
	var names []string
	for _, t := range all {
		names = append(names, t.Name())
		if t.Name() == name {
			return fmt.Sprintf("%s is not offered: %s", name, whyRemoved(all, a.Cfg.Selection(), t))
		}
	}
	msg := fmt.Sprintf("no tool named %q.", name)
	if near := app.Nearest(name, names); near != "" {
		msg += fmt.Sprintf(" Did you mean %s?", near)
		for _, t := range all {
			if t.Name() == near && missingTool(a, near) != "" {
				msg += " (not offered: " + whyRemoved(all, a.Cfg.Selection(), t) + ")"
			}
		}
	}
	var offered []string
	for _, t := range a.Tools {
		offered = append(offered, t.Name())
	}
	sort.Strings(offered)
	return msg + " The tools offered: " + strings.Join(offered, ", ")
}

// whyRemoved names the setting that keeps t out of the selection sel.
func whyRemoved(all []toolkit.Tool, sel toolkit.Selection, t toolkit.Tool) string {
	name := t.Name()
	var tools []string
	for _, x := range all {
		tools = append(tools, x.Name())
	}
	var ex []string
	for _, n := range sel.Exclude { // catalogue operation ids are the catalogue's
		if slices.Contains(tools, toolkit.Canonical(strings.TrimSpace(n))) {
			ex = append(ex, n)
		}
	}
	sel.Exclude = ex
	if sel.ReadOnly {
		rw := sel
		rw.ReadOnly = false
		if picked, err := toolkit.Select(all, rw); err == nil && hasTool(picked, name) {
			return "--read-only (CLICKUP_MCP_READ_ONLY) removed it, since it changes ClickUp"
		}
	}
	for _, n := range sel.Exclude {
		if toolkit.Canonical(strings.TrimSpace(n)) == name {
			return "--exclude-tools (CLICKUP_MCP_EXCLUDE_TOOLS) removed it"
		}
	}
	sets := strings.Join(sel.Toolsets, ",")
	if sets == "" {
		sets = "default"
	}
	if t.NotDefault && slices.Contains(toolkit.DefaultToolsets, t.Toolset) && slices.Contains(strings.Split(sets, ","), "default") {
		return fmt.Sprintf("the default preset leaves it out to keep tools/list small, although its %s toolset is in it; add --toolsets %s,%s or --tools %s", t.Toolset, sets, t.Toolset, name)
	}
	return fmt.Sprintf("it is in the %s toolset, which --toolsets %s (CLICKUP_MCP_TOOLSETS) does not include; add --toolsets %s,%s or --tools %s", t.Toolset, sets, sets, t.Toolset, name)
}

func hasTool(ts []toolkit.Tool, name string) bool {
	for _, t := range ts {
		if t.Name() == name {
			return true
		}
	}
	return false
}

// demoTools are the tools the tour calls, in order.
var demoTools = []string{
	"clickup_whoami", "clickup_get_workspace_hierarchy", "clickup_search_tasks", "clickup_create_task",
	"clickup_get_task", "clickup_create_task_comment", "clickup_update_task",
}

// demoNeeds says which tools the tour needs that the selection does not
// offer, and which settings removed them, or "" when it has them all.
func demoNeeds(a *app.App) string {
	var missing, why, sets []string
	all := a.AllTools
	sel := a.Cfg.Selection()
	seen := map[string]bool{}
	for _, t := range all {
		if !slices.Contains(demoTools, t.Name()) || hasTool(a.Tools, t.Name()) {
			continue
		}
		missing = append(missing, t.Name())
		r := whyRemoved(all, sel, t)
		switch {
		case strings.HasPrefix(r, "--read-only"):
			r = "--read-only removes the tools that change ClickUp"
		case strings.HasPrefix(r, "--exclude-tools"):
			r = "--exclude-tools removes some"
		default:
			if !slices.Contains(sets, t.Toolset) {
				sets = append(sets, t.Toolset)
			}
			continue
		}
		if !seen[r] {
			seen[r] = true
			why = append(why, r)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	if len(sets) > 0 {
		why = append(why, fmt.Sprintf("--toolsets %s leaves out the %s toolset(s)", strings.Join(sel.Toolsets, ","), strings.Join(sets, " and ")))
	}
	return fmt.Sprintf("the tour needs %s, and this selection does not offer %s (%s). Run plain 'clickup-mcp demo': it uses the sandbox, so nothing real changes.",
		strings.Join(demoTools, ", "), strings.Join(missing, ", "), strings.Join(why, "; "))
}
