package refserver

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// Response headers of every answer. The body is the XML document gzipped, as
// the spec says ("That file is gziped and returned as a response content");
// Content-Encoding lets HTTP libraries that decode it do so, while clients
// that follow the page gunzip it themselves.
const (
	contentType     = "text/xml; charset=utf-8"
	contentEncoding = "gzip"
)

// renderXML returns the XML document for an answer: the message inside
// <status>, wrapped in <error> when it is an error. Indentation follows the
// MOR API's own documents.
func renderXML(message string, isError bool) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header) // `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	b.WriteString("<page>\n")
	if isError {
		b.WriteString("  <status>\n    <error>")
		xml.EscapeText(&b, []byte(message)) //nolint:errcheck // bytes.Buffer never fails
		b.WriteString("</error>\n  </status>\n")
	} else {
		b.WriteString("  <status>")
		xml.EscapeText(&b, []byte(message)) //nolint:errcheck // bytes.Buffer never fails
		b.WriteString("</status>\n")
	}
	b.WriteString("</page>\n")
	return b.Bytes()
}

// gzipWriters reuses compressors: each holds some 800 KB of state. A pool
// is a cache, not per-run state: any writer serves any request.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

// gzipBytes compresses doc as one gzip member.
func gzipBytes(doc []byte) []byte {
	var b bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&b)
	zw.Write(doc) //nolint:errcheck // bytes.Buffer never fails
	zw.Close()    //nolint:errcheck // bytes.Buffer never fails
	return b.Bytes()
}

// writeAnswer renders the outcome of a call: err nil means success with
// message, otherwise err is shown (an *apiError as itself, anything else as
// an internal error). It is the only place that writes a response body.
func writeAnswer(w http.ResponseWriter, message string, err error) {
	status, isError := http.StatusOK, err != nil
	if isError {
		ae, ok := errors.AsType[*apiError](err)
		if !ok {
			ae = internalError(err)
		}
		status, message = ae.status, ae.message
		if rec, ok := w.(*recorder); ok && ae.cause != nil {
			rec.cause = ae.cause
		}
	}
	if rec, ok := w.(*recorder); ok {
		rec.outcome = message
	}
	body := gzipBytes(renderXML(message, isError))
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Encoding", contentEncoding)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body) //nolint:errcheck // the client went away; nothing to do
}
