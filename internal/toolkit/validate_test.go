package toolkit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"
)

// fakeRuntime is a Runtime with no workspace: sessions are empty structs,
// and CheckWrite records the places it was asked about.
type fakeRuntime struct {
	places *[]Place
	refuse bool
}

func (fakeRuntime) Session(context.Context) (struct{}, error) { return struct{}{}, nil }
func (fakeRuntime) CallTimeout() time.Duration                { return time.Second }
func (fakeRuntime) Explain(_ context.Context, _ struct{}, _ bool, err error) string {
	return err.Error()
}
func (r fakeRuntime) CheckWrite(_ context.Context, _ struct{}, p Place) error {
	*r.places = append(*r.places, p)
	if r.refuse {
		return &ArgError{Arg: p.ListArg, Msg: "outside the write scope"}
	}
	return nil
}
func (fakeRuntime) WithNotes(ctx context.Context) (context.Context, *[]string) {
	return ctx, &[]string{}
}
func (fakeRuntime) Logger() *zerolog.Logger { l := zerolog.Nop(); return &l }
func (fakeRuntime) MaxResultTokens() int    { return 20_000 }

type writeArgs struct {
	ListID string `json:"list_id,omitempty"`
	Name   string `json:"name"`
}

type writeResult struct {
	OK bool `json:"ok"`
}

// writeSchemas are writeArgs' and writeResult's schemas, as
// internal/schemagen writes them.
var writeSchemas = Schemas{
	Input:  `{"properties":{"list_id":{"type":"string"},"name":{"type":"string"}},"additionalProperties":false,"type":"object","required":["name"]}`,
	Output: `{"properties":{"ok":{"type":"boolean"}},"additionalProperties":true,"type":"object","required":["ok"]}`,
}

func writeTool(rt fakeRuntime, sp Spec, ran *int) Tool {
	if sp.Schemas.Input == "" && sp.Schemas.Output == "" {
		sp.Schemas = writeSchemas
	}
	return New(rt, sp, func(context.Context, struct{}, *writeArgs) (*writeResult, string, error) {
		*ran++
		return &writeResult{OK: true}, "ok", nil
	})
}

func TestValidateRefuses(t *testing.T) {
	rt := fakeRuntime{places: &[]Place{}}
	var ran int
	good := Spec{Name: "x_create", Title: "Create", Toolset: ToolsetTasks, Hints: CreateHints, Description: "d",
		Examples: []string{`{"list_id": "L", "name": "n"}`}, Target: &Target{List: "list_id"}}
	if err := Validate([]Tool{writeTool(rt, good, &ran)}); err != nil {
		t.Fatalf("a well-formed write tool was refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		mod   func(*Spec)
		twice bool
		want  string
	}{
		{name: "write without target", mod: func(s *Spec) { s.Target = nil }, want: "declares no target"},
		{name: "read with target", mod: func(s *Spec) { s.Hints = ReadHints }, want: "read-only but declares a write target"},
		{name: "target names an unknown argument", mod: func(s *Spec) { s.Target = &Target{List: "space_id"} }, want: `argument "space_id"`},
		{name: "empty target", mod: func(s *Spec) { s.Target = &Target{} }, want: "neither a list nor a task"},
		{name: "no examples", mod: func(s *Spec) { s.Examples = nil }, want: "no examples"},
		{name: "example with an unknown argument", mod: func(s *Spec) { s.Examples = []string{`{"list": "L"}`} }, want: `argument "list"`},
		{name: "no toolset", mod: func(s *Spec) { s.Toolset = "" }, want: "no toolset"},
		{name: "destructive read", mod: func(s *Spec) { s.Hints = Hints{ReadOnly: true, Destructive: true}; s.Target = nil }, want: "read-only but marked destructive"},
		{name: "duplicate name", mod: func(*Spec) {}, twice: true, want: "duplicate tool"},
		{name: "destructive without Confirm", mod: func(s *Spec) { s.Hints = DestroyHints }, want: "does not declare Confirm"},
		{name: "no generated schemas", mod: func(s *Spec) { s.Schemas = Schemas{Output: writeSchemas.Output} }, want: "run go generate ./tools/"},
	} {
		sp := good
		tc.mod(&sp)
		ts := []Tool{writeTool(rt, sp, &ran)}
		if tc.twice {
			ts = append(ts, ts[0])
		}
		err := Validate(ts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	bad := writeTool(rt, good, &ran)
	bad.ReadOnly = true // the group contradicts the readOnly hint
	if err := Validate([]Tool{bad}); err == nil || !strings.Contains(err.Error(), "contradicts its group") {
		t.Errorf("contradicting hint: %v", err)
	}
}

// TestChecksBeforeHandler: the framework asks for the write scope with the
// target's values, and a refusal or a read-only request never reaches the
// handler.
func TestChecksBeforeHandler(t *testing.T) {
	var ran int
	places := &[]Place{}
	sp := Spec{Name: "x_create", Title: "Create", Toolset: ToolsetTasks, Hints: CreateHints, Description: "d",
		Examples: []string{`{"list_id": "L", "name": "n"}`}, Target: &Target{List: "list_id"}}
	call := func(ctx context.Context, tool Tool) bool {
		req := mcpRequest(map[string]any{"list_id": " Sprint 12 ", "name": "n"})
		r, err := tool.Handler(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return r.IsError
	}
	ok := writeTool(fakeRuntime{places: places}, sp, &ran)
	if call(context.Background(), ok) || ran != 1 {
		t.Fatalf("allowed write: isError or handler runs %d", ran)
	}
	if len(*places) != 1 || (*places)[0].List != "Sprint 12" || (*places)[0].ListArg != "list_id" {
		t.Fatalf("places asked: %+v", *places)
	}
	refused := writeTool(fakeRuntime{places: places, refuse: true}, sp, &ran)
	if !call(context.Background(), refused) || ran != 1 {
		t.Fatalf("refused write reached the handler (runs %d)", ran)
	}
	ro := WithNarrowing(context.Background(), &Selection{ReadOnly: true})
	if !call(ro, ok) || ran != 1 {
		t.Fatalf("write under a read-only request reached the handler (runs %d)", ran)
	}
}

func mcpRequest(args map[string]any) mcp.CallToolRequest {
	req := mcp.CallToolRequest{}
	req.Params.Name = "x_create"
	req.Params.Arguments = args
	return req
}

// A handler may ask for confirmation only when its Spec declares Confirm,
// and a call from a client without elicitation is not asked.
func TestConfirmNeedsDeclaring(t *testing.T) {
	if _, err := Confirm(context.Background(), Question{Describe: func() (string, error) { return "x", nil }}); err == nil || !strings.Contains(err.Error(), "does not declare Confirm") {
		t.Errorf("undeclared Confirm: %v", err)
	}
	ctx := withConfirm(context.Background(), mcp.MultiRoundTripParams{})
	asked := false
	d, err := Confirm(ctx, Question{Describe: func() (string, error) { asked = true; return "x", nil }})
	if err != nil || d != NotAsked || !d.Proceed() || asked {
		t.Errorf("client without elicitation: %v %v (described: %v), want NotAsked without a look-up", d, err, asked)
	}
}
