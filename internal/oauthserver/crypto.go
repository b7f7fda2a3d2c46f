package oauthserver

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// EnvSecretKey names the environment variable that holds the secret key.
const EnvSecretKey = "CLICKUP_MCP_SECRET_KEY" //nolint:gosec // G101: a variable's name, not a credential

// KeySize is the secret key's length in bytes.
const KeySize = 32

// ParseSecretKey reads a 32-byte key written as standard or URL-safe
// base64 (padded or not; `openssl rand -base64 32`) or as 64 hex digits
// (`openssl rand -hex 32`). The error never repeats the value.
func ParseSecretKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("%s is not set: oauth mode needs a 32-byte secret key to seal ClickUp tokens and sign its own; make one with `openssl rand -base64 32` and keep it (a new key signs everyone out)", EnvSecretKey)
	}
	if len(s) == 2*KeySize {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("%s decodes to %d bytes; it must be exactly %d (make one with `openssl rand -base64 32`)", EnvSecretKey, len(b), KeySize)
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("%s is neither base64 nor 64 hex digits; make one with `openssl rand -base64 32`", EnvSecretKey)
}

// keys are the purpose-bound keys derived from the secret key.
type keys struct {
	seal cipher.AEAD // AES-256-GCM for ClickUp tokens at rest
	hmac []byte      // signs this server's tokens and codes (tokens.go)
	look []byte      // for hashing lookup keys (pending sign-in states)
}

func deriveKeys(secret []byte) (*keys, error) {
	if len(secret) != KeySize {
		return nil, fmt.Errorf("the secret key must be %d bytes, got %d", KeySize, len(secret))
	}
	derive := func(info string) ([]byte, error) {
		return hkdf.Key(sha256.New, secret, nil, "clickup-mcp/oauth/"+info, 32)
	}
	sk, err := derive("seal")
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(sk)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	hk, err := derive("hmac")
	if err != nil {
		return nil, err
	}
	lk, err := derive("lookup")
	if err != nil {
		return nil, err
	}
	return &keys{seal: aead, hmac: hk, look: lk}, nil
}

// sealToken encrypts a ClickUp token, bound to the grant it belongs to
// (a sealed token copied to another grant's record does not open).
func (k *keys) sealToken(grantID, token string) []byte {
	nonce := make([]byte, k.seal.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24+)
	return k.seal.Seal(nonce, nonce, []byte(token), []byte(grantID))
}

var errUnseal = errors.New("the stored ClickUp token cannot be decrypted: CLICKUP_MCP_SECRET_KEY is not the key it was sealed with")

func (k *keys) openToken(grantID string, sealed []byte) (string, error) {
	n := k.seal.NonceSize()
	if len(sealed) < n {
		return "", errUnseal
	}
	pt, err := k.seal.Open(nil, sealed[:n], sealed[n:], []byte(grantID))
	if err != nil {
		return "", errUnseal
	}
	return string(pt), nil
}

// lookup hashes a secret value into a store key.
func (k *keys) lookup(v string) string {
	h := hkdfHMAC(k.look, v)
	return hex.EncodeToString(h)
}

func hkdfHMAC(key []byte, v string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(v))
	return m.Sum(nil)
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
