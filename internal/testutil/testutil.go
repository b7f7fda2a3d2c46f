// Package testutil holds the helpers the tests of several packages share:
// a goroutine-safe buffer for logs, an in-process MCP session over the real
// protocol, and a JSON-RPC client for the HTTP transport.
package testutil

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Buffer is a bytes.Buffer safe for concurrent writers, such as a logger
// used by many goroutines while a test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Len is the number of bytes written so far.
func (b *Buffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Len()
}

// Option changes how Connect and Open start a session.
type Option func(*session)

type session struct {
	protocol     string
	name         string
	capabilities mcp.ClientCapabilities
	clientOpts   []client.ClientOption
	before       []func(*client.Client)
}

// WithProtocol sets the protocol version the client asks for at initialize
// (mcp.LATEST_PROTOCOL_VERSION unless set).
func WithProtocol(version string) Option {
	return func(s *session) { s.protocol = version }
}

// WithClientName sets the name the client gives at initialize ("test"
// unless set).
func WithClientName(name string) Option {
	return func(s *session) { s.name = name }
}

// WithElicitation advertises elicitation and answers the server's requests
// with h.
func WithElicitation(h client.ElicitationHandler) Option {
	return func(s *session) {
		s.capabilities.Elicitation = &mcp.ElicitationCapability{}
		s.clientOpts = append(s.clientOpts, client.WithElicitationHandler(h))
	}
}

// WithClientOptions passes mcp-go client options to the in-process client.
func WithClientOptions(opts ...client.ClientOption) Option {
	return func(s *session) { s.clientOpts = append(s.clientOpts, opts...) }
}

// BeforeInitialize runs f on the started client before it initializes, for
// what must be in place from the first message (a notification handler).
func BeforeInitialize(f func(*client.Client)) Option {
	return func(s *session) { s.before = append(s.before, f) }
}

// Connect opens an initialized in-process MCP session to s, closed when the
// test ends: initialize, tools/list and tools/call go through the protocol
// as for any client.
func Connect(t testing.TB, s *server.MCPServer, opts ...Option) *client.Client {
	t.Helper()
	c, _ := Open(t, s, opts...)
	return c
}

// Open is Connect that also returns the server's answer to initialize.
func Open(t testing.TB, s *server.MCPServer, opts ...Option) (*client.Client, *mcp.InitializeResult) {
	t.Helper()
	cfg := session{protocol: mcp.LATEST_PROTOCOL_VERSION, name: "test"}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := client.NewInProcessClientWithOptions(s, cfg.clientOpts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for _, f := range cfg.before {
		f(c)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = cfg.protocol
	init.Params.ClientInfo = mcp.Implementation{Name: cfg.name, Version: "1"}
	init.Params.Capabilities = cfg.capabilities
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	return c, res
}

// Call calls a tool and returns its result; a protocol error fails the test.
func Call(t testing.TB, c *client.Client, name string, args any) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	r, err := c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: protocol error: %v", name, err)
	}
	return r
}

// Text joins a result's text contents.
func Text(r *mcp.CallToolResult) string {
	var parts []string
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}
