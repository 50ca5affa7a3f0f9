package steps

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Body says how a request carries its parameters.
type Body string

// The ways to send parameters. Query is the documented one.
const (
	InQuery Body = ""     // POST with the parameters in the query string, as the spec's example (the zero value)
	InForm  Body = "form" // POST with an application/x-www-form-urlencoded body
	InJSON  Body = "json" // POST with a JSON object body, as a public client library does
)

// maxBody bounds how much of an answer the suite reads.
const maxBody = 1 << 20

// Request is one cli_add call about to be sent.
type Request struct {
	Method string // POST unless a scenario says GET
	Body   Body
	Params Params
	Raw    []byte // a literal body, sent as is (robustness scenarios)
	Type   string // Content-Type of Raw
}

// Response is what came back, decoded as far as it could be.
type Response struct {
	HTTPStatus int
	Header     http.Header
	Raw        []byte // the body exactly as received, never decoded by the HTTP library
	XML        []byte // the gunzipped document
	Root       string // name of the document's root element
	Status     string // text of page/status when it holds no error
	Error      string // text of page/status/error
	HasError   bool   // page/status/error is present
	Problem    error  // why the body is not a gzip-compressed well-formed XML page
}

// statusCreated is the documented success status.
const statusCreated = "CLI successfully created"

// IsStatus reports whether the answer is a readable page whose status (not
// an error) is text.
func (r *Response) IsStatus(text string) bool {
	return r.Problem == nil && !r.HasError && r.Status == text
}

// Created reports whether the answer is the documented success.
func (r *Response) Created() bool { return r.IsStatus(statusCreated) }

// Framing tells how the gzip body was framed, for messages.
func (r *Response) Framing() string {
	switch {
	case strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip"):
		return "Content-Encoding: gzip"
	case r.Header.Get("Content-Disposition") != "":
		return "a file download (" + r.Header.Get("Content-Disposition") + ")"
	default:
		return "a gzip body (Content-Type " + r.Header.Get("Content-Type") + ")"
	}
}

// Answer describes the outcome in a line: `the status "…"`, `the error "…"`,
// or the decoding problem.
func (r *Response) Answer() string {
	switch {
	case r.Problem != nil:
		return "an undecodable answer (" + r.Problem.Error() + ")"
	case r.HasError:
		return fmt.Sprintf("the error %q", r.Error)
	default:
		return fmt.Sprintf("the status %q", r.Status)
	}
}

// Client sends cli_add requests to one target and reads the raw answers.
type Client struct {
	Endpoint string // base URL + /api/cli_add
	HTTP     *http.Client
}

// NewClient returns a client for the target whose base URL ends in /billing.
// Compression is left to the target: the transport neither asks for gzip nor
// decodes it, so the suite sees the body exactly as the target sent it.
func NewClient(baseURL string) *Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DisableCompression = true
	return &Client{
		Endpoint: strings.TrimRight(baseURL, "/") + "/api/cli_add",
		HTTP:     &http.Client{Transport: transport, Timeout: 30 * time.Second},
	}
}

// httpRequest builds the net/http request for r.
func (c *Client) httpRequest(ctx context.Context, r Request) (*http.Request, error) {
	method := r.Method
	if method == "" {
		method = http.MethodPost
	}
	target := c.Endpoint
	var body io.Reader
	var contentType string
	switch {
	case r.Raw != nil:
		body, contentType = bytes.NewReader(r.Raw), r.Type
	case r.Body == InForm:
		body, contentType = strings.NewReader(r.Params.Encode()), "application/x-www-form-urlencoded"
	case r.Body == InJSON:
		body, contentType = bytes.NewReader(r.Params.JSON()), "application/json"
	default:
		if q := r.Params.Encode(); q != "" {
			target += "?" + q
		}
	}
	if r.Raw != nil && len(r.Params) > 0 {
		target += "?" + r.Params.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req, nil
}

// Do sends r and decodes the answer. An error means no answer came back at
// all (the target is unreachable); a malformed answer is a Response with
// Problem set.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	req, err := c.httpRequest(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("send %s %s: %w", req.Method, c.Endpoint, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	out := &Response{HTTPStatus: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > maxBody {
		out.Problem = fmt.Errorf("the body is over %d bytes", maxBody)
		return out, nil
	}
	out.decode()
	return out, nil
}

