package refserver

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonAdd is a signed admin add as a JSON object body (keys in a fixed
// order); extra is spliced in verbatim before the closing brace.
func jsonAdd(number, extra string) string {
	hash := sha1Hex(number + adminDevice + adminKey)
	return fmt.Sprintf(`{"u": "admin", "cli_number": %q, "device_id": %s, "hash": %q%s}`, number, adminDevice, hash, extra)
}

// TestRequestEncodings sends the same kind of request in each supported
// encoding, and broken encodings; a refused one stores nothing.
func TestRequestEncodings(t *testing.T) {
	type tc struct {
		name        string
		query       string
		contentType string
		body        string
		status      int
		want        string
	}
	signed := func(v url.Values) string { return sign(v, adminKey).Encode() }
	n1, n2, n3, n4, n5 := freshCLI(), freshCLI(), freshCLI(), freshCLI(), freshCLI()
	cases := []tc{
		{name: "query string", query: signed(adminAdd()), status: 200, want: msgCreated},
		{name: "form body", contentType: "application/x-www-form-urlencoded", body: signed(adminAdd()), status: 200, want: msgCreated},
		{name: "form body with charset", contentType: "application/x-www-form-urlencoded; charset=UTF-8", body: signed(adminAdd()), status: 200, want: msgCreated},
		{name: "query and form merged", query: "u=admin&device_id=2", contentType: "application/x-www-form-urlencoded",
			body: "cli_number=" + n1 + "&hash=" + sha1Hex(n1+"2"+adminKey), status: 200, want: msgCreated},
		{name: "JSON strings", contentType: "application/json",
			body: fmt.Sprintf(`{"u":"admin","cli_number":%q,"device_id":"2","hash":%q}`, n2, sha1Hex(n2+"2"+adminKey)), status: 200, want: msgCreated},
		{name: "JSON numbers are their literal text", contentType: "application/json", body: jsonAdd(n3, ""), status: 200, want: msgCreated},
		{name: "JSON number literal is hashed as sent", contentType: "application/json",
			body: fmt.Sprintf(`{"u":"admin","cli_number":%s,"device_id":2,"hash":%q}`, n4, sha1Hex(n4+"2"+adminKey)), status: 200, want: msgCreated},
		{name: "JSON with u and p, as the client library posts it", contentType: "application/json; charset=utf-8",
			body: fmt.Sprintf(`{"u":"admin","p":"admin1","device_id":"2","cli_number":%q,"hash":%q}`, n5, sha1Hex("2"+n5+adminKey)), status: 200, want: msgCreated},
		{name: "JSON unknown keys may hold anything", contentType: "application/json", body: jsonAdd(freshCLI(), `, "test": {"a": [1, true, null]}`), status: 200, want: msgCreated},
		{name: "JSON number 2.0 is not device 2", contentType: "application/json",
			body: fmt.Sprintf(`{"u":"admin","cli_number":"5","device_id":2.0,"hash":%q}`, sha1Hex("52.0"+adminKey)), status: 200, want: msgDeviceNotFound},
		{name: "empty body with any Content-Type", query: signed(adminAdd()), contentType: "text/plain", status: 200, want: msgCreated},

		{name: "JSON empty object", contentType: "application/json", body: `{}`, status: 200, want: msgAccessDenied},
		{name: "JSON only whitespace", contentType: "application/json", body: " \n", status: 400, want: "JSON body is malformed: unexpected end of the body"},
		{name: "JSON malformed", contentType: "application/json", body: `{"u": "admin",`, status: 400, want: "JSON body is malformed: unexpected end of the body"},
		{name: "JSON not JSON", contentType: "application/json", body: `u=admin`, status: 400, want: "JSON body is malformed: invalid character 'u' looking for beginning of value"},
		{name: "JSON trailing comma", contentType: "application/json", body: `{"u": "admin",}`, status: 400, want: "JSON body is malformed: invalid character '}' looking for beginning of object key string"},
		{name: "JSON two objects", contentType: "application/json", body: jsonAdd(freshCLI(), "") + `{}`, status: 400, want: "JSON body is malformed: data after the object"},
		{name: "JSON array", contentType: "application/json", body: `[{"u": "admin"}]`, status: 400, want: msgJSONNotObject},
		{name: "JSON string", contentType: "application/json", body: `"admin"`, status: 400, want: msgJSONNotObject},
		{name: "JSON null", contentType: "application/json", body: `null`, status: 400, want: msgJSONNotObject},
		{name: "JSON true", contentType: "application/json", body: jsonAdd(freshCLI(), `, "banned": true`), status: 400, want: "Parameter banned must be a string or a number in a JSON body"},
		{name: "JSON false", contentType: "application/json", body: jsonAdd(freshCLI(), `, "banned": false`), status: 400, want: "Parameter banned must be a string or a number in a JSON body"},
		{name: "JSON null value", contentType: "application/json", body: jsonAdd(freshCLI(), `, "ivr_id": null`), status: 400, want: "Parameter ivr_id must be a string or a number in a JSON body"},
		{name: "JSON object value", contentType: "application/json", body: jsonAdd(freshCLI(), `, "comment": {"a": 1}`), status: 400, want: "Parameter comment must be a string or a number in a JSON body"},
		{name: "JSON array value", contentType: "application/json", body: jsonAdd(freshCLI(), `, "comment": ["a"]`), status: 400, want: "Parameter comment must be a string or a number in a JSON body"},
		{name: "unsupported Content-Type", contentType: "text/plain", body: "u=admin", status: 400,
			want: "Content-Type text/plain is not supported (use application/x-www-form-urlencoded, multipart/form-data or application/json)"},
		{name: "XML Content-Type", contentType: "application/xml", body: "<u>admin</u>", status: 400,
			want: "Content-Type application/xml is not supported (use application/x-www-form-urlencoded, multipart/form-data or application/json)"},
		{name: "unparsable Content-Type", contentType: "application/json; ===", body: "{}", status: 400,
			want: "Content-Type application/json; === is not supported (use application/x-www-form-urlencoded, multipart/form-data or application/json)"},
		{name: "body without Content-Type", body: "u=admin", status: 400, want: msgNoContentType},
		{name: "multipart without boundary", contentType: "multipart/form-data", body: "x", status: 400, want: msgBadForm},
		{name: "malformed query", query: "u=admin&cli_number=%zz", status: 400, want: msgBadQuery},
		{name: "query with a semicolon", query: "u=admin;cli_number=1", status: 400, want: msgBadQuery},
		{name: "malformed form", contentType: "application/x-www-form-urlencoded", body: "u=%zz", status: 400, want: msgBadForm},

		{name: "u twice in the query", query: "u=admin&u=admin&cli_number=1&device_id=2", status: 200, want: "Parameter u is given more than once"},
		{name: "cli_number in query and form", query: "u=admin&cli_number=1", contentType: "application/x-www-form-urlencoded", body: "cli_number=1", status: 200,
			want: "Parameter cli_number is given more than once"},
		{name: "cli_number in query and JSON", query: "cli_number=1", contentType: "application/json", body: jsonAdd("1", ""), status: 200,
			want: "Parameter cli_number is given more than once"},
		{name: "device_id twice in JSON", contentType: "application/json", body: jsonAdd(freshCLI(), `, "device_id": "3"`), status: 200,
			want: "Parameter device_id is given more than once"},
		{name: "hash twice in the form", contentType: "application/x-www-form-urlencoded", body: "hash=a&hash=a", status: 200,
			want: "Parameter hash is given more than once"},
		{name: "an empty value twice is still twice", query: "ivr_id=&ivr_id=", status: 200, want: "Parameter ivr_id is given more than once"},
		{name: "duplicate reported before Access Denied", query: "p=x&p=y", status: 200, want: "Parameter p is given more than once"},

		{name: "not UTF-8 in the query", query: signed(adminAdd()) + "&comment=%FF", status: 200, want: "Parameter comment is not valid UTF-8"},
		{name: "not UTF-8 in the form", contentType: "application/x-www-form-urlencoded", body: "u=adm%C3in", status: 200, want: "Parameter u is not valid UTF-8"},
		{name: "not UTF-8 in JSON", contentType: "application/json", body: jsonAdd(freshCLI(), ", \"cli_description\": \"a\xffb\""), status: 200,
			want: "Parameter cli_description is not valid UTF-8"},
		{name: "an overlong UTF-8 encoding", query: "cli_domain=%C0%AF", status: 200, want: "Parameter cli_domain is not valid UTF-8"},
		{name: "a surrogate half", query: "cli_domain=%ED%A0%80", status: 200, want: "Parameter cli_domain is not valid UTF-8"},
		{name: "256 bytes", query: signed(adminAdd()) + "&comment=" + strings.Repeat("x", 256), status: 200, want: "Parameter comment is too long (at most 255 bytes)"},
		{name: "256 bytes of two-byte characters", query: url.Values{"cli_description": {strings.Repeat("ž", 128)}}.Encode(), status: 200,
			want: "Parameter cli_description is too long (at most 255 bytes)"},
		{name: "a long hash", query: "hash=" + strings.Repeat("a", 300), status: 200, want: "Parameter hash is too long (at most 255 bytes)"},
		{name: "an unknown parameter may be long, twice and not UTF-8", query: signed(adminAdd()) + "&test=" + strings.Repeat("%FF", 300) + "&test=1", status: 200, want: msgCreated},
	}
	h, st := newHandler(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := countCLIs(t, st)
			a := postBody(t, h, tc.query, tc.contentType, tc.body)
			assert.Equal(t, tc.status, a.status)
			assert.Equal(t, tc.want, a.message)
			assert.Equal(t, tc.want != msgCreated, a.isError)
			want := before
			if tc.want == msgCreated {
				want++
			}
			assert.Equal(t, want, countCLIs(t, st), "stored CLIs")
		})
	}
}

