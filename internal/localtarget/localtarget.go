// Package localtarget starts the reference server in-process on a loopback
// port, so the suite has a target when none is given. It is the only place
// outside refserver's own tests that wires the reference server to the
// suite; the suite itself (steps, features) never imports it.
package localtarget

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/refserver"
)

// Target is a running in-process reference server. Close stops it and
// discards its in-memory store.
type Target struct {
	URL    string // base URL up to and including /billing
	server *http.Server
	store  *refserver.Store
	done   chan error
}

// Start serves a reference server seeded with profile on 127.0.0.1, on a
// port the kernel picks, with an in-memory store and the profile's settings.
func Start(profile *fixtures.Profile) (*Target, error) {
	store, err := refserver.Open(refserver.MemoryPath)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := store.Seed(profile); err != nil {
		store.Close()
		return nil, fmt.Errorf("seed store: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	srv := refserver.New(store, refserver.WithSettings(refserver.SettingsFrom(profile.API)))
	t := &Target{
		URL:    "http://" + ln.Addr().String() + "/billing",
		server: &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second},
		store:  store,
		done:   make(chan error, 1),
	}
	go func() { t.done <- t.server.Serve(ln) }()
	return t, nil
}

// Close stops the server and closes the store. It waits a second for
// requests in flight, then closes every connection: net/http counts a
// connection a client opened but never used as busy for five seconds, and a
// finished run has nothing left to wait for.
func (t *Target) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := t.server.Shutdown(ctx); errors.Is(err, context.DeadlineExceeded) {
		_ = t.server.Close()
	}
	var err error
	if serveErr := <-t.done; !errors.Is(serveErr, http.ErrServerClosed) {
		err = serveErr
	}
	return errors.Join(err, t.store.Close())
}
