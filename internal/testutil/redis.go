package testutil

import (
	"bufio"
	"net"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// StartRedis runs Debian's redis-server (no persistence) on a free loopback
// port for the test and stops it, by its PID, at the end. It returns the
// address (host:port) once the server answers PING; without the binary the
// test is skipped (apt-get install -y redis-server).
func StartRedis(t testing.TB) string {
	t.Helper()
	addr, _ := StartRedisProcess(t)
	return addr
}

// StartRedisProcess is StartRedis that also returns the server's PID, for a
// test that stops it mid-run.
func StartRedisProcess(t testing.TB) (addr string, pid int) {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not installed (apt-get install -y redis-server)")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	// The redis-server found on PATH, with fixed arguments.
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", //nolint:gosec // G204: see above
		"--protected-mode", "yes", "--dir", t.TempDir())
	var log Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid = cmd.Process.Pid
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = syscall.Kill(pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(pid, syscall.SIGKILL)
			<-done
		}
	})
	addr = "127.0.0.1:" + strconv.Itoa(port)
	// Generous: on a loaded machine redis-server may take seconds to start.
	for deadline := time.Now().Add(30 * time.Second); ; {
		if ping(addr) {
			return addr, pid
		}
		select {
		case <-done:
			t.Fatalf("redis-server on %s exited at start: %s", addr, log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server on %s did not answer within 30s: %s", addr, log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ping speaks just enough RESP to ask for PONG, so that this package needs
// no Redis client.
func ping(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && line == "+PONG\r\n"
}
