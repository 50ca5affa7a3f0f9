// Command refserver serves the reference implementation of the MOR billing
// API call /api/cli_add under /billing, with its SQLite store seeded from a
// target profile.
//
//	refserver -addr 127.0.0.1:8080 -db refserver.db [-fixtures profile.yaml]
//
// -db :memory: keeps everything in memory. SIGINT or SIGTERM shuts it down
// gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/refserver"
)

// errUsage marks a command line that could not be parsed.
var errUsage = errors.New("usage")

// shutdownTimeout bounds how long in-flight requests may take to finish.
const shutdownTimeout = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2) // the flag package has printed the problem and the usage
	default:
		fmt.Fprintln(os.Stderr, "refserver:", err)
		os.Exit(1)
	}
}

// run parses the flags, seeds the store and serves until ctx is done.
func run(ctx context.Context, args []string, stderr io.Writer) (err error) {
	fs := flag.NewFlagSet("refserver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := fs.String("db", "refserver.db", "SQLite database file (:memory: for none)")
	profilePath := fs.String("fixtures", "", "target profile to seed from (default: the embedded "+fixtures.DefaultName+")")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected arguments: %q\n", fs.Args())
		fs.Usage()
		return fmt.Errorf("%w: unexpected arguments: %q", errUsage, fs.Args())
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	profile := fixtures.Default()
	if *profilePath != "" {
		if profile, err = fixtures.Load(*profilePath); err != nil {
			return err
		}
	}
	store, err := refserver.Open(*dbPath)
	if err != nil {
		return err
	}
	defer func() {
		// After Shutdown: no request uses the store any more.
		if cerr := store.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := store.Seed(profile); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	app := refserver.New(store, refserver.WithSettings(refserver.SettingsFrom(profile.API)), refserver.WithLogger(log))
	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info(fmt.Sprintf("listening on http://%s/billing", ln.Addr()), "db", *dbPath)

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
