package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on a request.
const (
	maxBodyBytes  = 64 << 10 // a larger body is answered 413
	maxValueBytes = 255      // a longer parameter value is refused
)

// Parameter names cli_add reads. Any other parameter (the spec's example
// sends test=1) is ignored: not checked, not hashed, not stored.
const (
	paramUser        = "u"
	paramPassword    = "p"
	paramNumber      = "cli_number"
	paramDomain      = "cli_domain"
	paramDescription = "cli_description"
	paramComment     = "comment"
	paramBanned      = "banned"
	paramIVR         = "ivr_id"
	paramDevice      = "device_id"
	paramHash        = "hash"
)

// knownParams lists the parameters in the order the spec lists them, which is
// also the order in which their decoding errors are reported.
var knownParams = []string{
	paramUser, paramPassword, paramNumber, paramDomain, paramDescription,
	paramComment, paramBanned, paramIVR, paramDevice, paramHash,
}

func isKnownParam(name string) bool { return slices.Contains(knownParams, name) }

// params holds the known parameters a request sent, each exactly once, each
// valid UTF-8 of at most maxValueBytes. A parameter sent empty is present
// with value "".
type params map[string]string

// get returns a parameter's value, "" when absent.
func (p params) get(name string) string { return p[name] }

// has reports whether the parameter was sent at all, even empty.
func (p params) has(name string) bool {
	_, ok := p[name]
	return ok
}

// readParams collects the known parameters from the query string and the
// body (form, multipart form or JSON object), merged. Body framing problems
// are transport errors (400, 413); a parameter sent twice, not UTF-8 or too
// long is refused with HTTP 200 like the documented answers.
func readParams(w http.ResponseWriter, r *http.Request) (params, error) {
	raw := map[string][]string{}
	add := func(name, value string) {
		if isKnownParam(name) {
			raw[name] = append(raw[name], value)
		}
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, transportError(http.StatusBadRequest, msgBadQuery)
	}
	for name, values := range query {
		for _, v := range values {
			add(name, v)
		}
	}
	if err := readBody(w, r, add); err != nil {
		return nil, err
	}

	p := make(params, len(raw))
	for _, name := range knownParams {
		values, ok := raw[name]
		if !ok {
			continue
		}
		v := values[0]
		switch {
		case len(values) > 1:
			return nil, refusef(msgDuplicateFmt, name)
		case !utf8.ValidString(v):
			return nil, refusef(msgNotUTF8Fmt, name)
		case len(v) > maxValueBytes:
			return nil, refusef(msgTooLongFmt, name, maxValueBytes)
		}
		p[name] = v
	}
	return p, nil
}

// readBody reads at most maxBodyBytes of body and hands each name/value pair
// it holds to add. An empty body holds nothing, whatever its Content-Type.
func readBody(w http.ResponseWriter, r *http.Request, add func(name, value string)) error {
	tooLarge := transportError(http.StatusRequestEntityTooLarge, fmt.Sprintf(msgBodyTooLargeFmt, maxBodyBytes))
	if r.ContentLength > maxBodyBytes {
		return tooLarge
	}
	if r.Body == nil {
		return nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return tooLarge
		}
		return transportError(http.StatusBadRequest, msgBodyUnreadable)
	}
	if len(body) == 0 {
		return nil
	}

	ct := r.Header.Get("Content-Type")
	if strings.TrimSpace(ct) == "" {
		return transportError(http.StatusBadRequest, msgNoContentType)
	}
	mediaType, mediaParams, err := mime.ParseMediaType(ct)
	unsupported := transportError(http.StatusBadRequest, fmt.Sprintf(msgContentTypeFmt, ct))
	if err != nil {
		return unsupported
	}
	switch mediaType {
	case "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return transportError(http.StatusBadRequest, msgBadForm)
		}
		for name, values := range form {
			for _, v := range values {
				add(name, v)
			}
		}
		return nil
	case "multipart/form-data":
		return readMultipart(body, mediaParams["boundary"], add)
	case "application/json":
		return readJSON(body, add)
	default:
		return unsupported
	}
}

// readMultipart reads the fields of a multipart form; file parts are ignored.
func readMultipart(body []byte, boundary string, add func(name, value string)) error {
	if boundary == "" {
		return transportError(http.StatusBadRequest, msgBadForm)
	}
	form, err := multipart.NewReader(bytes.NewReader(body), boundary).ReadForm(maxBodyBytes)
	if err != nil {
		return transportError(http.StatusBadRequest, msgBadForm)
	}
	defer form.RemoveAll() //nolint:errcheck // in-memory only: the body is at most maxBodyBytes
	for name, values := range form.Value {
		for _, v := range values {
			add(name, v)
		}
	}
	return nil
}

// readJSON reads a JSON object whose values are strings or numbers; a number
// stands for its literal text (2 is "2", 2.0 is "2.0"). Keys are streamed so a
// key given twice is seen twice. Values of unknown keys may be anything.
func readJSON(body []byte, add func(name, value string)) error {
	malformed := func(err error) error {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = errors.New("unexpected end of the body")
		}
		return transportError(http.StatusBadRequest, fmt.Sprintf(msgBadJSONFmt, err))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return malformed(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return transportError(http.StatusBadRequest, msgJSONNotObject)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return malformed(err)
		}
		name, _ := tok.(string) // inside an object the decoder only yields string keys
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return malformed(err)
		}
		if !isKnownParam(name) {
			continue
		}
		if !utf8.Valid(value) {
			// encoding/json would replace the bad bytes with U+FFFD; keep
			// them so the parameter is refused as not UTF-8.
			add(name, string(value))
			continue
		}
		switch value[0] {
		case '"':
			var s string
			if err := json.Unmarshal(value, &s); err != nil {
				return malformed(err)
			}
			add(name, s)
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			add(name, string(value))
		default: // true, false, null, an object or an array
			return transportError(http.StatusBadRequest, fmt.Sprintf(msgJSONValueTypeFmt, name))
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return malformed(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed(errors.New("data after the object"))
	}
	return nil
}
