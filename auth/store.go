// Package auth keeps the ClickUp token that `clickup-mcp auth login` obtains
// and runs that sign-in: ClickUp's OAuth authorization-code flow with a
// loopback callback server.
//
// The token is a secret. It is kept in an unexported field, so printing,
// logging or JSON-encoding a Token shows only its redacted form; it is
// written to a file only its owner can read, replaced atomically; and it
// never appears in errors, logs or the pages the callback server shows.
package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
)

const (
	// EnvToken is the environment variable holding a token; it takes
	// precedence over the stored one.
	EnvToken = "CLICKUP_API_TOKEN" //nolint:gosec // G101: the variable's name, not a credential
	// EnvConfigDir overrides the directory holding token.json (tests, or
	// several accounts side by side).
	EnvConfigDir = "CLICKUP_MCP_CONFIG_DIR"
	// FileName is the token file inside the config directory.
	FileName = "token.json"

	maxFileBytes = 1 << 20
)

// ErrNotStored means there is no stored token.
var ErrNotStored = errors.New("no stored ClickUp token")

// Token is a stored ClickUp token and what was granted with it.
type Token struct {
	secret string

	// ClientID is the OAuth app that obtained the token ("" for a token
	// stored some other way).
	ClientID string
	// User is who signed in, as /v2/user said at sign-in.
	User User
	// Workspaces are the ones the user authorized, as /v2/team said at
	// sign-in. ClickUp may since have changed; `auth status` asks again.
	Workspaces []Workspace
	// Created is when the token was stored.
	Created time.Time
}

// User is the signed-in ClickUp user.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username,omitempty"`
	Email    string `json:"email,omitempty"`
}

func (u User) String() string {
	s := u.Username
	if s == "" {
		s = fmt.Sprintf("user %d", u.ID)
	}
	if u.Email != "" {
		s += " <" + u.Email + ">"
	}
	return s
}

// Workspace is a ClickUp Workspace (a "team" in API v2).
type Workspace struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

func (w Workspace) String() string {
	if w.Name == "" {
		return w.ID
	}
	return w.Name + " (" + w.ID + ")"
}

// NewToken wraps a token value: an OAuth access token or a pk_ personal
// token. A "Bearer " prefix is dropped.
func NewToken(value string) *Token { return &Token{secret: bare(value)} }

func bare(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "bearer ") {
		v = strings.TrimSpace(v[7:])
	}
	return v
}

// Value is the token itself, for the Authorization header. Never print it.
func (t Token) Value() string { return t.secret }

// Kind is "personal" for a pk_ token and "oauth" for any other.
func (t Token) Kind() string {
	if strings.HasPrefix(t.secret, "pk_") {
		return "personal"
	}
	return "oauth"
}

// Redacted is the token as it may be shown: "pk_…abcd" or "…wxyz".
func (t Token) Redacted() string { return clickup.Redact(t.secret) }

// String shows the redacted token, so %v and %+v cannot leak it (value
// receivers: a Token printed by value is covered too).
func (t Token) String() string { return t.Kind() + " token " + t.Redacted() }

// GoString is String, for %#v.
func (t Token) GoString() string { return t.String() }

// MarshalJSON renders the redacted token and its grants: a Token logged
// as JSON cannot leak the secret. The store writes its own format.
func (t Token) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Token      string      `json:"token"`
		Kind       string      `json:"kind"`
		User       User        `json:"user"`
		Workspaces []Workspace `json:"workspaces,omitempty"`
	}{t.Redacted(), t.Kind(), t.User, t.Workspaces})
}

// file is the on-disk format of token.json.
type file struct {
	AccessToken string      `json:"access_token"`
	ClientID    string      `json:"client_id,omitempty"`
	User        User        `json:"user"`
	Workspaces  []Workspace `json:"workspaces,omitempty"`
	Created     time.Time   `json:"created"`
}

// Store is the token file in a directory.
type Store struct {
	dir string
}

// NewStore returns the store in dir.
func NewStore(dir string) *Store { return &Store{dir: dir} }

// DefaultStore is the store in $CLICKUP_MCP_CONFIG_DIR, else in
// clickup-mcp under the user's config directory (~/.config on Linux,
// ~/Library/Application Support on macOS, %AppData% on Windows).
func DefaultStore(getenv func(string) string) (*Store, error) {
	if d := getenv(EnvConfigDir); d != "" {
		return NewStore(d), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return nil, fmt.Errorf("no user config directory to keep the token in (%w): set %s", err, EnvConfigDir)
	}
	return NewStore(filepath.Join(d, "clickup-mcp")), nil
}

