package clickuptest

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/clickup-mcp/clickup-mcp/internal/openapi"
)

// specStore keeps what the fallback's operations wrote, per collection ("v2:goal") and id.
type specStore struct {
	items   map[string]map[string]*specItem
	deleted map[string]bool // collection + "\x00" + id
	seq     int64
}

type specItem struct {
	obj     map[string]any
	parents map[string]string // the path parameters of the request that created it
	seq     int64
}

func (s *Server) specStore() *specStore {
	if s.spec == nil {
		s.spec = &specStore{items: map[string]map[string]*specItem{}, deleted: map[string]bool{}, seq: 9015000}
	}
	return s.spec
}

func (st *specStore) get(coll, id string) *specItem { return st.items[coll][id] }

func (st *specStore) put(coll, id string, obj map[string]any, parents map[string]string) *specItem {
	if st.items[coll] == nil {
		st.items[coll] = map[string]*specItem{}
	}
	st.seq++
	it := &specItem{obj: obj, parents: parents, seq: st.seq}
	st.items[coll][id] = it
	delete(st.deleted, coll+"\x00"+id)
	return it
}

func (st *specStore) remove(coll, id string) {
	delete(st.items[coll], id)
	st.deleted[coll+"\x00"+id] = true
}

// list returns the collection's items created under the same path parameters as params has
// (a list of a Workspace's goals shows that Workspace's).
func (st *specStore) list(coll string, params map[string]string) []*specItem {
	var out []*specItem
	for _, it := range st.items[coll] {
		ok := true
		for k, v := range params {
			if pv, has := it.parents[k]; has && pv != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	return out
}

// remember applies a write whose answer has no body (a 204).
func (st *specStore) remember(so *specOp, params map[string]string, body map[string]any) {
	id := params[so.idParam]
	switch so.kind {
	case kindDelete:
		st.remove(so.collection, id)
	case kindUpdate:
		if it := st.get(so.collection, id); it != nil {
			overlay(it.obj, body)
		}
	}
}

// answer builds a 2xx body for so from its response schema and the store.
func (c *call) answer(so *specOp, resp openapi.Response, body map[string]any) *response {
	st := c.s.specStore()
	d := so.doc.doc
	out := openapi.Example(d, resp.Schema, "", 0)
	plain := openapi.DeepCopy(out)
	switch so.kind {
	case kindCreate:
		if ent := entityOf(out); ent != nil {
			st.seq++
			id := strconv.FormatInt(st.seq, 10)
			setID(ent, id)
			overlay(ent, body)
			parents := map[string]string{}
			for k, v := range c.params {
				parents[k] = v
			}
			st.put(so.collection, id, openapi.DeepCopy(ent).(map[string]any), parents)
		}
	case kindGet, kindUpdate, kindDelete:
		id := c.params[so.idParam]
		if st.deleted[so.collection+"\x00"+id] {
			return c.specError(so, http.StatusNotFound, strings.TrimSuffix(noun(so.collection), "s")+" not found", "ITEM_404")
		}
		it := st.get(so.collection, id)
		if so.kind == kindUpdate && body != nil {
			if it == nil {
				if ent := entityOf(openapi.DeepCopy(out)); ent != nil {
					setID(ent, id)
					it = st.put(so.collection, id, ent, map[string]string{})
				}
			}
			if it != nil {
				overlay(it.obj, body)
			}
		}
		if ent := entityOf(out); ent != nil {
			setID(ent, id)
			if it != nil {
				overlay(ent, it.obj)
			}
		}
		if so.kind == kindDelete {
			st.remove(so.collection, id)
		}
	case kindList:
		if m, ok := out.(map[string]any); ok {
			if prop, items := listOf(d, resp.Schema, noun(so.collection)); prop != "" {
				list := []any{}
				for _, it := range st.list(so.collection, c.params) {
					x := openapi.Example(d, items, "", 1)
					if xm, ok := x.(map[string]any); ok {
						overlay(xm, it.obj)
					}
					list = append(list, x)
				}
				m[prop] = list
			}
		}
	}
	if sch, err := so.doc.schema(resp.Pointer); err == nil && sch.Validate(roundTrip(out)) != nil {
		// What was stored does not fit this operation's schema (specs describe one resource
		// differently per operation): answer the plain synthesized body instead.
		out = plain
		if ent := entityOf(out); ent != nil && so.idParam != "" {
			setID(ent, c.params[so.idParam])
			if sch.Validate(roundTrip(out)) != nil {
				out = plain
			}
		}
	}
	return jsonResp(resp.Status, out)
}

func noun(coll string) string {
	_, n, _ := strings.Cut(coll, ":")
	return strings.ReplaceAll(n, "_", " ")
}

// roundTrip gives a value the types jsonschema expects (json.Number for numbers).
func roundTrip(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if dec.Decode(&out) != nil {
		return v
	}
	return out
}

// entityOf finds the resource in a body: the body itself when it has an id, or the first
// property (by name) that is an object with an id ({"goal": {"id": ...}}).
func entityOf(v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if _, ok := m["id"]; ok {
		return m
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if c, ok := m[k].(map[string]any); ok {
			if _, ok := c["id"]; ok {
				return c
			}
		}
	}
	return nil
}

// listOf finds the property of a list answer that holds the items: the array named after the
// collection ("goals" for goal), else the first array (by name) whose items have an id.
func listOf(d *openapi.Document, schema any, noun string) (string, any) {
	s, _ := d.Resolve(schema).(map[string]any)
	props, _ := s["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	noun = strings.ReplaceAll(noun, " ", "_")
	sort.SliceStable(keys, func(i, j int) bool {
		named := func(k string) bool { return k == noun || k == noun+"s" || k == noun+"es" }
		return named(keys[i]) && !named(keys[j])
	})
	for _, k := range keys {
		p, _ := d.Resolve(props[k]).(map[string]any)
		if !openapi.Types(p)["array"] && p["items"] == nil {
			continue
		}
		item, _ := d.Resolve(p["items"]).(map[string]any)
		if ip, _ := item["properties"].(map[string]any); ip["id"] != nil {
			return k, p["items"]
		}
	}
	return "", nil
}

func setID(ent map[string]any, id string) {
	switch ent["id"].(type) {
	case json.Number, float64, int, int64:
		if _, err := strconv.ParseFloat(id, 64); err == nil {
			ent["id"] = json.Number(id)
			return
		}
	}
	ent["id"] = id
}

// overlay copies src's values into dst where dst has the key with a value of the same JSON
// kind, recursing into objects: what was written shows where the schema has room for it.
func overlay(dst, src map[string]any) {
	for k, v := range src {
		dv, ok := dst[k]
		if !ok {
			continue
		}
		switch dt := dv.(type) {
		case map[string]any:
			if sm, ok := v.(map[string]any); ok {
				overlay(dt, sm)
			}
		case []any:
			if sl, ok := v.([]any); ok && (len(sl) == 0 || len(dt) > 0 && openapi.Kind(dt[0]) == openapi.Kind(sl[0])) {
				dst[k] = openapi.DeepCopy(sl)
			}
		default:
			if openapi.Kind(dv) == openapi.Kind(v) {
				dst[k] = v
			}
		}
	}
}
