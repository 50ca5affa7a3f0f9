package refserver

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestSettings(t *testing.T) {
	signed := func() string { return sign(adminAdd(), adminKey).Encode() }
	unsigned := func() string { return adminAdd().Encode() }
	raw := func(q string) func() string { return func() string { return q } }
	cases := []struct {
		name     string
		settings Settings
		method   string
		query    func() string
		want     string
	}{
		{"defaults: POST answered", Settings{}, http.MethodPost, signed, msgCreated},
		{"defaults: GET refused", Settings{}, http.MethodGet, signed, msgGETDisabled},
		{"GET refused before parameter errors", Settings{}, http.MethodGet, raw("u=a&u=b"), msgGETDisabled},
		{"GET allowed", Settings{AllowGET: true}, http.MethodGet, signed, msgCreated},
		{"GET allowed, still checked", Settings{AllowGET: true}, http.MethodGet, raw("u=admin"), msgIncorrectHash},
		{"API disabled: POST", Settings{DisableAPI: true}, http.MethodPost, signed, msgAPIDisabled},
		{"API disabled: GET, before GET disabled", Settings{DisableAPI: true}, http.MethodGet, signed, msgAPIDisabled},
		{"API disabled: before parameter errors", Settings{DisableAPI: true, AllowGET: true}, http.MethodPost, raw("u=a&u=b"), msgAPIDisabled},
		{"API disabled: before a malformed query", Settings{DisableAPI: true}, http.MethodPost, raw("u=%zz"), msgAPIDisabled},
		{"hash checking off: no hash", Settings{DisableHashChecking: true}, http.MethodPost, unsigned, msgCreated},
		{"hash checking off: a wrong hash", Settings{DisableHashChecking: true}, http.MethodPost, func() string { return adminAdd().Encode() + "&hash=0" }, msgCreated},
		{"hash checking off: still Access Denied", Settings{DisableHashChecking: true}, http.MethodPost, raw("u=nobody"), msgAccessDenied},
		{"hash checking off: still not authorised", Settings{DisableHashChecking: true}, http.MethodPost, raw("u=jsmith&device_id=2&cli_number=1"), msgNotAuthorised},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, st := newHandler(t, WithSettings(tc.settings))
			a := serve(t, h, httptest.NewRequest(tc.method, CLIAddPath+"?"+tc.query(), nil))
			assert.Equal(t, http.StatusOK, a.status)
			assert.Equal(t, tc.want, a.message)
			want := 0
			if tc.want == msgCreated {
				want = 1
			}
			assert.Equal(t, want, countCLIs(t, st))
		})
	}
}

func TestSettingsFromProfile(t *testing.T) {
	assert.Equal(t, Settings{}, SettingsFrom(fixtures.Default().API), "the default profile is the zero Settings")
	assert.Equal(t, Settings{AllowGET: true, DisableHashChecking: true},
		SettingsFrom(fixtures.APISettings{GetRequests: true, HashChecking: false, SendPassword: true}))
}

func TestTransportErrors(t *testing.T) {
	cases := []struct {
		name   string
		method string
		target string
	}{
		{"unknown call", http.MethodPost, "/billing/api/cli_delete"},
		{"no /billing", http.MethodPost, "/api/cli_add"},
		{"trailing slash", http.MethodPost, CLIAddPath + "/"},
		{"root", http.MethodGet, "/"},
		{"unknown path before method", http.MethodDelete, "/nope"},
	}
	h, st := newHandler(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := serve(t, h, httptest.NewRequest(tc.method, tc.target+"?"+sign(adminAdd(), adminKey).Encode(), nil))
			assert.Equal(t, http.StatusNotFound, a.status)
			assert.Equal(t, msgUnknownCall, a.message)
			assert.True(t, a.isError)
			assert.Empty(t, a.header.Get("Allow"))
			assert.Equal(t, 0, countCLIs(t, st))
		})
	}

	t.Run("405 and 404 even when the API is disabled", func(t *testing.T) {
		off, _ := newHandler(t, WithSettings(Settings{DisableAPI: true}))
		assert.Equal(t, http.StatusMethodNotAllowed, serve(t, off, httptest.NewRequest(http.MethodPut, CLIAddPath, nil)).status)
		assert.Equal(t, http.StatusNotFound, serve(t, off, httptest.NewRequest(http.MethodPost, "/billing/api/x", nil)).status)
	})
}