// Dir is the directory holding the token file.
func (s *Store) Dir() string { return s.dir }

// Path is the token file.
func (s *Store) Path() string { return filepath.Join(s.dir, FileName) }

// Load reads the stored token: ErrNotStored when there is none. On Unix it
// refuses a file that others may read, as ssh does with private keys.
func (s *Store) Load() (*Token, error) {
	f, err := os.Open(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotStored
	}
	if err != nil {
		return nil, fmt.Errorf("read the stored ClickUp token: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read the stored ClickUp token: %w", err)
	}
	if perm := fi.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("the token file %s may be read by others (mode %04o): run `chmod 600 %s`, or `clickup-mcp auth logout` and sign in again", s.Path(), perm, s.Path())
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileBytes))
	if err != nil {
		return nil, fmt.Errorf("read the stored ClickUp token: %w", err)
	}
	var v file
	// The decode error could quote the file's content: leave it out.
	if json.Unmarshal(b, &v) != nil || strings.TrimSpace(v.AccessToken) == "" {
		return nil, fmt.Errorf("the token file %s is damaged: run `clickup-mcp auth login` again (or `clickup-mcp auth logout` to remove it)", s.Path())
	}
	return &Token{secret: bare(v.AccessToken), ClientID: v.ClientID, User: v.User, Workspaces: v.Workspaces, Created: v.Created}, nil
}

// Save writes the token: the directory is made 0700 and the file 0600,
// written to a temporary file and renamed over the old one, so a crash
// leaves either the old token or the new, never half of one.
func (s *Store) Save(t *Token) error {
	if t == nil || t.secret == "" {
		return errors.New("no token to store")
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", s.dir, err)
	}
	// The directory is ours; tighten it if it was made more open.
	if fi, err := os.Stat(s.dir); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		_ = os.Chmod(s.dir, 0o700) //nolint:gosec // G302: a directory needs x; 0700 is owner-only
	}
	created := t.Created
	if created.IsZero() {
		created = time.Now().UTC()
	}
	b, err := json.MarshalIndent(file{AccessToken: t.secret, ClientID: t.ClientID, User: t.User, Workspaces: t.Workspaces, Created: created}, "", "  ")
	if err != nil {
		return err
	}
	// CreateTemp makes the file 0600 from the start: the token is never in
	// a file others could open, even for a moment.
	tmp, err := os.CreateTemp(s.dir, ".token-*.tmp")
	if err != nil {
		return fmt.Errorf("store the token in %s: %w", s.dir, err)
	}
	done := false
	defer func() {
		if !done {
			// Best effort: the write already failed, and that error is the one to report.
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("store the token: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("store the token: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("store the token: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("store the token: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.Path()); err != nil {
		return fmt.Errorf("store the token: %w", err)
	}
	done = true
	syncDir(s.dir)
	t.Created = created
	return nil
}

// syncDir makes the rename durable where the platform allows it.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil { //nolint:gosec // G304: our own config directory
		_ = d.Sync()
		_ = d.Close() // a directory opened only to sync it; nothing was written through it
	}
}

// Delete removes the stored token: ErrNotStored when there is none.
func (s *Store) Delete() error {
	err := os.Remove(s.Path())
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotStored
	}
	if err != nil {
		return fmt.Errorf("remove the stored token: %w", err)
	}
	syncDir(s.dir)
	return nil
}

// Source is where a token came from.
type Source struct {
	// From is "environment" (CLICKUP_API_TOKEN) or "file"; "" when there
	// is no token.
	From  string
	Path  string // the token file, for "file"
	Token *Token
}

// Resolve finds the token the server would use when none is given
// explicitly: CLICKUP_API_TOKEN, else the stored token. No token at all is
// not an error (From is ""); an unreadable token file is.
func Resolve(getenv func(string) string, s *Store) (Source, error) {
	if v := strings.TrimSpace(getenv(EnvToken)); v != "" {
		return Source{From: "environment", Token: NewToken(v)}, nil
	}
	if s == nil {
		return Source{}, nil
	}
	t, err := s.Load()
	if errors.Is(err, ErrNotStored) {
		return Source{}, nil
	}
	if err != nil {
		return Source{}, err
	}
	return Source{From: "file", Path: s.Path(), Token: t}, nil
}

// StoredToken is the token in the default store, or "" when none is
// stored. The server calls it when neither --token nor CLICKUP_API_TOKEN
// gives one.
func StoredToken() (string, error) {
	s, err := DefaultStore(os.Getenv)
	if err != nil {
		return "", nil // nowhere to have stored one
	}
	t, err := s.Load()
	if errors.Is(err, ErrNotStored) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return t.Value(), nil
}
