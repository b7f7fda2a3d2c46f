package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The callback server and its goroutines must be gone when Login
	// returns, whatever the outcome.
	goleak.VerifyTestMain(m)
}

const secretValue = "81000001_SECRETSECRETSECRETSECRETwxyz"

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func TestStoreRoundTripAndPermissions(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nested", "clickup-mcp")
	s := NewStore(dir)
	if _, err := s.Load(); !errors.Is(err, ErrNotStored) {
		t.Fatalf("Load on empty store = %v, want ErrNotStored", err)
	}
	tok := NewToken(secretValue)
	tok.ClientID = "CLIENT"
	tok.User = User{ID: 81000001, Username: "Alex", Email: "alex@example.test"}
	tok.Workspaces = []Workspace{{ID: "9015", Name: "Acme"}}
	if err := s.Save(tok); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if m := mode(t, s.Path()); m != 0o600 {
			t.Errorf("token file mode = %04o, want 0600", m)
		}
		if m := mode(t, dir); m != 0o700 {
			t.Errorf("dir mode = %04o, want 0700", m)
		}
	}
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got.Value() != secretValue || got.ClientID != "CLIENT" || got.User != tok.User ||
		len(got.Workspaces) != 1 || got.Workspaces[0] != tok.Workspaces[0] || got.Created.IsZero() {
		t.Errorf("Load = %+v (value ok: %v)", got, got.Value() == secretValue)
	}
	// Replacing keeps no temporary files behind.
	tok2 := NewToken("pk_2_ANOTHERTOKENANOTHERTOKEN")
	if err := s.Save(tok2); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != FileName {
		t.Errorf("dir holds %v, want only %s", ents, FileName)
	}
	if got, _ := s.Load(); got.Value() != tok2.Value() || got.Kind() != "personal" {
		t.Errorf("after replace: kind %s", got.Kind())
	}
	if err := s.Delete(); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(); !errors.Is(err, ErrNotStored) {
		t.Errorf("second Delete = %v, want ErrNotStored", err)
	}
}

func TestStoreTightensAnOpenDirectory(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "cfg")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := NewStore(dir).Save(NewToken(secretValue)); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, dir); m != 0o700 {
		t.Errorf("dir mode = %04o, want 0700", m)
	}
}

func TestLoadRefusesAFileOthersCanRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	t.Parallel()
	s := NewStore(t.TempDir())
	if err := s.Save(NewToken(secretValue)); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load()
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("Load of a 0644 file = %v, want a chmod hint", err)
	}
	if strings.Contains(err.Error(), secretValue) {
		t.Error("error leaks the token")
	}
}

func TestLoadDamagedFileDoesNotQuoteIt(t *testing.T) {
	t.Parallel()
	s := NewStore(t.TempDir())
	if err := os.WriteFile(s.Path(), []byte(`{"access_token": "`+secretValue), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load()
	if err == nil || !strings.Contains(err.Error(), "damaged") || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("Load = %v", err)
	}
}

func TestTokenNeverPrintsItsValue(t *testing.T) {
	t.Parallel()
	tok := NewToken("Bearer " + secretValue)
	tok.User = User{ID: 1, Username: "Alex"}
	if tok.Value() != secretValue {
		t.Fatalf("Bearer prefix kept: %q", tok.Value())
	}
	b, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%+v", tok), fmt.Sprintf("%#v", tok), fmt.Sprintf("%v", *tok), string(b), tok.Redacted()} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("token value leaked in %q", s)
		}
	}
	if tok.Redacted() != "…wxyz" || tok.Kind() != "oauth" {
		t.Errorf("Redacted %q, Kind %q", tok.Redacted(), tok.Kind())
	}
}

func TestDefaultStoreAndResolveOrder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{EnvConfigDir: dir}
	getenv := func(k string) string { return env[k] }
	s, err := DefaultStore(getenv)
	if err != nil || s.Path() != filepath.Join(dir, FileName) {
		t.Fatalf("DefaultStore = %v, %v", s, err)
	}
	if src, err := Resolve(getenv, s); err != nil || src.Token != nil || src.From != "" {
		t.Fatalf("nothing stored: %+v, %v", src, err)
	}
	stored := NewToken(secretValue)
	stored.Created = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := s.Save(stored); err != nil {
		t.Fatal(err)
	}
	src, err := Resolve(getenv, s)
	if err != nil || src.From != "file" || src.Path != s.Path() || src.Token.Value() != secretValue || !src.Token.Created.Equal(stored.Created) {
		t.Fatalf("stored: %+v, %v", src, err)
	}
	env[EnvToken] = "pk_9_FROMTHEENVIRONMENT0000"
	src, err = Resolve(getenv, s)
	if err != nil || src.From != "environment" || src.Token.Value() != env[EnvToken] {
		t.Fatalf("env: %+v, %v", src, err)
	}
}
