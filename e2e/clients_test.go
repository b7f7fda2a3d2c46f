package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"testing"
	"time"

	mcpgoclient "github.com/mark3labs/mcp-go/client"
	mcpgotransport "github.com/mark3labs/mcp-go/client/transport"
	mcpgo "github.com/mark3labs/mcp-go/mcp"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// toolDef is a tool as a client received it, schemas kept raw.
type toolDef struct {
	Name         string          `json:"name"`
	InputSchema  json.RawMessage `json:"inputSchema"`
	OutputSchema json.RawMessage `json:"outputSchema"`
}

// callResult is a tools/call result as a client received it.
type callResult struct {
	IsError    bool
	Text       string          // the text content, joined
	Structured json.RawMessage // structuredContent; nil when absent
}

// session is what a test needs from an MCP client, whichever SDK.
type session interface {
	listTools(ctx context.Context) ([]toolDef, error)
	call(ctx context.Context, name string, args map[string]any) (callResult, error)
}

// sameShape re-encodes v into out through JSON: each SDK has its own types
// for tools and content, and the wire form is what counts.
func sameShape(v, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

func fromContent(isError bool, content any, structured any) (callResult, error) {
	r := callResult{IsError: isError}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := sameShape(content, &parts); err != nil {
		return r, fmt.Errorf("content: %w", err)
	}
	for _, p := range parts {
		if p.Type == "text" {
			r.Text += p.Text
		}
	}
	if structured != nil {
		b, err := json.Marshal(structured)
		if err != nil {
			return r, fmt.Errorf("structured content: %w", err)
		}
		r.Structured = b
	}
	return r, nil
}

// headerTransport adds fixed headers (a token) to every request.
type headerTransport struct {
	base    http.RoundTripper
	headers map[string]string
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.headers {
		r.Header.Set(k, v)
	}
	return h.base.RoundTrip(r)
}

// clientKind and transportKind name the matrix the tests run.
type clientKind string

const (
	goSDK clientKind = "go-sdk"
	mcpGo clientKind = "mcp-go"
)

type transportKind string

const (
	stdio      transportKind = "stdio"
	sse        transportKind = "sse"
	streamable transportKind = "streamable-http"
)

// target says where a client connects: the binary's arguments for stdio, the
// base URL for HTTP, and headers (a token) for HTTP.
type target struct {
	stdioArgs []string
	base      string
	headers   map[string]string
}

// connect opens a session of the given SDK over the given transport; it is
// closed in t.Cleanup.
func connect(t *testing.T, ctx context.Context, ck clientKind, tk transportKind, tg target) session {
	t.Helper()
	var (
		s   session
		err error
	)
	switch ck {
	case goSDK:
		s, err = connectGoSDK(t, ctx, tk, tg)
	case mcpGo:
		s, err = connectMCPGo(t, ctx, tk, tg)
	default:
		err = fmt.Errorf("unknown client %q", ck)
	}
	if err != nil {
		t.Fatalf("%s over %s: connect: %v", ck, tk, err)
	}
	return s
}

// --- the official Go SDK ---

type goSDKSession struct{ cs *sdk.ClientSession }

func connectGoSDK(t *testing.T, ctx context.Context, tk transportKind, tg target) (session, error) {
	hc := &http.Client{Transport: headerTransport{http.DefaultTransport, tg.headers}}
	var tr sdk.Transport
	switch tk {
	case stdio:
		cmd := exec.Command(binary, tg.stdioArgs...)
		cmd.Env = cleanEnv()
		tr = &sdk.CommandTransport{Command: cmd, TerminateDuration: 5 * time.Second}
	case sse:
		tr = &sdk.SSEClientTransport{Endpoint: tg.base + "/sse", HTTPClient: hc}
	case streamable:
		tr = &sdk.StreamableClientTransport{Endpoint: tg.base + "/mcp", HTTPClient: hc, MaxRetries: -1}
	default:
		return nil, fmt.Errorf("unknown transport %q", tk)
	}
	c := sdk.NewClient(&sdk.Implementation{Name: "clickup-mcp-e2e", Version: "1"}, nil)
	cs, err := c.Connect(ctx, tr, nil)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { _ = cs.Close() })
	return goSDKSession{cs}, nil
}

func (s goSDKSession) listTools(ctx context.Context) ([]toolDef, error) {
	var out []toolDef
	for tool, err := range s.cs.Tools(ctx, nil) {
		if err != nil {
			return nil, err
		}
		var d toolDef
		if err := sameShape(tool, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func (s goSDKSession) call(ctx context.Context, name string, args map[string]any) (callResult, error) {
	res, err := s.cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		return callResult{}, err
	}
	return fromContent(res.IsError, res.Content, res.StructuredContent)
}

// --- mcp-go's client ---

type mcpGoSession struct{ c *mcpgoclient.Client }

func connectMCPGo(t *testing.T, ctx context.Context, tk transportKind, tg target) (session, error) {
	var (
		c   *mcpgoclient.Client
		err error
	)
	switch tk {
	case stdio:
		c, err = mcpgoclient.NewStdioMCPClient(binary, cleanEnv(), tg.stdioArgs...)
	case sse:
		c, err = mcpgoclient.NewSSEMCPClient(tg.base+"/sse", mcpgotransport.WithHeaders(tg.headers))
	case streamable:
		c, err = mcpgoclient.NewStreamableHttpClient(tg.base+"/mcp", mcpgotransport.WithHTTPHeaders(tg.headers))
	default:
		err = fmt.Errorf("unknown transport %q", tk)
	}
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { _ = c.Close() })
	if tk != stdio { // the stdio client starts itself
		if err := c.Start(ctx); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
	}
	req := mcpgo.InitializeRequest{}
	req.Params.ClientInfo = mcpgo.Implementation{Name: "clickup-mcp-e2e", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		return nil, fmt.Errorf("initialize: %w", err)
	}
	return mcpGoSession{c}, nil
}

func (s mcpGoSession) listTools(ctx context.Context) ([]toolDef, error) {
	var out []toolDef
	req := mcpgo.ListToolsRequest{}
	for {
		res, err := s.c.ListTools(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, tool := range res.Tools {
			var d toolDef
			if err := sameShape(tool, &d); err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		if res.NextCursor == "" {
			return out, nil
		}
		req.Params.Cursor = res.NextCursor
	}
}

func (s mcpGoSession) call(ctx context.Context, name string, args map[string]any) (callResult, error) {
	req := mcpgo.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := s.c.CallTool(ctx, req)
	if err != nil {
		return callResult{}, err
	}
	return fromContent(res.IsError, res.Content, res.StructuredContent)
}
