package steps

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func gz(tb testing.TB, s string) []byte {
	tb.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write([]byte(s))
	require.NoError(tb, err)
	require.NoError(tb, w.Close())
	return b.Bytes()
}

// serve returns a client for a test server that answers every request with
// body and headers, and records the last request.
func serve(tb testing.TB, body []byte, header map[string]string) (*Client, *http.Request) {
	tb.Helper()
	var last http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		last = *r.Clone(r.Context())
		for k, v := range header {
			w.Header().Set(k, v)
		}
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return NewClient(srv.URL + "/billing"), &last
}

const okPage = `<?xml version="1.0" encoding="UTF-8"?>
<page>
  <status>CLI successfully created</status>
</page>
`

func TestClientDecodesAnswers(t *testing.T) {
	cases := []struct {
		name            string
		body            []byte
		header          map[string]string
		status, errText string
		hasError        bool
		problem         string
		framing         string
	}{
		{name: "success with Content-Encoding", body: gz(t, okPage), header: map[string]string{"Content-Encoding": "gzip"},
			status: "CLI successfully created", framing: "Content-Encoding: gzip"},
		{name: "error as a file download", body: gz(t, "<page><status><error>Access Denied</error></status></page>"),
			header:  map[string]string{"Content-Disposition": `attachment; filename="response.xml.gz"`},
			errText: "Access Denied", hasError: true, framing: "a file download"},
		{name: "error text is trimmed", body: gz(t, "<page><status>\n  <error>\n  Incorrect hash\n</error></status></page>"),
			errText: "Incorrect hash", hasError: true},
		{name: "escaped text", body: gz(t, "<page><status><error>a &amp; b &lt;c&gt;</error></status></page>"),
			errText: "a & b <c>", hasError: true},
		{name: "Latin-1 declared", body: gz(t, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><page><status><error>caf\xe9</error></status></page>"),
			errText: "café", hasError: true},
		{name: "an encoding the suite does not read", body: gz(t, `<?xml version="1.0" encoding="EBCDIC"?><page/>`), problem: `declares encoding "EBCDIC"`},
		{name: "plain XML, not gzip", body: []byte(okPage), problem: "the body is not gzip data"},
		{name: "empty body", body: nil, problem: "the body is not gzip data"},
		{name: "gzip of text that is not XML", body: gz(t, "CLI successfully created"), problem: "text outside the root element"},
		{name: "gzip of nothing", body: gz(t, ""), problem: "no root element"},
		{name: "gzip of broken XML", body: gz(t, "<page><status>x</page>"), problem: "not well-formed XML"},
		{name: "text before the root", body: gz(t, `version="1.0"?><page><status>x</status></page>`), problem: "text outside the root element"},
		{name: "two roots", body: gz(t, "<page><status>x</status></page><page/>"), problem: "a second root element"},
		{name: "wrong root", body: gz(t, "<response><status>x</status></response>"), problem: "the XML root is <response>, want <page>"},
		{name: "page without status", body: gz(t, "<page/>"), problem: "no <status>"},
		{name: "truncated gzip", body: gz(t, okPage)[:20], problem: "gzip"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := serve(t, tc.body, tc.header)
			r, err := c.Do(t.Context(), Request{})
			require.NoError(t, err)
			if tc.problem != "" {
				require.Error(t, r.Problem)
				assert.Contains(t, r.Problem.Error(), tc.problem)
				assert.Contains(t, r.Answer(), "undecodable")
				return
			}
			require.NoError(t, r.Problem)
			assert.Equal(t, tc.hasError, r.HasError)
			assert.Equal(t, tc.status, r.Status)
			assert.Equal(t, tc.errText, r.Error)
			assert.Contains(t, r.Framing(), tc.framing)
		})
	}
}

func TestClientNeitherAsksForNorDecodesCompression(t *testing.T) {
	body := gz(t, okPage)
	c, last := serve(t, body, map[string]string{"Content-Encoding": "gzip"})
	r, err := c.Do(t.Context(), Request{})
	require.NoError(t, err)
	assert.Empty(t, last.Header.Get("Accept-Encoding"), "the spec gzips every answer; the suite does not ask for it")
	assert.Equal(t, body, r.Raw, "the raw body is kept exactly as sent")
	assert.Equal(t, okPage, string(r.XML))
}

