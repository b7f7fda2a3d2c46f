// Package flagval reads the booleans of the configuration (flags, the
// environment, HTTP headers) one way everywhere, and fails closed: a value
// it cannot read is an error, never false.
package flagval

import (
	"fmt"
	"strings"
)

// Spellings lists what ParseBool accepts, for error messages.
const Spellings = "true/false, 1/0, yes/no or on/off"

// ParseBool reads true/false, 1/0, yes/no, on/off, t/f and y/n, in any case,
// with surrounding space. Anything else, the empty string included, is an
// error: a setting meant to narrow what the server may do must never be
// read as "off" because of its spelling.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "y", "yes", "on":
		return true, nil
	case "0", "f", "false", "n", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("cannot read %q as a boolean; use %s", clip(s), Spellings)
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Bool is a boolean flag.Value that reads values with ParseBool, so that
// --read-only=yes means what it says. A bare --name sets it to true.
type Bool struct{ V *bool }

func (b Bool) String() string {
	if b.V == nil {
		return "false"
	}
	return fmt.Sprint(*b.V)
}

// Set reads one value.
func (b Bool) Set(s string) error {
	v, err := ParseBool(s)
	if err != nil {
		return err
	}
	*b.V = v
	return nil
}

// IsBoolFlag lets the flag package accept a bare --name.
func (b Bool) IsBoolFlag() bool { return true }
