package workspace

import (
	"bytes"
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ID is an identifier argument. Models often send numeric-looking ClickUp
// ids as JSON numbers; both forms are accepted, the schema says string.
type ID string

func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '"' {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return &json.UnmarshalTypeError{Value: "non-string", Type: stringType}
		}
		*id = ID(n.String())
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*id = ID(strings.TrimSpace(s))
	return nil
}

var stringType = reflect.TypeOf("")

// TaskRef is a parsed task reference.
type taskRef struct {
	ID     string
	Custom bool
	// Workspace is the workspace named in a task URL, if any.
	Workspace string
}

// The id forms are matched by hand rather than with regular expressions:
// compiling `^[A-Za-z][A-Za-z0-9_]{0,15}-[0-9]{1,12}$` and its siblings
// expands every bounded repetition, 70 KB and 880 allocations in package
// init at every start (parse_test.go checks the matchers against those
// expressions).

// isNativeID matches `^[0-9a-z]{1,32}$`, a native task id.
func isNativeID(s string) bool { return idChars(s, 1, 32, isLowerAlnum) }

// isCustomID matches `^[A-Za-z][A-Za-z0-9_]{0,15}-[0-9]{1,12}$`, a
// custom task id ("DEV-123"): the prefix holds no '-', so the first one
// ends it.
func isCustomID(s string) bool {
	prefix, num, ok := strings.Cut(s, "-")
	return ok && prefix != "" && isLetter(prefix[0]) && idChars(prefix[1:], 0, 15, isWordChar) && idChars(num, 1, 12, isDigit)
}

// isNumericID matches `^[0-9]{1,20}$`: a list, folder, space or
// workspace id.
func isNumericID(s string) bool { return idChars(s, 1, 20, isDigit) }

// idChars reports whether s has min to max bytes, each one ok accepts
// (every class here is ASCII, so bytes are runes).
func idChars(s string, minLen, maxLen int, ok func(byte) bool) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isLetter(c byte) bool     { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isLowerAlnum(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'z' }
func isWordChar(c byte) bool   { return isDigit(c) || isLetter(c) || c == '_' }

// parseTaskRef reads every form a person or model uses for a task: a native
// id ("86b1x2y3z", "#86b1x2y3z", "CU-86b1x2y3z"), a custom id ("DEV-123"),
// or a task URL (https://app.clickup.com/t/<id> or .../t/<workspace>/<custom-id>).
func parseTaskRef(arg, s string) (taskRef, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return taskRef{}, InvalidArg(arg, "a task id is required (e.g. 86b1x2y3z, DEV-123 or a task URL)")
	}
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "app.clickup.com/") {
		if !strings.Contains(s, "://") {
			s = "https://" + s
		}
		u, err := url.Parse(s)
		if err != nil || !strings.HasSuffix(u.Hostname(), "clickup.com") {
			return taskRef{}, InvalidArg(arg, "%q is not a ClickUp task URL (expected https://app.clickup.com/t/<id>)", Truncate(s, 80))
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) >= 2 && parts[0] == "t" {
			switch len(parts) {
			case 2:
				return parseTaskRef(arg, parts[1])
			case 3:
				r, err := parseTaskRef(arg, parts[2])
				if err != nil {
					return r, err
				}
				if _, err := strconv.ParseUint(parts[1], 10, 64); err == nil {
					r.Workspace = parts[1]
				}
				return r, nil
			}
		}
		return taskRef{}, InvalidArg(arg, "%q is not a ClickUp task URL (expected https://app.clickup.com/t/<id>)", Truncate(s, 80))
	}
	s = strings.TrimPrefix(s, "#")
	if len(s) > 3 && strings.EqualFold(s[:3], "CU-") {
		rest := s[3:]
		if isNativeID(strings.ToLower(rest)) {
			if _, err := strconv.Atoi(rest); err != nil {
				return taskRef{ID: strings.ToLower(rest)}, nil
			}
		}
	}
	if isCustomID(s) {
		return taskRef{ID: strings.ToUpper(s), Custom: true}, nil
	}
	if isNativeID(s) {
		return taskRef{ID: s}, nil
	}
	return taskRef{}, InvalidArg(arg, "%q is not a task id; use a ClickUp task id (e.g. 86b1x2y3z), a custom id (e.g. DEV-123) or a task URL", Truncate(s, 60))
}

func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// dateForms is shown when a date cannot be read.
const dateForms = `accepted forms: 2026-12-01, 2026-12-01 17:30, RFC 3339 (2026-12-01T17:30:00Z), epoch milliseconds, or plain words ("today", "tomorrow 5pm", "next friday", "in 3 days", "end of month", "end of week")`

var (
	whenOnce   sync.Once
	whenParser *naturalDate
)

func naturalParser() *naturalDate {
	whenOnce.Do(func() { whenParser = newNaturalDate() })
	return whenParser
}