func TestClientSendsParametersAsAsked(t *testing.T) {
	params := Params{{"u", "admin"}, {"cli_number", "123"}, {"comment", "a b&c"}}
	cases := []struct {
		body                 Body
		wantQuery, wantBody  string
		wantType, wantMethod string
	}{
		{InQuery, "u=admin&cli_number=123&comment=a+b%26c", "", "", "POST"},
		{InForm, "", "u=admin&cli_number=123&comment=a+b%26c", "application/x-www-form-urlencoded", "POST"},
		{InJSON, "", `{"u":"admin","cli_number":"123","comment":"a b\u0026c"}`, "application/json", "POST"},
	}
	for _, tc := range cases {
		t.Run(string(tc.body), func(t *testing.T) {
			var gotQuery, gotBody, gotType, gotMethod, gotPath string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b := new(bytes.Buffer)
				_, _ = b.ReadFrom(r.Body)
				gotQuery, gotBody, gotType, gotMethod, gotPath = r.URL.RawQuery, b.String(), r.Header.Get("Content-Type"), r.Method, r.URL.Path
			}))
			t.Cleanup(srv.Close)
			_, err := NewClient(srv.URL+"/billing/").Do(t.Context(), Request{Body: tc.body, Params: params})
			require.NoError(t, err)
			assert.Equal(t, "/billing/api/cli_add", gotPath)
			assert.Equal(t, tc.wantQuery, gotQuery)
			assert.Equal(t, tc.wantBody, gotBody)
			assert.Equal(t, tc.wantType, gotType)
			assert.Equal(t, tc.wantMethod, gotMethod)
		})
	}
}

func TestClientReportsAnUnreachableTarget(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := NewClient(url).Do(t.Context(), Request{})
	assert.ErrorContains(t, err, "send POST "+url+"/api/cli_add")
}

func TestCurlRedactsThePassword(t *testing.T) {
	c := NewClient("http://127.0.0.1:1/billing")
	params := Params{{"u", "admin"}, {"p", "s3cret"}, {"cli_number", "1"}, {"hash", "abc"}}
	line := c.Curl(Request{Params: params})
	assert.Equal(t, `curl -sS -X POST 'http://127.0.0.1:1/billing/api/cli_add?u=admin&p=REDACTED&cli_number=1&hash=abc' | gunzip`, line)
	assert.NotContains(t, line, "s3cret")

	line = c.Curl(Request{Params: params, Body: InJSON})
	assert.Contains(t, line, `-H 'Content-Type: application/json' --data-binary '{"u":"admin","p":"REDACTED"`)
	assert.NotContains(t, line, "s3cret")
	assert.Equal(t, "s3cret", params[1].Value, "redaction works on a copy")

	quoted := c.Curl(Request{Params: Params{{"comment", "it's"}}, Body: InForm})
	assert.Contains(t, quoted, `--data-binary 'comment=it%27s'`)
	assert.True(t, strings.HasSuffix(quoted, "| gunzip"))
}

func TestParams(t *testing.T) {
	var ps Params
	ps.Set("a", "1")
	ps.Set("b", "2")
	ps.Set("a", "3")
	ps.Add("b", "4")
	assert.Equal(t, "a=3&b=2&b=4", ps.Encode())
	assert.Equal(t, `{"a":"3","b":"2","b":"4"}`, string(ps.JSON()), "a repeated name is written twice")
	v, ok := ps.Get("b")
	assert.True(t, ok)
	assert.Equal(t, "2", v)
	clone := ps.Clone()
	ps.Del("b")
	assert.Equal(t, "a=3", ps.Encode())
	assert.Equal(t, "a=3&b=2&b=4", clone.Encode(), "a clone is independent")
	_, ok = ps.Get("b")
	assert.False(t, ok)
}
