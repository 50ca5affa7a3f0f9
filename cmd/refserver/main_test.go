package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listening matches the start-up line and captures the base URL.
var listening = regexp.MustCompile(`listening on (http://[^ "]+/billing)`)

// buildBinary compiles the command statically into a temporary directory.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("builds and runs the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		tb.Skip("no go tool on PATH")
	}
	bin := filepath.Join(tb.TempDir(), "refserver")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	require.NoError(tb, err, "go build: %s", out)
	return bin
}

// process is a running refserver.
type process struct {
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:PORT/billing
	exited chan error
}

// start runs the binary on a free loopback port and waits (bounded) until it
// has logged its address and answers. It is killed at cleanup if still
// running.
func start(tb testing.TB, bin string, args ...string) *process {
	tb.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	require.NoError(tb, err)
	require.NoError(tb, cmd.Start())
	p := &process{cmd: cmd, exited: make(chan error, 1)}

	baseURL := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case baseURL <- m[1]:
				default:
				}
			}
		}
	})
	go func() {
		wg.Wait() // the pipe is drained before Wait closes it
		p.exited <- cmd.Wait()
	}()
	tb.Cleanup(func() {
		cmd.Process.Kill() //nolint:errcheck // it may have exited already
		<-p.exited
	})

	select {
	case p.base = <-baseURL:
	case err := <-p.exited:
		tb.Fatalf("refserver exited before listening: %v", err)
	case <-time.After(30 * time.Second):
		tb.Fatal("refserver did not log its address within 30s")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Post(p.base+"/api/cli_add", "", nil)
		if err == nil {
			resp.Body.Close()
			break
		}
		require.True(tb, time.Now().Before(deadline), "refserver does not answer: %v", err)
		time.Sleep(20 * time.Millisecond)
	}
	return p
}

// signal sends sig and returns the process's exit error, waiting at most
// timeout.
func (p *process) signal(tb testing.TB, sig os.Signal, timeout time.Duration) error {
	tb.Helper()
	require.NoError(tb, p.cmd.Process.Signal(sig))
	select {
	case err := <-p.exited:
		p.exited <- err // for the cleanup
		return err
	case <-time.After(timeout):
		tb.Fatalf("refserver did not exit within %s of %v", timeout, sig)
		return nil
	}
}

// addCLI posts the admin's add of number to device 2, signed with the
// default profile's admin key, and returns the decoded XML document.
func addCLI(tb testing.TB, base, number string) string {
	tb.Helper()
	sum := sha1.Sum([]byte(number + "2" + "456789")) // cli_number, device_id, key
	q := url.Values{"u": {"admin"}, "cli_number": {number}, "device_id": {"2"}, "hash": {hex.EncodeToString(sum[:])}}
	req, err := http.NewRequest(http.MethodPost, base+"/api/cli_add?"+q.Encode(), nil)
	require.NoError(tb, err)
	req.Header.Set("Accept-Encoding", "identity") // read the body as sent
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tb, err)
	defer resp.Body.Close()
	require.Equal(tb, http.StatusOK, resp.StatusCode)
	require.Equal(tb, "gzip", resp.Header.Get("Content-Encoding"))
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(tb, err)
	doc, err := io.ReadAll(zr)
	require.NoError(tb, err)
	return string(doc)
}

// TestAcknowledgedCLISurvivesKill adds a CLI, kills the server with SIGKILL,
// restarts it on the same database and finds the CLI still there.
func TestAcknowledgedCLISurvivesKill(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "refserver.db")

	p := start(t, bin, "-db", db)
	assert.Contains(t, addCLI(t, p.base, "37069999001"), "<status>CLI successfully created</status>")
	err := p.signal(t, syscall.SIGKILL, 10*time.Second)
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr, "killed")

	p = start(t, bin, "-db", db)
	assert.Contains(t, addCLI(t, p.base, "37069999001"),
		"<error>CLI already exists. It is assigned to John Smith device</error>")
	assert.Contains(t, addCLI(t, p.base, "37069999002"), "<status>CLI successfully created</status>")
}

func TestGracefulShutdown(t *testing.T) {
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			p := start(t, bin, "-db", ":memory:")
			assert.Contains(t, addCLI(t, p.base, "37069999003"), "CLI successfully created")
			assert.NoError(t, p.signal(t, sig, 5*time.Second), "exit status 0")
		})
	}
}

func TestFixturesFlag(t *testing.T) {
	bin := buildBinary(t)
	profile, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "default.yaml"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "profile.yaml")
	edited := strings.Replace(string(profile), `secret_key: "456789"`, `secret_key: "other-key"`, 1)
	require.NotEqual(t, string(profile), edited)
	require.NoError(t, os.WriteFile(path, []byte(edited), 0o600))

	p := start(t, bin, "-db", ":memory:", "-fixtures", path)
	assert.Contains(t, addCLI(t, p.base, "37069999004"), "<error>Incorrect hash</error>", "the profile's key, not the default one")
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-nope"}, "flag provided but not defined"},
		{"extra argument", []string{"-db", ":memory:", "extra"}, `unexpected arguments: ["extra"]`},
		{"missing fixtures", []string{"-db", ":memory:", "-fixtures", filepath.Join(t.TempDir(), "none.yaml")}, "read profile"},
		{"database in a missing directory", []string{"-db", filepath.Join(t.TempDir(), "no", "x.db")}, "open store"},
		{"invalid address", []string{"-db", ":memory:", "-addr", "127.0.0.1:notaport"}, "listen"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr syncBuffer
			err := run(context.Background(), tc.args, &stderr)
			require.Error(t, err)
			assert.ErrorContains(t, err, tc.want)
		})
	}
	t.Run("usage errors are marked", func(t *testing.T) {
		var stderr syncBuffer
		assert.ErrorIs(t, run(context.Background(), []string{"-nope"}, &stderr), errUsage)
		assert.Contains(t, stderr.String(), "-fixtures")
		assert.ErrorIs(t, run(context.Background(), []string{"-h"}, &stderr), flag.ErrHelp)
	})
}

func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-db", ":memory:"}, &stderr) }()

	deadline := time.Now().Add(10 * time.Second)
	var base string
	for base == "" {
		if m := listening.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, stderr.String())
		default:
		}
		require.True(t, time.Now().Before(deadline), "no start-up line: %s", stderr.String())
		time.Sleep(10 * time.Millisecond)
	}
	assert.Contains(t, addCLI(t, base, "37069999005"), "CLI successfully created")
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	log := stderr.String()
	assert.Contains(t, log, "shutting down")
	assert.NotContains(t, log, "456789", "no secret is logged")
	_, err := http.Post(base+"/api/cli_add", "", nil)
	assert.Error(t, err, "the listener is closed")
}
