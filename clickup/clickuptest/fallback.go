package clickuptest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/clickup-mcp/clickup-mcp/internal/openapi"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:generate go run ./gen -shared ../../../shared/clickup -root ../.. -out spec

// The spec-driven fallback answers every operation of ClickUp's v2 and v3 specs that has no
// hand-written handler: it validates the request against the operation (path and query
// parameters, JSON body), answers a body valid against its 2xx schema, and keeps what was
// created or updated, so that a create then a get or list returns it, an update changes it and a
// delete removes it. It is deliberately shallow: no cross-resource rules, no permissions beyond
// the token; where behaviour matters the fake has a hand-written handler instead.
//
// The facts come from spec/clickup-v2.json and spec/clickup-v3.json, generated from ClickUp's
// specs (go generate) and embedded: nothing reads ../shared at test or run time.

//go:embed spec/clickup-v2.json spec/clickup-v3.json
var specFS embed.FS

// SpecDocuments returns the embedded fallback documents (OpenAPI 3.1, v2 then v3), for tests
// that validate traffic against every operation.
func SpecDocuments() [][]byte {
	var out [][]byte
	for _, v := range []string{"v2", "v3"} {
		b, err := specFS.ReadFile("spec/clickup-" + v + ".json")
		if err != nil {
			panic("clickuptest: embedded spec: " + err.Error())
		}
		out = append(out, b)
	}
	return out
}

type opKind int

const (
	kindOther opKind = iota
	kindCreate
	kindList
	kindGet
	kindUpdate
	kindDelete
)

// specOp is one spec operation the fallback can serve.
type specOp struct {
	version    string // v2, v3
	op         *openapi.Operation
	doc        *specDoc
	rt         *route
	literals   int
	kind       opKind
	collection string // "v2:goal", "v3:docs"
	idParam    string // for get, update, delete: the path parameter naming the item
}

type specDoc struct {
	version string
	doc     *openapi.Document
	url     string

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema // JSON pointer -> schema
}

var (
	specOnce sync.Once
	specOps  []*specOp
	specDocs map[string]*specDoc
	specErr  error
)

func loadSpecs() ([]*specOp, error) {
	specOnce.Do(func() {
		specDocs = map[string]*specDoc{}
		for i, b := range SpecDocuments() {
			v := []string{"v2", "v3"}[i]
			d, err := openapi.Parse(b)
			if err != nil {
				specErr = fmt.Errorf("clickuptest: %s spec: %w", v, err)
				return
			}
			root, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				specErr = fmt.Errorf("clickuptest: %s spec: %w", v, err)
				return
			}
			sd := &specDoc{version: v, doc: d, url: "mem:///clickup-" + v + ".json", compiled: map[string]*jsonschema.Schema{}}
			sd.compiler = jsonschema.NewCompiler()
			sd.compiler.DefaultDraft(jsonschema.Draft2020)
			if err := sd.compiler.AddResource(sd.url, root); err != nil {
				specErr = err
				return
			}
			specDocs[v] = sd
			for _, op := range d.Operations {
				specOps = append(specOps, newSpecOp(sd, op))
			}
		}
		// The most literal template first: /v2/team/{id}/time_entries/tags before
		// /v2/team/{id}/time_entries/{timer_id}.
		sort.SliceStable(specOps, func(i, j int) bool { return specOps[i].literals > specOps[j].literals })
	})
	return specOps, specErr
}