// TestMethodNotAllowed checks that a 405 names only the methods that can
// succeed: POST alone while the settings refuse GET (the default), GET and
// POST once GET is allowed.
func TestMethodNotAllowed(t *testing.T) {
	settings := []struct {
		name     string
		settings Settings
		allow    string
		suggests string
	}{
		{"GET refused", Settings{}, "POST", "(use POST)"},
		{"GET allowed", Settings{AllowGET: true}, "GET, POST", "(use POST or GET)"},
	}
	for _, set := range settings {
		t.Run(set.name, func(t *testing.T) {
			h, st := newHandler(t, WithSettings(set.settings))
			for _, method := range []string{http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
				t.Run(method, func(t *testing.T) {
					a := serve(t, h, httptest.NewRequest(method, CLIAddPath+"?"+sign(adminAdd(), adminKey).Encode(), nil))
					assert.Equal(t, http.StatusMethodNotAllowed, a.status)
					assert.Equal(t, "Method "+method+" is not allowed "+set.suggests, a.message)
					assert.True(t, a.isError)
					assert.Equal(t, set.allow, a.header.Get("Allow"))
					assert.Equal(t, 0, countCLIs(t, st))
				})
			}
			t.Run("HEAD", func(t *testing.T) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, CLIAddPath, nil))
				assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
				assert.Equal(t, set.allow, rec.Header().Get("Allow"))
			})
		})
	}
}

// TestResponseFraming checks the headers and the gzip framing of every
// kind of answer.
func TestResponseFraming(t *testing.T) {
	h, _ := newHandler(t)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	// A transport that does not decode gzip, to see the body as sent.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	t.Cleanup(client.CloseIdleConnections)

	cases := []struct {
		name   string
		method string
		path   string
		query  string
		status int
	}{
		{"success", http.MethodPost, CLIAddPath, sign(adminAdd(), adminKey).Encode(), 200},
		{"documented error", http.MethodPost, CLIAddPath, "u=nobody", 200},
		{"404", http.MethodPost, "/billing/api/nothing", "", 404},
		{"405", http.MethodPut, CLIAddPath, "", 405},
		{"400", http.MethodPost, CLIAddPath, "u=%zz", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path+"?"+tc.query, nil)
			require.NoError(t, err)
			resp, err := client.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			raw, err := io.ReadAll(resp.Body)
			require.NoError(t, err)

			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, "text/xml; charset=utf-8", resp.Header.Get("Content-Type"))
			assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
			assert.Equal(t, int64(len(raw)), resp.ContentLength)
			require.GreaterOrEqual(t, len(raw), 2)
			assert.Equal(t, []byte{0x1f, 0x8b}, raw[:2], "the raw body is gzip")
			a := decodeAnswer(t, resp.StatusCode, resp.Header, raw)
			assert.True(t, strings.HasPrefix(a.doc, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<page>\n"), a.doc)
		})
	}

	t.Run("a client that lets its HTTP library decode", func(t *testing.T) {
		resp, err := srv.Client().Post(srv.URL+CLIAddPath+"?u=nobody", "", nil)
		require.NoError(t, err)
		defer resp.Body.Close()
		doc, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Contains(t, string(doc), "<error>Access Denied</error>")
	})
}

// TestGoldenXML pins every answer's document byte for byte. Run
// `go test ./refserver -run TestGoldenXML -update` to rewrite the files.
func TestGoldenXML(t *testing.T) {
	cases := []struct {
		file    string
		message string
		isError bool
	}{
		{"created.xml", msgCreated, false},
		{"cli_must_be_numeric.xml", msgNotNumeric, true},
		{"cli_already_exists.xml", "CLI already exists. It is assigned to John Smith device", true},
		{"cli_number_empty.xml", msgCLIEmpty, true},
		{"ivr_not_found.xml", msgIVRNotFound, true},
		{"device_id_empty.xml", msgDeviceIDEmpty, true},
		{"access_denied.xml", msgAccessDenied, true},
		{"not_authorised.xml", msgNotAuthorised, true},
		{"incorrect_hash.xml", msgIncorrectHash, true},
		{"api_disabled.xml", msgAPIDisabled, true},
		{"get_disabled.xml", msgGETDisabled, true},
		{"device_not_found.xml", msgDeviceNotFound, true},
		{"escaped.xml", `A <b> & "quoted" 'text' ]]>`, true},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			got := renderXML(tc.message, tc.isError)
			path := filepath.Join("testdata", tc.file)
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create the golden file")
			assert.Equal(t, string(want), string(got))
		})
	}

	t.Run("through the handler", func(t *testing.T) {
		h, _ := newHandler(t)
		for file, values := range map[string]func() string{
			"created.xml":       func() string { return sign(adminAdd(), adminKey).Encode() },
			"access_denied.xml": func() string { return "u=nobody" },
		} {
			want, err := os.ReadFile(filepath.Join("testdata", file))
			require.NoError(t, err)
			a := serve(t, h, httptest.NewRequest(http.MethodPost, CLIAddPath+"?"+values(), nil))
			assert.Equal(t, string(want), a.doc, file)
		}
	})
}

