package flagval

import (
	"flag"
	"io"
	"testing"
)

func TestParseBool(t *testing.T) {
	for _, s := range []string{"1", "true", "TRUE", "True", "yes", "YES", "on", "On", " y ", "t"} {
		if v, err := ParseBool(s); err != nil || !v {
			t.Errorf("ParseBool(%q) = %v, %v; want true", s, v, err)
		}
	}
	for _, s := range []string{"0", "false", "FALSE", "no", "No", "off", "OFF", "n", "f"} {
		if v, err := ParseBool(s); err != nil || v {
			t.Errorf("ParseBool(%q) = %v, %v; want false", s, v, err)
		}
	}
	for _, s := range []string{"", "2", "enabled", "yess", "tru", "-1", "nope"} {
		if _, err := ParseBool(s); err == nil {
			t.Errorf("ParseBool(%q) accepted", s)
		}
	}
}

func TestBoolFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{{[]string{"--x"}, true}, {[]string{"--x=yes"}, true}, {[]string{"--x=off"}, false}, {nil, false}} {
		var v bool
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Var(Bool{&v}, "x", "")
		if err := fs.Parse(tc.args); err != nil || v != tc.want {
			t.Errorf("%v: %v %v, want %v", tc.args, v, err, tc.want)
		}
	}
	var v bool
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(Bool{&v}, "x", "")
	if err := fs.Parse([]string{"--x=maybe"}); err == nil {
		t.Error("--x=maybe accepted")
	}
}
