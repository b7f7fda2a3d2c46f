package clickuptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Request bodies are decoded into raw fields first, so "absent" and "null"
// stay distinct (on update, null clears priority or a due date; absent
// leaves it alone).

type body map[string]json.RawMessage

// Validation errors. ClickUp's own codes where known (API-NOTES §3 and public
// reports: INPUT_003/004/005, ITEM_114/137); INPUT_001, FIELD_001/002 and
// COMMENT_001 are the fake's inventions, for inputs whose real code is not
// documented.
func badInput(what string) *response {
	return errResp(http.StatusBadRequest, what+" invalid", "INPUT_001")
}

func parseBody(b []byte) (body, *response) {
	m := body{}
	if len(bytes.TrimSpace(b)) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, errResp(http.StatusBadRequest, "Body must be a JSON object", "INPUT_001")
	}
	return m, nil
}

func (b body) has(k string) bool {
	_, ok := b[k]
	return ok
}

func (b body) isNull(k string) bool {
	r, ok := b[k]
	return ok && string(bytes.TrimSpace(r)) == "null"
}

func (b body) str(k string) (string, bool, error) {
	r, ok := b[k]
	if !ok || b.isNull(k) {
		return "", false, nil
	}
	var s string
	if err := json.Unmarshal(r, &s); err != nil {
		return "", true, err
	}
	return s, true, nil
}

func (b body) boolean(k string) (bool, error) {
	r, ok := b[k]
	if !ok || b.isNull(k) {
		return false, nil
	}
	var v bool
	if err := json.Unmarshal(r, &v); err != nil {
		var s string
		if json.Unmarshal(r, &s) == nil && (s == "true" || s == "false") {
			return s == "true", nil
		}
		return false, err
	}
	return v, nil
}

// int64Val accepts a JSON number or a string of digits (ClickUp is lenient
// here; clients send dates both ways).
func int64Val(r json.RawMessage) (int64, error) {
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(r))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return 0, err
	}
	switch x := v.(type) {
	case json.Number:
		n = x
	case string:
		n = json.Number(strings.TrimSpace(x))
	default:
		return 0, fmt.Errorf("not a number")
	}
	if i, err := n.Int64(); err == nil {
		return i, nil
	}
	f, err := n.Float64()
	if err != nil {
		return 0, err
	}
	return int64(f), nil
}

func (b body) int64(k string) (int64, bool, error) {
	r, ok := b[k]
	if !ok || b.isNull(k) {
		return 0, false, nil
	}
	v, err := int64Val(r)
	return v, true, err
}

func (b body) float(k string) (float64, bool, error) {
	r, ok := b[k]
	if !ok || b.isNull(k) {
		return 0, false, nil
	}
	var f float64
	if err := json.Unmarshal(r, &f); err != nil {
		var s string
		if json.Unmarshal(r, &s) != nil {
			return 0, true, err
		}
		f, err = strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return 0, true, err
		}
	}
	return f, true, nil
}

func int64List(r json.RawMessage) ([]int64, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(r, &raws); err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(raws))
	for _, x := range raws {
		v, err := int64Val(x)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (b body) int64s(k string) ([]int64, error) {
	r, ok := b[k]
	if !ok || b.isNull(k) {
		return nil, nil
	}
	return int64List(r)
}

func (b body) strs(k string) ([]string, error) {
	r, ok := b[k]
	if !ok || b.isNull(k) {
		return nil, nil
	}
	var out []string
	err := json.Unmarshal(r, &out)
	return out, err
}

// diff decodes {"add":[...],"rem":[...]}, the shape UpdateTask takes for
// assignees and watchers (a plain array is refused: that is CreateTask's shape).
func (b body) diff(k string) (add, rem []int64, present bool, err error) {
	r, ok := b[k]
	if !ok || b.isNull(k) {
		return nil, nil, false, nil
	}
	var d struct {
		Add json.RawMessage `json:"add"`
		Rem json.RawMessage `json:"rem"`
	}
	if err := json.Unmarshal(r, &d); err != nil {
		return nil, nil, true, err
	}
	if len(d.Add) > 0 && string(d.Add) != "null" {
		if add, err = int64List(d.Add); err != nil {
			return nil, nil, true, err
		}
	}
	if len(d.Rem) > 0 && string(d.Rem) != "null" {
		if rem, err = int64List(d.Rem); err != nil {
			return nil, nil, true, err
		}
	}
	return add, rem, true, nil
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// markdownRes are compiled at the first description the fake renders, not
// in package init (the fake is linked into every start, for --sandbox).
var (
	markdownOnce   sync.Once
	markdownREsSet markdownREs
)

type markdownREs struct{ link, emphasis, heading, bullet, quote *regexp.Regexp }

func markdownRes() *markdownREs {
	markdownOnce.Do(func() {
		markdownREsSet = markdownREs{
			link:     regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`),
			emphasis: regexp.MustCompile(`(\*\*|__|~~|\*|` + "`" + `)`),
			heading:  regexp.MustCompile(`^\s{0,3}#{1,6}\s+`),
			bullet:   regexp.MustCompile(`^(\s*)[*+]\s+`),
			quote:    regexp.MustCompile(`^\s*>\s?`),
		}
	})
	return &markdownREsSet
}

// markdownToText approximates how ClickUp derives the plain description
// (description / text_content) from Markdown: markup goes, text and line
// structure stay.
func markdownToText(md string) string {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	out := make([]string, 0, len(lines))
	inCode := false
	re := markdownRes()
	for _, ln := range lines {
		if strings.HasPrefix(strings.TrimSpace(ln), "```") {
			inCode = !inCode
			continue
		}
		if inCode {
			out = append(out, ln)
			continue
		}
		ln = re.heading.ReplaceAllString(ln, "")
		ln = re.bullet.ReplaceAllString(ln, "$1- ")
		ln = re.quote.ReplaceAllString(ln, "")
		ln = re.link.ReplaceAllString(ln, "$1")
		ln = strings.ReplaceAll(ln, "- [ ] ", "- ")
		ln = strings.ReplaceAll(ln, "- [x] ", "- ")
		if strings.TrimSpace(ln) == "---" {
			continue
		}
		if !strings.HasPrefix(strings.TrimSpace(ln), "- ") {
			ln = re.emphasis.ReplaceAllString(ln, "")
		} else {
			i := strings.Index(ln, "- ")
			ln = ln[:i+2] + re.emphasis.ReplaceAllString(ln[i+2:], "")
		}
		out = append(out, ln)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