func newSpecOp(sd *specDoc, op *openapi.Operation) *specOp {
	rel := strings.TrimPrefix(op.Path, "/api")
	so := &specOp{version: sd.version, op: op, doc: sd}
	so.rt = &route{method: op.Method, segs: strings.Split(strings.Trim(rel, "/"), "/"), name: op.Method + " " + rel}
	so.rt.h = func(c *call) *response { return c.fallback(so) }
	for _, s := range so.rt.segs {
		if !strings.HasPrefix(s, "{") {
			so.literals++
		}
	}
	segs := so.rt.segs
	last := segs[len(segs)-1]
	lastIsParam := strings.HasPrefix(last, "{")
	noun := ""
	if lastIsParam && len(segs) >= 2 && !strings.HasPrefix(segs[len(segs)-2], "{") {
		noun = segs[len(segs)-2]
		so.idParam = strings.Trim(last, "{}")
	} else if !lastIsParam {
		noun = last
	}
	if noun != "" {
		so.collection = sd.version + ":" + noun
	}
	switch {
	case noun == "":
	case !lastIsParam && op.Method == http.MethodPost:
		so.kind = kindCreate
	case !lastIsParam && op.Method == http.MethodGet:
		so.kind = kindList
	case lastIsParam && op.Method == http.MethodGet:
		so.kind = kindGet
	case lastIsParam && (op.Method == http.MethodPut || op.Method == http.MethodPatch):
		so.kind = kindUpdate
	case lastIsParam && op.Method == http.MethodDelete:
		so.kind = kindDelete
	}
	return so
}

// matchFallback finds the spec operation for a request no hand-written route took.
func matchFallback(method string, segs []string) (*route, map[string]string) {
	ops, err := loadSpecs()
	if err != nil {
		return nil, nil
	}
	for _, so := range ops {
		if so.rt.method != method {
			continue
		}
		if params, ok := so.rt.match(segs); ok {
			return so.rt, params
		}
	}
	return nil, nil
}

// FallbackOperations lists the operationIds the spec-driven fallback serves (those without a
// hand-written route), v2 then v3.
func FallbackOperations() ([]string, error) {
	ops, err := loadSpecs()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range []string{"v2", "v3"} {
		for _, op := range specDocs[d].doc.Operations {
			for _, so := range ops {
				if so.op == op && !handWritten(so) {
					out = append(out, op.ID)
				}
			}
		}
	}
	return out, nil
}

func handWritten(so *specOp) bool {
	segs := make([]string, len(so.rt.segs))
	for i, s := range so.rt.segs {
		if strings.HasPrefix(s, "{") {
			s = "1"
		}
		segs[i] = s
	}
	rt, _ := matchRoute(so.op.Method, segs)
	return rt != nil
}

func (d *specDoc) schema(ptr string) (*jsonschema.Schema, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.compiled[ptr]; ok {
		return s, nil
	}
	s, err := d.compiler.Compile(d.url + "#" + ptr)
	if err != nil {
		return nil, err
	}
	d.compiled[ptr] = s
	return s, nil
}

// specErrResp is a 400 in the operation's API version's error shape.
func (c *call) specError(so *specOp, status int, msg, ecode string) *response {
	if so.version == "v3" {
		return v3Error(status, msg, c.s.now().UnixMilli())
	}
	return errResp(status, msg, ecode)
}

// v3Error is ClickUp's v3 error body (API-NOTES §3).
func v3Error(status int, msg string, now int64) *response {
	return jsonResp(status, map[string]any{"status": status, "message": msg, "trace_id": now % 1_000_000_007, "timestamp": now})
}

// asV3Error re-renders a v2 error body in v3's shape, for the generic errors (authentication,
// rate limit, unknown route) the server raises before any v3 handler runs.
func asV3Error(r *response, now int64) *response {
	var e jErr
	if json.Unmarshal(r.body, &e) != nil || e.Err == "" {
		return r
	}
	return v3Error(r.status, e.Err, now)
}