func TestMultipartForm(t *testing.T) {
	h, st := newHandler(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, values := range sign(adminAdd(), adminKey) {
		require.NoError(t, mw.WriteField(name, values[0]))
	}
	fw, err := mw.CreateFormFile("cli_number", "ignored.txt") // a file part is not a parameter
	require.NoError(t, err)
	fw.Write([]byte("99"))
	require.NoError(t, mw.Close())

	a := postBody(t, h, "", mw.FormDataContentType(), body.String())
	assert.Equal(t, msgCreated, a.message)
	assert.Equal(t, 1, countCLIs(t, st))
}

func TestBodyLimit(t *testing.T) {
	h, st := newHandler(t)
	cases := []struct {
		name          string
		body          string
		contentLength int64 // -1: unknown (chunked)
		status        int
	}{
		{"declared too large", strings.Repeat("a", maxBodyBytes+1), maxBodyBytes + 1, http.StatusRequestEntityTooLarge},
		{"chunked too large", strings.Repeat("a", maxBodyBytes+1), -1, http.StatusRequestEntityTooLarge},
		{"at the limit", "comment=" + strings.Repeat("a", maxBodyBytes-len("comment=")), maxBodyBytes, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, CLIAddPath+"?"+sign(adminAdd(), adminKey).Encode(), strings.NewReader(tc.body))
			r.ContentLength = tc.contentLength
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			a := serve(t, h, r)
			assert.Equal(t, tc.status, a.status)
			if tc.status == http.StatusRequestEntityTooLarge {
				assert.Equal(t, "Request body is too large (at most 65536 bytes)", a.message)
			} else {
				assert.Equal(t, "Parameter comment is too long (at most 255 bytes)", a.message)
			}
			assert.Equal(t, 0, countCLIs(t, st))
		})
	}
}
