package toolkit

import (
	"net/url"
	"strings"
	"testing"
)

// TestIconsAreValidURIs: each icon is the SVG of its path escaped as a
// URI, exactly what escaping the raw SVG gives, and parses as a URI.
func TestIconsAreValidURIs(t *testing.T) {
	esc := strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", "#", "%23")
	for name, p := range iconPaths {
		if strings.ContainsAny(p, "<> #%'\"") {
			t.Errorf("%s: path %q holds a character the URI would need escaped", name, p)
		}
		raw := "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0,0,24,24' fill='#7B68EE'><path d='" + p + "'/></svg>"
		want := "data:image/svg+xml," + esc.Replace(raw)
		got := Icon(name)
		if len(got) != 1 || got[0].Src != want {
			t.Fatalf("%s: icon %+v, want %s", name, got, want)
		}
		if strings.ContainsAny(got[0].Src, "<> #") {
			t.Errorf("%s: unescaped character in %s", name, got[0].Src)
		}
		if _, err := url.Parse(got[0].Src); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if Icon("nope") != nil {
		t.Error("an unknown name has an icon")
	}
}
