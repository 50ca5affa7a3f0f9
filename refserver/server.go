// Package refserver is the reference implementation of the MOR billing API
// call /api/cli_add: an http.Handler mounted under /billing, backed by an
// embedded SQLite store seeded from a target profile (package fixtures).
//
// It passes every scenario of the conformance suite and follows the
// decisions in DESIGN.md where the spec leaves a choice open. Build a server
// with Open, Store.Seed and New, then serve Server.Handler.
package refserver

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/morcheck/morcheck/fixtures"
)

// CLIAddPath is where the cli_add call is served.
const CLIAddPath = "/billing/api/cli_add"

// Settings are the API-wide settings of the billing system. The zero value is
// the default profile's: API on, GET refused, hash checked.
type Settings struct {
	DisableAPI          bool // every call answers "API Requests are disabled"
	AllowGET            bool // GET is answered like POST (MOR's "for testing" opt-in)
	DisableHashChecking bool // calls need no hash (MOR's "Disable hash checking")
}

// SettingsFrom returns the settings a profile describes.
func SettingsFrom(api fixtures.APISettings) Settings {
	return Settings{AllowGET: api.GetRequests, DisableHashChecking: !api.HashChecking}
}

// Server answers the API. Create it with New; it is safe for concurrent use
// and holds no state of its own beyond its configuration.
type Server struct {
	store    *Store
	settings Settings
	now      func() time.Time
	log      *slog.Logger
}

// Option configures a Server.
type Option func(*Server)

// WithSettings sets the API-wide settings; the default is Settings{}.
func WithSettings(st Settings) Option { return func(s *Server) { s.settings = st } }

// WithClock sets the clock that stamps a CLI's added_at; the default is
// time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithLogger sets the logger for one line per request (method, path, status,
// outcome, duration; never a parameter value); the default discards.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// New returns a server that answers from store. The store stays owned by the
// caller, who closes it after the server has stopped.
func New(store *Store, opts ...Option) *Server {
	s := &Server{store: store, now: time.Now, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// apiFunc is one API call: it returns the success message or an error to
// show. It never writes the response itself.
type apiFunc func(ctx context.Context, p params) (string, error)

// Handler returns the HTTP handler for every path under /billing.
func (s *Server) Handler() http.Handler {
	calls := map[string]apiFunc{
		CLIAddPath: s.cliAdd,
	}
	return s.logRequests(recoverPanics(route(calls, s.settings.AllowGET, s.serveAPI)))
}

// route answers 404 for an unknown path and 405 for a method other than GET
// or POST; known calls go to serve. The 405's Allow header and message name
// only the methods that can succeed: POST, and GET when allowGET is set (a
// GET otherwise reaches serve and is refused with "GET Requests are
// disabled", as the API documents).
func route(calls map[string]apiFunc, allowGET bool, serve func(apiFunc) http.Handler) http.Handler {
	handlers := make(map[string]http.Handler, len(calls))
	for path, call := range calls {
		handlers[path] = serve(call)
	}
	allow, methodFmt := "POST", msgMethodPOSTFmt
	if allowGET {
		allow, methodFmt = "GET, POST", msgMethodFmt
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := handlers[r.URL.Path]
		if !ok {
			writeAnswer(w, "", transportError(http.StatusNotFound, msgUnknownCall))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", allow)
			writeAnswer(w, "", transportError(http.StatusMethodNotAllowed, fmt.Sprintf(methodFmt, r.Method)))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// serveAPI runs the checks every call shares, in order (API disabled, GET
// disabled, parameter decoding), then the call, and writes its answer.
func (s *Server) serveAPI(call apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.settings.DisableAPI {
			writeAnswer(w, "", refuse(msgAPIDisabled))
			return
		}
		if r.Method == http.MethodGet && !s.settings.AllowGET {
			writeAnswer(w, "", refuse(msgGETDisabled))
			return
		}
		p, err := readParams(w, r)
		if err != nil {
			writeAnswer(w, "", err)
			return
		}
		message, err := call(r.Context(), p)
		writeAnswer(w, message, err)
	})
}

// recorder remembers what was answered, for the request log.
type recorder struct {
	http.ResponseWriter
	status  int
	outcome string
	cause   error // the hidden cause of a 5xx
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs one line per request. Only the method and the path are
// logged, never the query or the body: they hold passwords and hashes.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.String("outcome", rec.outcome),
			slog.Duration("duration", time.Since(start)),
		}
		level := slog.LevelInfo
		if rec.cause != nil {
			level = slog.LevelError
			attrs = append(attrs, slog.String("error", rec.cause.Error()))
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// recoverPanics turns a panic in a handler into a 500 with the generic XML
// error (http.ErrAbortHandler is re-raised, as net/http expects).
func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				writeAnswer(w, "", internalError(fmt.Errorf("panic: %v", v)))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
