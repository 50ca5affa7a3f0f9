package refserver

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
)

// The default profile's world, as the tests use it.
const (
	adminKey      = "456789"
	resellerKey   = "r3s3ll3r-k3y"
	adminDevice   = "2"
	adminDevice2  = "3"
	resellerDev   = "7"
	adminIVR      = "2"
	resellerIVR   = "5"
	absentID      = "999999"
	adminUserName = "John Smith"
)

// newStore opens a store seeded with the default profile: in memory, or in
// a file under tb.TempDir() when onDisk is set. It is closed at cleanup.
func newStore(tb testing.TB, onDisk bool) *Store {
	tb.Helper()
	path := MemoryPath
	if onDisk {
		path = filepath.Join(tb.TempDir(), "refserver.db")
	}
	st, err := Open(path)
	require.NoError(tb, err)
	tb.Cleanup(func() { st.Close() })
	require.NoError(tb, st.Seed(fixtures.Default()))
	return st
}

// newHandler returns the handler of a server on a fresh in-memory store.
func newHandler(tb testing.TB, opts ...Option) (http.Handler, *Store) {
	tb.Helper()
	st := newStore(tb, false)
	return New(st, opts...).Handler(), st
}

// cliCounter makes CLI numbers no other test in this process uses.
var cliCounter atomic.Int64

// freshCLI returns a new numeric CLI.
func freshCLI() string { return fmt.Sprintf("3706%07d", cliCounter.Add(1)) }

// sha1Hex is the test's own reading of the hash rule, independent of
// signature: SHA1 of the string, lower-case hex.
func sha1Hex(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// documentedOrder and revisionOrder are the two accepted hash orders.
var (
	documentedOrder = []string{"cli_number", "cli_description", "comment", "banned", "ivr_id", "device_id"}
	revisionOrder   = []string{"device_id", "cli_number", "cli_description", "comment", "banned", "ivr_id"}
)

// signWith sets v's hash from the named parameters in order, then key.
func signWith(v url.Values, key string, order []string) url.Values {
	var b strings.Builder
	for _, name := range order {
		b.WriteString(v.Get(name))
	}
	b.WriteString(key)
	v.Set("hash", sha1Hex(b.String()))
	return v
}

// sign signs v in the documented order.
func sign(v url.Values, key string) url.Values { return signWith(v, key, documentedOrder) }

// adminAdd is a valid unsigned request of the admin: a fresh CLI on the
// admin's user's device.
func adminAdd() url.Values {
	return url.Values{"u": {"admin"}, "cli_number": {freshCLI()}, "device_id": {adminDevice}}
}

// answer is a decoded response.
type answer struct {
	status  int
	header  http.Header
	raw     []byte // the body as sent (gzip)
	doc     string // the XML document
	message string // the text of <status>, or of <error> inside it
	isError bool
}

// page is the XML document's shape.
type page struct {
	XMLName xml.Name `xml:"page"`
	Status  struct {
		Text  string  `xml:",chardata"`
		Error *string `xml:"error"`
	} `xml:"status"`
}

// serve sends r to h and decodes the answer.
func serve(tb testing.TB, h http.Handler, r *http.Request) answer {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return decodeAnswer(tb, rec.Code, rec.Header(), rec.Body.Bytes())
}

// decodeAnswer gunzips and parses a response body.
func decodeAnswer(tb testing.TB, status int, header http.Header, raw []byte) answer {
	tb.Helper()
	a := answer{status: status, header: header, raw: raw}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	require.NoError(tb, err, "the body is gzip")
	doc, err := io.ReadAll(zr)
	require.NoError(tb, err)
	a.doc = string(doc)
	var pg page
	require.NoError(tb, xml.Unmarshal(doc, &pg), "the body is XML: %s", doc)
	if pg.Status.Error != nil {
		a.message, a.isError = *pg.Status.Error, true
	} else {
		a.message = pg.Status.Text
	}
	return a
}

// post sends v as the query string of a POST, as the spec's example does.
func post(tb testing.TB, h http.Handler, v url.Values) answer {
	tb.Helper()
	return serve(tb, h, httptest.NewRequest(http.MethodPost, CLIAddPath+"?"+v.Encode(), nil))
}

// postBody sends a POST with the given raw query, Content-Type and body.
func postBody(tb testing.TB, h http.Handler, rawQuery, contentType, body string) answer {
	tb.Helper()
	target := CLIAddPath
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return serve(tb, h, r)
}

// countCLIs returns how many CLIs st holds.
func countCLIs(tb testing.TB, st *Store) int {
	tb.Helper()
	n, err := st.CountCLIs(context.Background())
	require.NoError(tb, err)
	return n
}
