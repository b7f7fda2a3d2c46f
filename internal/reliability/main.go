// Command reliability reruns the tests behind docs/RELIABILITY.md and
// prints their figures as markdown: the fault matrix, the write guard's
// scenarios, the many-users test
// (with -race), the secrets and HTTP-hardening checks, and a fuzzing run of
// every fuzz target.
//
//	go run ./internal/reliability                  # fuzz each target for 60s
//	go run ./internal/reliability -fuzztime 10s
//	go run ./internal/reliability -fuzztime 0      # no fuzzing
//
// Run it from the module root. It only runs `go test`; every figure can be
// had from the go test command it prints above each section.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"
)

var fuzzTargets = []string{"FuzzToolArguments", "FuzzParseTaskRef", "FuzzParseDate", "FuzzParseDuration", "FuzzParsePriority", "FuzzResolveUsers"}

func main() {
	fuzztime := flag.Duration("fuzztime", 60*time.Second, "how long to fuzz each target; 0 skips fuzzing")
	flag.Parse()
	ok := true
	fmt.Printf("Figures from `go run ./internal/reliability -fuzztime %v` on %s, %d CPUs, %s.\n", *fuzztime, runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02"))

	section("Fault matrix", "go test ./tools -run '^TestFaultMatrix$' -count=1 -v")
	out, err := goTest("./tools", "-run", "^TestFaultMatrix$", "-count=1", "-v")
	ok = report(err, out) && ok
	if i := strings.Index(out, "\nFault matrix"); i >= 0 {
		table := out[i+1:]
		if j := strings.Index(table, "\n\n--- "); j >= 0 {
			table = table[:j]
		} else if j := strings.Index(table, "\nPASS"); j >= 0 {
			table = table[:j]
		}
		fmt.Println(strings.TrimSpace(table))
	}

	section("Write guard", "go test ./tools -run '^TestWriteGuardMatrix$' -count=1 -v")
	out, err = goTest("./tools", "-run", "^TestWriteGuardMatrix$", "-count=1", "-v")
	ok = report(err, out) && ok
	if i := strings.Index(out, "\nWrite-guard matrix"); i >= 0 {
		table := out[i+1:]
		if j := strings.Index(table, "\n\n"); j >= 0 {
			if k := strings.Index(table[j+2:], "\n\n"); k >= 0 {
				table = table[:j+2+k]
			}
		}
		if j := strings.Index(table, "\n--- "); j >= 0 {
			table = table[:j]
		}
		fmt.Println(strings.TrimSpace(table))
	}

	section("Many users over HTTP (-race)", "go test -race ./internal/app/ -run '^TestManyUsersOverHTTP$' -count=1 -v")
	out, err = goTest("./internal/app/", "-race", "-run", "^TestManyUsersOverHTTP$", "-count=1", "-v")
	ok = report(err, out) && ok
	printLogLines(out, "concurrency_test.go")
	printPassLines(out)

	section("Secrets", "go test ./tools -run '^TestNoTokenInLogsResultsOrErrors$' -count=1 -v")
	out, err = goTest("./tools", "-run", "^TestNoTokenInLogsResultsOrErrors$", "-count=1", "-v")
	ok = report(err, out) && ok
	printLogLines(out, "leak_test.go")

	section("HTTP hardening", "go test ./internal/app/ -run '^TestHTTP' -count=1 -v")
	out, err = goTest("./internal/app/", "-run", "^TestHTTP", "-count=1", "-v")
	ok = report(err, out) && ok
	printLogLines(out, "http_hardening_test.go")
	printPassLines(out)

	section("Identity over HTTP and SSE", "go test ./internal/app/ -run '^(TestIdentity|TestHTTPOpenSessionsBounded$)' -count=1 -v")
	out, err = goTest("./internal/app/", "-run", "^(TestIdentity|TestHTTPOpenSessionsBounded$)", "-count=1", "-v")
	ok = report(err, out) && ok
	printLogLines(out, "identity_test.go")
	printPassLines(out)

	section("Configuration, headers and limits", "go test ./internal/app/ ./internal/httpserve/ -run '^(TestConfig|TestHTTPNarrowing|TestHTTPTokenHeader|TestHTTPConcurrentBodies|TestHTTPSSEQueue)' -count=1 -v")
	out, err = goTest("./internal/httpserve/", "-run", "^(TestConfig|TestHTTPNarrowing|TestHTTPTokenHeader|TestHTTPConcurrentBodies|TestHTTPSSEQueue)", "-count=1", "-v", "./internal/app/")
	ok = report(err, out) && ok
	printLogLines(out, "identity_test.go")
	printPassLines(out)

	section("Floods from callers without a valid token (peak RSS)", "CLICKUP_MCP_FLOODS=1 go test ./internal/app/ -run '^TestFloods$' -count=1 -v")
	out, err = goTestEnv([]string{"CLICKUP_MCP_FLOODS=1"}, "./internal/app/", "-run", "^TestFloods$", "-count=1", "-v")
	ok = report(err, out) && ok
	fmt.Println("| Flood | Answers | RSS before | Peak RSS growth | RSS kept after | Time | A real user answered normally after |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, line := range strings.Split(out, "\n") {
		if _, row, found := strings.Cut(line, "flood | "); found {
			fmt.Println("| " + row + " |")
		}
	}
	printPassLines(out)

	section("Deadlines for every request kind", "go test ./prompts -run '^TestEveryRequestKindHasTheCallDeadline$' -count=1 -v")
	out, err = goTest("./prompts", "-run", "^TestEveryRequestKindHasTheCallDeadline$", "-count=1", "-v")
	ok = report(err, out) && ok
	printLogLines(out, "deadline_test.go")

	section("Untrusted content, write scope, refused tokens, secrets in other spellings", "go test ./tools ./clickup -run '^(TestUntrustedContentIsMarked|TestLockdownWithholdsGuestBodies|TestWriteScopeTypoIsAnError|TestRefusedTokensKeepNoState|TestScrubEverySpelling)$' -count=1 -v")
	out, err = goTest("./tools", "-run", "^(TestUntrustedContentIsMarked|TestLockdownWithholdsGuestBodies|TestWriteScopeTypoIsAnError|TestRefusedTokensKeepNoState)$", "-count=1", "-v")
	ok = report(err, out) && ok
	printPassLines(out)
	out, err = goTest("./clickup", "-run", "^TestScrubEverySpelling$", "-count=1", "-v")
	ok = report(err, out) && ok
	printPassLines(out)

	if *fuzztime > 0 {
		section("Fuzzing", fmt.Sprintf("go test ./tools -run '^$' -fuzz '^<Target>$' -fuzztime %v", *fuzztime))
		fmt.Println("| Target | Time | Executions | New interesting inputs | Result |")
		fmt.Println("|---|---|---|---|---|")
		last := regexp.MustCompile(`fuzz: elapsed: (\S+), execs: (\d+) .*new interesting: (\d+) \(total: (\d+)\)`)
		for _, tgt := range fuzzTargets {
			out, err := goTest("./tools", "-run", "^$", "-fuzz", "^"+tgt+"$", "-fuzztime", fuzztime.String())
			elapsed, execs, interesting := "?", "?", "?"
			for _, m := range last.FindAllStringSubmatch(out, -1) {
				elapsed, execs, interesting = m[1], m[2], m[3]+" (corpus "+m[4]+")"
			}
			result := "pass"
			if err != nil {
				ok = false
				result = "**FAIL**: " + firstFailure(out)
			}
			fmt.Printf("| %s | %s | %s | %s | %s |\n", tgt, elapsed, execs, interesting, result)
		}
	}
	if !ok {
		os.Exit(1)
	}
}

func section(title, cmd string) {
	fmt.Printf("\n## %s\n\n`%s`\n\n", title, cmd)
}

func goTest(pkg string, args ...string) (string, error) { return goTestEnv(nil, pkg, args...) }

func goTestEnv(env []string, pkg string, args ...string) (string, error) {
	cmd := exec.Command("go", append(append([]string{"test"}, args...), pkg)...)
	cmd.Env = append(os.Environ(), env...)
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

func report(err error, out string) bool {
	if err == nil {
		return true
	}
	fmt.Printf("**FAILED** (%v):\n\n```\n%s\n```\n\n", err, lastLines(out, 40))
	return false
}

// printLogLines prints the t.Logf lines a test file wrote.
func printLogLines(out, file string) {
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, file+":") {
			_, msg, _ := strings.Cut(strings.TrimPrefix(line, file+":"), ": ")
			fmt.Println("- " + msg)
		}
	}
}

// printPassLines prints each test's result line with its time.
func printPassLines(out string) {
	for _, line := range strings.Split(out, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "--- PASS") || strings.HasPrefix(t, "--- FAIL") {
			fmt.Println("- `" + t + "`")
		}
	}
}

func firstFailure(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if t := strings.TrimSpace(line); strings.Contains(t, "_test.go:") {
			return strings.ReplaceAll(t, "|", "/")
		}
	}
	return strings.ReplaceAll(lastLines(out, 1), "|", "/")
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