func (c *call) fallback(so *specOp) *response {
	op := so.op
	// Parameters.
	for _, p := range op.Params {
		var raw []string
		switch p.In {
		case "path":
			raw = []string{c.params[p.Name]}
		case "query":
			raw = append(append(raw, c.q[p.Name]...), c.q[p.Name+"[]"]...)
		default:
			continue // headers: ClickUp declares Content-Type as one; the fake does not require it
		}
		if len(raw) == 0 {
			if p.Required {
				return c.specError(so, http.StatusBadRequest, fmt.Sprintf("%s parameter %s is required", p.In, p.Name), "INPUT_001")
			}
			continue
		}
		ptr := so.paramPointer(p)
		sch, err := so.doc.schema(ptr)
		if err != nil {
			return c.specError(so, http.StatusInternalServerError, "fake: "+err.Error(), "FAKE_500")
		}
		v := coerce(so.doc.doc, p.Schema, raw)
		if err := sch.Validate(v); err != nil {
			return c.specError(so, http.StatusBadRequest, fmt.Sprintf("%s parameter %s: %s", p.In, p.Name, firstLine(err)), "INPUT_002")
		}
	}
	// Body.
	var body map[string]any
	if b := op.Body; b != nil && b.ContentType == "application/json" {
		if len(bytes.TrimSpace(c.body)) == 0 {
			if b.Required {
				return c.specError(so, http.StatusBadRequest, "a JSON body is required", "INPUT_003")
			}
		} else {
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(c.body))
			if err != nil {
				return c.specError(so, http.StatusBadRequest, "body is not JSON: "+err.Error(), "INPUT_003")
			}
			sch, err := so.doc.schema(b.Pointer)
			if err != nil {
				return c.specError(so, http.StatusInternalServerError, "fake: "+err.Error(), "FAKE_500")
			}
			if err := sch.Validate(v); err != nil {
				return c.specError(so, http.StatusBadRequest, "body: "+firstLine(err), "INPUT_004")
			}
			body, _ = v.(map[string]any)
		}
	}
	if len(op.Responses) == 0 {
		return &response{status: http.StatusNoContent}
	}
	resp := op.Responses[0]
	if resp.Schema == nil || resp.Status == http.StatusNoContent {
		// A 204 carries no content whatever media type the spec gives it.
		if resp.Status == http.StatusNoContent {
			c.s.specStore().remember(so, c.params, body)
			return &response{status: http.StatusNoContent}
		}
		return &response{status: resp.Status, body: []byte("{}")}
	}
	return c.answer(so, resp, body)
}

// paramPointer is the JSON pointer of a parameter's schema in the document.
func (so *specOp) paramPointer(p openapi.Param) string {
	// Parameters sit on the operation or on its path item; find which and where.
	item := mapAt(so.doc.doc.Root, "paths", so.op.Path)
	for _, where := range []string{strings.ToLower(so.op.Method), ""} {
		list := item["parameters"]
		base := "/paths/" + esc(so.op.Path) + "/parameters/"
		if where != "" {
			list = mapAt(item, where)["parameters"]
			base = "/paths/" + esc(so.op.Path) + "/" + where + "/parameters/"
		}
		ps, _ := list.([]any)
		for i, x := range ps {
			m, _ := x.(map[string]any)
			if m["name"] == p.Name && m["in"] == p.In {
				return base + strconv.Itoa(i) + "/schema"
			}
		}
	}
	return ""
}

func esc(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1") }

func mapAt(v any, keys ...string) map[string]any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	m, _ := v.(map[string]any)
	return m
}

func firstLine(err error) string {
	s := err.Error()
	// jsonschema's errors start with the schema URL; the model needs the instance location
	// and the reason.
	if i := strings.Index(s, "\n"); i >= 0 {
		s = strings.TrimSpace(s[i+1:])
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// coerce turns query or path strings into the JSON values the parameter's schema describes.
func coerce(d *openapi.Document, schema any, raw []string) any {
	s, _ := d.Resolve(schema).(map[string]any)
	if openapi.Types(s)["array"] {
		items := make([]any, len(raw))
		for i, r := range raw {
			items[i] = scalar(d, s["items"], r)
		}
		return items
	}
	return scalar(d, schema, raw[0])
}

func scalar(d *openapi.Document, schema any, r string) any {
	s, _ := d.Resolve(schema).(map[string]any)
	t := openapi.Types(s)
	switch {
	case t["integer"] || t["number"]:
		if n, err := strconv.ParseFloat(r, 64); err == nil {
			_ = n
			return json.Number(r)
		}
	case t["boolean"]:
		if b, err := strconv.ParseBool(r); err == nil {
			return b
		}
	}
	return r
}
