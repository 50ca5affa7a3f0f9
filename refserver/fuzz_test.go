package refserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzContentTypes are the Content-Types a fuzzed request picks from.
var fuzzContentTypes = []string{
	"", "application/x-www-form-urlencoded", "application/json", "multipart/form-data; boundary=b", "text/plain",
}

// fuzzRequest builds a POST from fuzzed parts; ct picks a Content-Type.
func fuzzRequest(query string, ct uint8, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, CLIAddPath, strings.NewReader(body))
	r.URL.RawQuery = query
	if c := fuzzContentTypes[int(ct)%len(fuzzContentTypes)]; c != "" {
		r.Header.Set("Content-Type", c)
	}
	return r
}

func addFuzzSeeds(f *testing.F) {
	f.Add("u=admin&cli_number=1&device_id=2&hash=x", uint8(0), "")
	f.Add("u=admin", uint8(1), "cli_number=1&cli_number=2")
	f.Add("", uint8(2), `{"u":"admin","device_id":2,"banned":true}`)
	f.Add("", uint8(2), "{\"comment\":\"\xff\"}")
	f.Add("", uint8(2), `{"u":{"a":[1,2]},"p":null}`)
	f.Add("", uint8(3), "--b\r\nContent-Disposition: form-data; name=\"u\"\r\n\r\nadmin\r\n--b--\r\n")
	f.Add("comment=%ff&ivr_id=", uint8(4), "x")
	f.Add("u=a;b", uint8(1), "%zz")
}

// FuzzReadParams checks that any request either yields parameters that keep
// readParams' promises or a clear non-5xx error, and never panics.
func FuzzReadParams(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, query string, ct uint8, body string) {
		rec := httptest.NewRecorder()
		p, err := readParams(rec, fuzzRequest(query, ct, body))
		if err != nil {
			ae, ok := err.(*apiError)
			if !ok {
				t.Fatalf("not an *apiError: %v", err)
			}
			if ae.status >= 500 || ae.message == "" {
				t.Fatalf("status %d, message %q", ae.status, ae.message)
			}
			return
		}
		for name, v := range p {
			if !isKnownParam(name) {
				t.Errorf("unknown parameter %q kept", name)
			}
			if !utf8.ValidString(v) || len(v) > maxValueBytes {
				t.Errorf("parameter %s = %q breaks the limits", name, v)
			}
		}
	})
}

// FuzzCLIAdd sends fuzzed requests through the whole handler: the answer is
// never a 5xx, always the gzipped XML document.
func FuzzCLIAdd(f *testing.F) {
	addFuzzSeeds(f)
	f.Add(sign(adminAdd(), adminKey).Encode(), uint8(0), "")
	h, _ := newHandler(f, WithSettings(Settings{DisableHashChecking: true}))
	f.Fuzz(func(t *testing.T, query string, ct uint8, body string) {
		a := serve(t, h, fuzzRequest(query, ct, body))
		if a.status >= 500 {
			t.Fatalf("status %d: %s", a.status, a.message)
		}
		if a.message == "" {
			t.Fatalf("empty answer: %s", a.doc)
		}
	})
}
