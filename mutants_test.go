package morcheck_test

// Mutants: targets that are almost the reference server, each wrong in one
// way a vendor's server could be. The suite must fail every one of them and
// say why; a suite that passed a mutant would be asserting nothing.

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/internal/localtarget"
	"github.com/morcheck/morcheck/steps/signing"
	"github.com/morcheck/morcheck/suite"
)

// mutant serves the reference server through a proxy that rewrites each
// decoded answer with edit and re-encodes it with encode.
func mutant(t *testing.T, edit func(string) string, encode func([]byte) []byte) string {
	t.Helper()
	return proxied(t, fixtures.Default(), nil, func(_ url.Values, doc string) string { return edit(doc) }, encode)
}

// proxied serves a reference server seeded with profile through a proxy
// that may rewrite each request's query (before it reaches the server) and
// each decoded answer (before it reaches the suite; edit sees the query the
// suite sent).
func proxied(t *testing.T, profile *fixtures.Profile, query func(url.Values), edit func(sent url.Values, doc string) string, encode func([]byte) []byte) string {
	t.Helper()
	local, err := localtarget.Start(profile)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, local.Close()) })
	upstream, err := url.Parse(local.URL)
	require.NoError(t, err)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DisableCompression = true // pass the gzip body through untouched
	proxy := &httputil.ReverseProxy{
		Transport: transport,
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(&url.URL{Scheme: upstream.Scheme, Host: upstream.Host})
			r.Out.Header.Set(sentQueryHeader, r.In.URL.RawQuery)
			if query != nil {
				q := r.Out.URL.Query()
				query(q)
				r.Out.URL.RawQuery = q.Encode()
			}
		},
		ModifyResponse: func(resp *http.Response) error {
			raw, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err != nil {
				return err
			}
			doc, err := io.ReadAll(zr)
			if err != nil {
				return err
			}
			sent, _ := url.ParseQuery(resp.Request.Header.Get(sentQueryHeader))
			body := encode([]byte(edit(sent, string(doc))))
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Del("Content-Length")
			return nil
		},
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv.URL + "/billing"
}

// sentQueryHeader carries the suite's own query past the rewrite, for edit.
const sentQueryHeader = "X-Morcheck-Sent-Query"

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	_, _ = w.Write(b)
	_ = w.Close()
	return out.Bytes()
}

func plain(b []byte) []byte { return b }

func TestSuiteFailsMutants(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(string) string
		encode func([]byte) []byte
		want   string // in the console output
	}{
		{"American spelling", func(s string) string { return strings.ReplaceAll(s, "authorised", "authorized") }, gzipped,
			`got the error "You are not authorized to use this functionality"`},
		{"answers not compressed", func(s string) string { return s }, plain, "the body is not gzip data"},
		{"owner named by username", func(s string) string { return strings.ReplaceAll(s, "John Smith", "jsmith") }, gzipped,
			`got the error "CLI already exists. It is assigned to jsmith device"`},
		{"errors outside status", func(s string) string {
			return strings.NewReplacer("<status>\n    <error>", "<error>", "</error>\n  </status>", "</error>").Replace(s)
		}, gzipped, "no <status>"},
		{"every answer a success", func(string) string { return "<page><status>CLI successfully created</status></page>" }, gzipped,
			`expected the error "Incorrect hash"`},
		{"not XML", func(s string) string { return strings.TrimPrefix(s, "<?xml") }, gzipped, "not well-formed XML"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target := mutant(t, tc.edit, tc.encode)
			var out bytes.Buffer
			res, err := suite.Run(t.Context(), suite.Config{
				TargetURL: target, Concurrency: 4, NoColors: true, Output: &out,
			})
			require.NoError(t, err)
			assert.Equal(t, suite.Failed, res.Code, "the suite must fail this mutant")
			console := out.String()
			assert.True(t, strings.Contains(console, tc.want), "the console should say %q; it begins:\n%s", tc.want, head(console, 3000))
			assert.False(t, strings.Contains(console, "admin1"), "no password in the output")
		})
	}
}

// TestSuiteFailsBehaviouralMutants: servers that answer well-formed,
// plausible text but do the wrong thing.
func TestSuiteFailsBehaviouralMutants(t *testing.T) {
	p := fixtures.Default()
	absentIVR := strconv.FormatInt(p.Absent.IVRID, 10)
	keep := func(_ url.Values, doc string) string { return doc }
	cases := []struct {
		name  string
		query func(url.Values)
		edit  func(url.Values, string) string
		want  string
	}{
		{"ownership ignored", nil, func(_ url.Values, doc string) string {
			return strings.ReplaceAll(doc, "<error>Device was not found</error>", "CLI successfully created")
		}, "A reseller cannot add a CLI to a device that is not its user's"},
		{"cli_domain ignored", func(q url.Values) { q.Del("cli_domain") }, keep,
			"A CLI given by its domain alone is created"},
		{"an empty ivr_id taken as absent", func(q url.Values) {
			if v, ok := q["ivr_id"]; ok && len(v) == 1 && v[0] == "" {
				q.Del("ivr_id")
			}
		}, keep, "An ivr_id sent empty is refused"},
		{"stores the CLI, then says the IVR was not found", func(q url.Values) {
			if q.Get("ivr_id") == absentIVR {
				q.Del("ivr_id")
				q.Set("hash", signing.Documented.Hash(func(n string) (string, bool) { _, ok := q[n]; return q.Get(n), ok }, "456789"))
			}
		}, func(sent url.Values, doc string) string {
			if sent.Get("ivr_id") == absentIVR {
				return strings.Replace(doc, "<status>CLI successfully created</status>", "<status><error>IVR was not found</error></status>", 1)
			}
			return doc
		}, "An IVR that does not exist is refused"},
		{"names the owner of the asked-for device", nil, func(sent url.Values, doc string) string {
			if sent.Get("u") == "reseller" {
				return strings.ReplaceAll(doc, "John Smith", "mjones")
			}
			return doc
		}, "The error names the owner of the device that holds the CLI, not the asker's"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target := proxied(t, p, tc.query, tc.edit, gzipped)
			var out bytes.Buffer
			res, err := suite.Run(t.Context(), suite.Config{TargetURL: target, Concurrency: 4, NoColors: true, Output: &out})
			require.NoError(t, err)
			assert.Equal(t, suite.Failed, res.Code, "the suite must fail this mutant")
			var failed []string
			for _, sc := range res.Summary.Failures() {
				failed = append(failed, sc.Name)
			}
			assert.Contains(t, failed, tc.want)
		})
	}
}

func head(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
