// Package tokens counts model tokens the way the budgets of issue 18 are
// stated: OpenAI's o200k_base encoding, from a tokenizer with its
// vocabulary compiled in (github.com/tiktoken-go/tokenizer), so nothing is
// downloaded at run time.
//
// Only tests and the bench import this package. The server itself must not:
// the vocabulary is some 200k map entries, which would cost start-up time
// and memory in every process (a test over `go list -deps` keeps it out).
// The server bounds results with a conservative bytes-per-token figure
// instead (see MinBytesPerToken in package tools), which tests calibrate
// against this counter.
package tokens

import (
	"encoding/json"
	"sync"

	"github.com/tiktoken-go/tokenizer/codec"
)

var (
	once sync.Once
	enc  *codec.Codec
)

// codecO200k builds the codec on first use: the vocabulary is a large map
// that is filled lazily, not at package init.
func codecO200k() *codec.Codec {
	once.Do(func() { enc = codec.NewO200kBase() })
	return enc
}

// Count is the number of o200k tokens in s. Invalid UTF-8 is counted as
// the bytes it is (the tokenizer's default mode), never an error.
func Count(s string) int {
	n, err := codecO200k().Count(s)
	if err != nil {
		// ErrorModeNone never fails; a failure here is a tokenizer bug and a
		// silent zero would make every budget pass.
		panic("tokens: " + err.Error())
	}
	return n
}

// CountBytes is Count for a byte slice.
func CountBytes(b []byte) int { return Count(string(b)) }

// JSON is the token count of v encoded as compact JSON, as a client sends
// it to a model.
func JSON(v any) (int, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	return CountBytes(b), nil
}