// TestLogNeverShowsSecrets sends requests carrying a password, a hash and
// a secret and checks that the log has the outcome but none of them.
func TestLogNeverShowsSecrets(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	log := slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	h, _ := newHandler(t, WithLogger(log))

	v := sign(adminAdd(), adminKey)
	v.Set("p", "admin1")
	a := post(t, h, v)
	require.Equal(t, msgCreated, a.message)
	post(t, h, sign(adminAdd(), "wrong-key-value")) // Incorrect hash
	postBody(t, h, "", "application/json", `{"u":"admin","p":"admin1","hash":"`+v.Get("hash")+`"}`)

	mu.Lock()
	out := buf.String()
	mu.Unlock()
	for _, secret := range []string{"admin1", v.Get("hash"), adminKey, "wrong-key-value", v.Get("cli_number")} {
		assert.NotContains(t, out, secret)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	assert.Equal(t, "POST", first["method"])
	assert.Equal(t, CLIAddPath, first["path"])
	assert.EqualValues(t, 200, first["status"])
	assert.Equal(t, msgCreated, first["outcome"])
	assert.Contains(t, first, "duration")
	assert.Contains(t, lines[1], msgIncorrectHash)
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestStoreFailureIsA500 closes the store under the server: the answer is a
// generic XML error, and the log says why.
func TestStoreFailureIsA500(t *testing.T) {
	var buf bytes.Buffer
	st, err := Open(MemoryPath)
	require.NoError(t, err)
	require.NoError(t, st.Seed(fixtures.Default()))
	h := New(st, WithLogger(slog.New(slog.NewTextHandler(&buf, nil)))).Handler()
	require.NoError(t, st.Close())

	a := post(t, h, sign(adminAdd(), adminKey))
	assert.Equal(t, http.StatusInternalServerError, a.status)
	assert.Equal(t, msgInternal, a.message)
	assert.True(t, a.isError)
	assert.Contains(t, buf.String(), "level=ERROR")
	assert.Contains(t, buf.String(), "database is closed")
}

func TestPanicIsA500(t *testing.T) {
	var buf bytes.Buffer
	s := New(nil, WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	h := s.logRequests(recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	a := serve(t, h, httptest.NewRequest(http.MethodPost, CLIAddPath, nil))
	assert.Equal(t, http.StatusInternalServerError, a.status)
	assert.Equal(t, msgInternal, a.message)
	assert.Contains(t, buf.String(), "panic: boom")
}

// TestConcurrentAddsOfOneCLI races simultaneous adds of the same CLI over
// real HTTP: exactly one is created, the others are told who holds it.
func TestConcurrentAddsOfOneCLI(t *testing.T) {
	const n = 20
	for _, onDisk := range []bool{false, true} {
		name := map[bool]string{false: "in memory", true: "on disk"}[onDisk]
		t.Run(name, func(t *testing.T) {
			st := newStore(t, onDisk)
			srv := httptest.NewServer(New(st).Handler())
			t.Cleanup(srv.Close)
			query := sign(adminAdd(), adminKey).Encode()

			messages := make([]string, n)
			statuses := make([]int, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-start
					resp, err := srv.Client().Post(srv.URL+CLIAddPath+"?"+query, "", nil)
					if !assert.NoError(t, err) {
						return
					}
					defer resp.Body.Close()
					raw, err := io.ReadAll(resp.Body)
					if !assert.NoError(t, err) {
						return
					}
					statuses[i] = resp.StatusCode
					messages[i] = string(raw) // decoded by the client
				})
			}
			close(start)
			wg.Wait()

			created, exists := 0, 0
			for i, m := range messages {
				assert.Equal(t, http.StatusOK, statuses[i])
				switch {
				case strings.Contains(m, "<status>"+msgCreated+"</status>"):
					created++
				case strings.Contains(m, "<error>CLI already exists. It is assigned to John Smith device</error>"):
					exists++
				default:
					t.Errorf("unexpected answer %d: %s", i, m)
				}
			}
			assert.Equal(t, 1, created)
			assert.Equal(t, n-1, exists)
			assert.Equal(t, 1, countCLIs(t, st))
		})
	}
}

// BenchmarkCLIAdd adds distinct CLIs through the handler to an on-disk
// store (WAL, synchronous=FULL: one fsync per add).
func BenchmarkCLIAdd(b *testing.B) {
	st := newStore(b, true)
	h := New(st).Handler()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, CLIAddPath+"?"+sign(adminAdd(), adminKey).Encode(), nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.StopTimer()
	n, err := st.CountCLIs(context.Background())
	require.NoError(b, err)
	require.Equal(b, b.N, n, "every add created a CLI")
}