// ParseDate reads a date a person would write, in loc. hasTime reports
// whether a time of day was given (ClickUp's due_date_time).
func ParseDate(arg, s string, loc *time.Location, now time.Time) (t time.Time, hasTime bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false, InvalidArg(arg, "empty date; %s", dateForms)
	}
	// The natural-language parser is linear but slow (2 s for 1 MB) and
	// cannot be cancelled; no date needs more than a line.
	if len(s) > 200 {
		return time.Time{}, false, InvalidArg(arg, "%d characters is too long for a date; %s", len(s), dateForms)
	}
	now = now.In(loc)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 1e11 { // seconds, or nonsense
			return time.Time{}, false, InvalidArg(arg, "%q looks like seconds or a small number; give epoch milliseconds or a date; %s", s, dateForms)
		}
		return time.UnixMilli(n).In(loc), true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), true, nil
	}
	for _, f := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(f, s, loc); err == nil {
			return t, true, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, false, nil
	}
	low := strings.ToLower(s)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	switch low {
	case "now":
		return now, true, nil
	case "today":
		return day, false, nil
	case "tomorrow":
		return day.AddDate(0, 0, 1), false, nil
	case "yesterday":
		return day.AddDate(0, 0, -1), false, nil
	case "end of month", "end of the month", "eom":
		return time.Date(now.Year(), now.Month()+1, 0, 0, 0, 0, 0, loc), false, nil
	case "end of week", "end of the week", "eow":
		// Friday of this week (the working week's end).
		d := (int(time.Friday) - int(now.Weekday()) + 7) % 7
		return day.AddDate(0, 0, d), false, nil
	case "start of month", "beginning of month":
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc), false, nil
	}
	r, err := naturalParser().parse(s, now)
	if err == nil && r != nil && r.Index == 0 && len(strings.TrimSpace(r.Text)) >= len(strings.TrimSpace(s))-1 {
		t := r.Time.In(loc)
		hasTime := t.Hour() != now.Hour() || t.Minute() != now.Minute() || mentionsTime(low)
		if !hasTime {
			t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		}
		return t, hasTime, nil
	}
	return time.Time{}, false, InvalidArg(arg, "cannot read %q as a date; %s", Truncate(s, 60), dateForms)
}

// timeWordRe is compiled at the first date read, not in package init at
// every start (a package-level sync.OnceValue would be init code too).
var (
	timeWordOnce sync.Once
	timeWordRe   *regexp.Regexp
)

func mentionsTime(s string) bool {
	timeWordOnce.Do(func() { timeWordRe = regexp.MustCompile(`\d\s*(am|pm)\b|\d:\d\d|\bnoon\b|\bmidnight\b`) })
	return timeWordRe.MatchString(s)
}

// ParsePriority reads urgent|high|normal|low or 1-4.
func ParsePriority(arg, s string) (int, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "urgent":
		return 1, nil
	case "2", "high":
		return 2, nil
	case "3", "normal", "medium":
		return 3, nil
	case "4", "low":
		return 4, nil
	}
	return 0, InvalidArg(arg, "%q is not a priority; use urgent, high, normal or low (or 1-4)", Truncate(s, 30))
}

// ISOTime renders a ClickUp time in loc: a date alone when the time of day
// is not meaningful, else RFC 3339.
func ISOTime(ms int64, withTime bool, loc *time.Location) string {
	if ms == 0 {
		return ""
	}
	t := time.UnixMilli(ms).In(loc)
	if !withTime {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

// ISODue renders a due or start date. ClickUp task objects rarely say
// whether the time of day is meaningful (due_date_time), and a date set
// without one is stored at 04:00 (or midnight) local time: those show as a
// plain date, any other time as a date-time.
func ISODue(ms int64, withTime bool, loc *time.Location) string {
	if ms == 0 {
		return ""
	}
	if !withTime {
		t := time.UnixMilli(ms).In(loc)
		h, m, sec := t.Clock()
		withTime = (h != 4 && h != 0) || m != 0 || sec != 0
	}
	return ISOTime(ms, withTime, loc)
}

// ParseDuration reads "90m", "1h30m", "2h", "1.5h" or a number of minutes.
func ParseDuration(arg, s string) (int64, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	s = strings.ReplaceAll(s, " ", "")
	if s == "" {
		return 0, InvalidArg(arg, "empty duration")
	}
	if mins, err := strconv.ParseFloat(s, 64); err == nil {
		if !(mins*60000 >= 1 && mins <= 1e7) { // NaN too
			return 0, InvalidArg(arg, "%q minutes is out of range", Truncate(s, 30))
		}
		return int64(mins * 60000), nil
	}
	s = strings.ReplaceAll(s, "mins", "m")
	s = strings.ReplaceAll(s, "min", "m")
	s = strings.ReplaceAll(s, "hours", "h")
	s = strings.ReplaceAll(s, "hour", "h")
	s = strings.ReplaceAll(s, "hrs", "h")
	s = strings.ReplaceAll(s, "hr", "h")
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Millisecond {
		return 0, InvalidArg(arg, "cannot read %q as a duration; use e.g. 90m, 1h30m, 2h or minutes as a number", Truncate(s, 30))
	}
	return d.Milliseconds(), nil
}