// decode gunzips and parses the body, recording the first problem found.
func (r *Response) decode() {
	if len(r.Raw) < 2 || r.Raw[0] != 0x1f || r.Raw[1] != 0x8b {
		r.Problem = fmt.Errorf("the body is not gzip data: it starts %q", preview(r.Raw, 40))
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.Raw))
	if err != nil {
		r.Problem = fmt.Errorf("the gzip header is broken: %w", err)
		return
	}
	doc, err := io.ReadAll(io.LimitReader(zr, maxBody+1))
	if err != nil {
		r.Problem = fmt.Errorf("the gzip data is broken: %w", err)
		return
	}
	r.XML = doc
	if err := r.parse(); err != nil {
		r.Problem = err
	}
}

// page is the document every answer holds:
// <page><status>TEXT</status></page> or <page><status><error>TEXT</error></status></page>.
type page struct {
	XMLName xml.Name `xml:"page"`
	Status  *struct {
		Text  string  `xml:",chardata"`
		Error *string `xml:"error"`
	} `xml:"status"`
}

// parse checks the document is well-formed XML with a page root and reads
// the status or error text.
func (r *Response) parse() error {
	dec := xml.NewDecoder(bytes.NewReader(r.XML))
	dec.CharsetReader = charsetReader
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("the gzip data is not well-formed XML: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 && r.Root != "" {
				return fmt.Errorf("the gzip data is not well-formed XML: a second root element <%s> after <%s>", tok.Name.Local, r.Root)
			}
			if depth == 0 {
				r.Root = tok.Name.Local
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				return fmt.Errorf("the gzip data is not well-formed XML: text outside the root element: %q", preview(bytes.TrimSpace(tok), 40))
			}
		}
	}
	if r.Root == "" {
		return errors.New("the XML document has no root element")
	}
	if r.Root != "page" {
		return fmt.Errorf("the XML root is <%s>, want <page>", r.Root)
	}
	var p page
	dec = xml.NewDecoder(bytes.NewReader(r.XML))
	dec.CharsetReader = charsetReader
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("the XML page cannot be read: %w", err)
	}
	if p.Status == nil {
		return errors.New("the XML page has no <status>")
	}
	if p.Status.Error != nil {
		r.HasError, r.Error = true, strings.TrimSpace(*p.Status.Error)
		return nil
	}
	r.Status = strings.TrimSpace(p.Status.Text)
	return nil
}

// charsetReader reads the encodings an XML declaration may name besides
// UTF-8: Latin-1 and ASCII. Others are reported by name.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
		data, err := io.ReadAll(input)
		if err != nil {
			return nil, err
		}
		runes := make([]rune, len(data))
		for i, b := range data {
			runes[i] = rune(b)
		}
		return strings.NewReader(string(runes)), nil
	case "us-ascii", "ascii":
		return input, nil
	}
	return nil, fmt.Errorf("the XML declares encoding %q, which the suite does not read (use UTF-8)", label)
}

// Curl renders r as a curl command line that replays it, with the password
// redacted. The secret key never travels in a request, so it cannot leak here.
func (c *Client) Curl(r Request) string {
	r.Params = r.Params.Redacted()
	req, err := c.httpRequest(context.Background(), r)
	if err != nil {
		return "(cannot render: " + err.Error() + ")"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -X %s %s", req.Method, shellQuote(req.URL.String()))
	if ct := req.Header.Get("Content-Type"); ct != "" {
		fmt.Fprintf(&b, " -H %s", shellQuote("Content-Type: "+ct))
	}
	if req.Body != nil && req.Body != http.NoBody {
		data, _ := io.ReadAll(req.Body)
		fmt.Fprintf(&b, " --data-binary %s", shellQuote(string(data)))
	}
	b.WriteString(" | gunzip")
	return b.String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func preview(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
