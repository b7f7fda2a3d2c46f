package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"syscall"

	"github.com/lithammer/fuzzysearch/fuzzy"
)

// ParseFlags parses args into fs. --help prints usage and the flags to
// stdout (exit 0); a wrong flag prints the error and one line pointing at
// --help to stderr (exit 2), so the error does not scroll away under forty
// lines of usage. ok is false when the command should end with code.
func ParseFlags(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (code int, ok bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		fs.SetOutput(stderr)
		return 0, true
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fmt.Fprint(stdout, usage)
		fs.PrintDefaults()
		return 0, false
	}
	msg := err.Error()
	if name, found := strings.CutPrefix(msg, "flag provided but not defined: "); found {
		name = strings.TrimLeft(name, "-")
		msg = "unknown flag --" + name
		if near := nearestFlag(fs, name); near != "" {
			msg += " (did you mean --" + near + "?)"
		}
	}
	fmt.Fprintf(stderr, "%s: %s\nRun '%s --help' for the flags.\n", fs.Name(), msg, fs.Name())
	return 2, false
}

// nearestFlag is the defined flag closest to name, if any is close.
func nearestFlag(fs *flag.FlagSet, name string) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return Nearest(name, names)
}

// Nearest returns the candidate closest to name by edit distance, or ""
// when none is close enough to be a likely typo (within a third of the
// name's length, at least 2 edits), or a candidate that contains name.
func Nearest(name string, candidates []string) string {
	best, bestD := "", -1
	lname := strings.ToLower(name)
	for _, c := range candidates {
		d := fuzzy.LevenshteinDistance(lname, strings.ToLower(c))
		if bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(2, len(name)/3)
	if bestD >= 0 && bestD <= limit {
		return best
	}
	for _, c := range candidates {
		if len(lname) >= 4 && strings.Contains(strings.ToLower(c), lname) {
			return c
		}
	}
	return ""
}

// NormalizeAddr reads a listen address. A bare port ("18463") means
// 127.0.0.1:18463: loopback, as the default is, since listening on every
// interface should be asked for explicitly (":18463" or "0.0.0.0:18463").
func NormalizeAddr(flagName, addr string) (string, error) {
	a := strings.TrimSpace(addr)
	if n, err := strconv.Atoi(a); err == nil && n >= 0 && n <= 65535 {
		return "127.0.0.1:" + a, nil
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return "", fmt.Errorf("--%s %q: want HOST:PORT such as 127.0.0.1:8080, or a bare port such as 8080 for 127.0.0.1:8080", flagName, addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("--%s %q: the port %q is not a number from 0 to 65535", flagName, addr, port)
	}
	return net.JoinHostPort(host, port), nil
}

// Listen opens the HTTP transport's listener; its error names the address
// and, for a port in use, how to pick another.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, port, _ := net.SplitHostPort(addr)
	if host == "" {
		host = "127.0.0.1"
	}
	other := "8081"
	if n, perr := strconv.Atoi(port); perr == nil && n > 0 && n < 65535 {
		other = strconv.Itoa(n + 1)
	}
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("cannot listen on %s: the address is already in use (another clickup-mcp, or another program); choose another port, e.g. --addr %s", addr, net.JoinHostPort(host, other))
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("cannot listen on %s: permission denied (ports below 1024 need privileges); choose another port, e.g. --addr %s", addr, net.JoinHostPort(host, "8080"))
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return nil, fmt.Errorf("cannot listen on %s: no network interface of this machine has that address; use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface), e.g. --addr 127.0.0.1:%s", addr, port)
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		err = oe.Err
	}
	return nil, fmt.Errorf("cannot listen on %s: %w; check --addr (HOST:PORT such as 127.0.0.1:8080)", addr, err)
}
