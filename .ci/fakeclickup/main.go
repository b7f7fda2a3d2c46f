// Command fakeclickup serves the offline fake ClickUp (clickuptest's demo
// Workspace, with its OAuth app and consent page) over HTTP for CI scripts
// that run the built server against it. It prints its base URL and serves
// until SIGTERM or SIGINT. It lives under .ci so `go test ./...` skips it.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	redirect := flag.String("oauth-redirect", "", "register this as the demo OAuth app's only redirect URL (as ClickUp checks it)")
	flag.Parse()
	demo := clickuptest.NewDemo()
	if *redirect != "" {
		demo.AddOAuthApp(clickuptest.DemoOAuthClientID, clickuptest.DemoOAuthClientSecret, *redirect)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeclickup:", err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	srv := &http.Server{Handler: demo, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
}
