package report

import (
	"io"
	"slices"
	"strings"
	"sync"
)

// Redactor hides secrets (passwords, API keys) in any text the run writes.
// Its zero value hides nothing.
type Redactor struct {
	replacer *strings.Replacer
}

// Mask replaces every secret.
const Mask = "REDACTED"

// NewRedactor hides each non-empty secret, longest first so that a secret
// containing another is hidden whole.
func NewRedactor(secrets ...string) *Redactor {
	secrets = slices.DeleteFunc(slices.Clone(secrets), func(s string) bool { return s == "" })
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	secrets = slices.Compact(secrets)
	if len(secrets) == 0 {
		return &Redactor{}
	}
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, Mask)
	}
	return &Redactor{replacer: strings.NewReplacer(pairs...)}
}

// String returns s with every secret hidden.
func (r *Redactor) String(s string) string {
	if r == nil || r.replacer == nil {
		return s
	}
	return r.replacer.Replace(s)
}

// Writer returns a writer that hides secrets in what passes through it. It
// redacts line by line, so a secret split across two writes of one line is
// still hidden; call Flush at the end for a last line without a newline.
func (r *Redactor) Writer(w io.Writer) *RedactingWriter { return &RedactingWriter{r: r, w: w} }

// RedactingWriter is the writer Redactor.Writer returns. It is safe for
// concurrent use.
type RedactingWriter struct {
	mu      sync.Mutex
	r       *Redactor
	w       io.Writer
	pending []byte
}

// Write buffers p and writes every complete line, redacted.
func (rw *RedactingWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.pending = append(rw.pending, p...)
	if i := strings.LastIndexByte(string(rw.pending), '\n'); i >= 0 {
		if _, err := io.WriteString(rw.w, rw.r.String(string(rw.pending[:i+1]))); err != nil {
			return 0, err
		}
		rw.pending = append(rw.pending[:0], rw.pending[i+1:]...)
	}
	return len(p), nil
}

// Flush writes what is left of the last line.
func (rw *RedactingWriter) Flush() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if len(rw.pending) == 0 {
		return nil
	}
	_, err := io.WriteString(rw.w, rw.r.String(string(rw.pending)))
	rw.pending = rw.pending[:0]
	return err
}
