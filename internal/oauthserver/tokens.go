package oauthserver

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"strings"
)

// Tokens and codes are HMAC tokens: "ory_<at|rt|ac>_" + base64url(key) +
// "." + base64url(HMAC-SHA512/256(hmac key, key)), where key is 32 random
// bytes. Only the signature (the part after the dot) is stored, as the
// record's key: the store never holds a token, and a token that was not
// signed with this server's key is refused before any lookup. The format
// is the one ory/fosite's HMAC strategy writes (earlier builds were on
// fosite), so tokens they issued keep working.
const tokenKeyBytes = 32

var b64 = base64.RawURLEncoding

func tokenPrefix(kind string) string {
	switch kind {
	case kindAccess:
		return "ory_at_"
	case kindRefresh:
		return "ory_rt_"
	default:
		return "ory_ac_"
	}
}

// newToken makes a token of the kind and its signature (its store key).
func (k *keys) newToken(kind string) (token, sig string) {
	key := make([]byte, tokenKeyBytes)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
	sig = b64.EncodeToString(k.mac(key))
	return tokenPrefix(kind) + b64.EncodeToString(key) + "." + sig, sig
}

func (k *keys) mac(key []byte) []byte {
	m := hmac.New(sha512.New512_256, k.hmac)
	m.Write(key)
	return m.Sum(nil)
}

// signature checks that token is a token of the kind signed with this
// server's key (a constant-time comparison) and returns its signature.
func (k *keys) signature(kind, token string) (string, bool) {
	rest, ok := strings.CutPrefix(token, tokenPrefix(kind))
	if !ok {
		return "", false
	}
	key64, sig64, ok := strings.Cut(rest, ".")
	if !ok || key64 == "" || sig64 == "" || len(rest) > 256 {
		return "", false
	}
	key, err := b64.DecodeString(key64)
	if err != nil {
		return "", false
	}
	sig, err := b64.DecodeString(sig64)
	if err != nil || !hmac.Equal(sig, k.mac(key)) {
		return "", false
	}
	return sig64, true
}

// signaturePart is the signature a token of the kind claims, unchecked
// ("-" when it has none), for a lookup that must happen either way.
func signaturePart(kind, token string) string {
	rest, _ := strings.CutPrefix(token, tokenPrefix(kind))
	if _, sig, ok := strings.Cut(rest, "."); ok && sig != "" && len(sig) <= 256 {
		return sig
	}
	return "-"
}

// newGrantID names a sign-in: a random UUID (version 4).
func newGrantID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
