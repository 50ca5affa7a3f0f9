// Command faketarget stands in for a target image in the container
// package's tests. FAKE_MODE selects what it does:
//
//	""        never answers: prints "booting forever N" lines, listens nowhere
//	"exit:N"  prints a few lines and exits with status N
//	"serve"   answers every request on :8080 with 503 and a plain text body
//
// SIGTERM stops it at once (it runs as PID 1 in its container).
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	mode := os.Getenv("FAKE_MODE")
	switch {
	case mode == "":
		bootForever(ctx)
	case strings.HasPrefix(mode, "exit:"):
		code, err := strconv.Atoi(strings.TrimPrefix(mode, "exit:"))
		if err != nil {
			code = 1
		}
		for i := 1; i <= 3; i++ {
			fmt.Printf("crashing soon %d\n", i)
		}
		fmt.Fprintf(os.Stderr, "fatal: giving up with status %d\n", code)
		os.Exit(code)
	case mode == "serve":
		serve(ctx)
	default:
		fmt.Fprintf(os.Stderr, "unknown FAKE_MODE %q\n", mode)
		os.Exit(64)
	}
}

func bootForever(ctx context.Context) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for i := 1; ; i++ {
		fmt.Printf("booting forever %d\n", i)
		select {
		case <-ctx.Done():
			fmt.Println("stopped")
			return
		case <-tick.C:
		}
	}
}

func serve(ctx context.Context) {
	srv := &http.Server{
		Addr:              ":8080",
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Printf("%s %s\n", r.Method, r.URL.Path)
			http.Error(w, "fake target: not a billing server", http.StatusServiceUnavailable)
		}),
	}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	fmt.Println("serving on :8080")
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
