package toolkit

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"
)

// EstimateTokens bounds the o200k tokens of s from above without the
// tokenizer's vocabulary, which the server does not link (some 200k map
// entries would cost every start time and memory). It splits s the way
// o200k's pre-tokenizer does, into runs of letters, digits, punctuation and
// whitespace, and counts each run at the most tokens such runs take in what
// this server writes: a word up to 6 letters is one token, digits go 3 to a
// token, punctuation 2 bytes to a token, a space before a digit or at the
// end is a token of its own (before a word or punctuation it joins it), each
// non-ASCII character a token and a 4-byte one (emoji) two. A plain
// bytes-per-token ratio cannot be a bound: "1, 2, 3" is a token a byte.
// tools.TestResultTokenBudget checks the estimate against the real count on the
// demo workspace's largest results and on unusual texts.
func EstimateTokens(s string) int { return estimate(s) }

// estimate is EstimateTokens over text of either kind, so that JSON is
// measured in place rather than copied into a string first (a copy of every
// result, on every call).
func estimate[T string | []byte](s T) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		j := i + 1
		switch {
		case isLetter(c):
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			n += (j - i + 5) / 6
		case isDigit(c):
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			n += (j - i + 2) / 3
		case c == ' ' || c == '\t':
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if j == len(s) || isDigit(s[j]) || s[j] >= 0x80 || s[j] == '\n' || s[j] == '\r' {
				n++
			}
		case c == '\n' || c == '\r':
			for j < len(s) && (s[j] == '\n' || s[j] == '\r' || s[j] == ' ' || s[j] == '\t') {
				j++
			}
			n++
		case c >= 0x80:
			_, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
			j = i + size
			n++
			if size == 4 {
				n++
			}
		default: // ASCII punctuation and control characters
			for j < len(s) && s[j] < 0x80 && !isLetter(s[j]) && !isDigit(s[j]) && s[j] != ' ' && s[j] != '\n' && s[j] != '\r' && s[j] != '\t' {
				j++
			}
			n += (j - i + 1) / 2
		}
		i = j
	}
	return n
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// EstimateJSONTokens is EstimateTokens of compact JSON.
func EstimateJSONTokens(b []byte) int { return estimate(b) }

// Encoded is a result that carries its own JSON, exactly what json.Marshal
// makes of it (nil when it has none yet): a handler that encoded its result
// to weigh it hands the bytes on instead of having them made again.
type Encoded interface {
	EncodedJSON() []byte
}

// budgetedResult builds the result a client receives, text and structured
// content together within the budget. Tools cut their own lists and texts
// to fit (with a cursor to continue); this is the last guard for whatever
// they did not foresee: the text is cut first, since the structured content
// must keep matching its schema, and a result whose structured content alone
// is over the budget is refused (an *ArgError saying what to narrow).
//
// The result's resource links (see Linker) count in the budget too; they
// give way first, from the last, since every id they carry is in the
// structured content as well.
func budgetedResult(tool string, maxTokens int, r any, links []mcp.ResourceLink, text string) (*mcp.CallToolResult, error) {
	var sc []byte
	if e, ok := r.(Encoded); ok {
		sc = e.EncodedJSON()
	}
	if sc == nil {
		var err error
		if sc, err = json.Marshal(r); err != nil {
			return nil, fmt.Errorf("%s: encoding the result: %w", tool, err)
		}
	}
	scTokens := EstimateJSONTokens(sc)
	textTokens := EstimateTokens(text)
	// Each link weighed once; they give way from the last.
	var fixed [MaxLinks]int
	each := fixed[:0]
	if len(links) > MaxLinks {
		each = make([]int, 0, len(links))
	}
	lt := 0
	for _, l := range links {
		each = append(each, oneLinkTokens(l))
		lt += each[len(each)-1]
	}
	for len(links) > 0 && scTokens+textTokens+lt > maxTokens {
		links = links[:len(links)-1]
		lt -= each[len(links)]
	}
	scTokens += lt
	if n := scTokens + textTokens; n > maxTokens {
		room := maxTokens - scTokens - 100
		if room < 100 {
			return nil, &ArgError{Arg: "arguments", Msg: fmt.Sprintf(
				"the result would be about %d tokens, over this server's budget of %d a result (--max-result-tokens); ask for less: a smaller limit, a narrower filter, or detail=compact",
				n, maxTokens)}
		}
		text = CutTokens(text, room) + fmt.Sprintf(" (text cut at the result budget of %d tokens; the structured content is whole)", maxTokens)
	}
	res := mcp.NewToolResultText(text)
	for _, l := range links {
		res.Content = append(res.Content, l)
	}
	res.StructuredContent = json.RawMessage(sc)
	return res, nil
}

// CutTokens cuts s on a rune boundary to the longest start whose estimate
// is at most n tokens, with a marker saying how much was cut (as
// render.CutText does by bytes).
func CutTokens(s string, n int) string {
	if EstimateTokens(s) <= n {
		return s
	}
	// The estimate grows with the length: search for the longest start.
	lo, hi := 0, len(s)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if EstimateTokens(s[:mid]) <= n {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	for lo > 0 && !utf8.RuneStart(s[lo]) {
		lo--
	}
	return s[:lo] + fmt.Sprintf(" …[%d more characters]", len(s)-lo)
}
