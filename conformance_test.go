package morcheck_test

// The go test entry point of the suite: the whole suite against the
// in-process reference server, against a reference server started as a
// separate process (the external-target path vendors use), or against
// TARGET_URL when it is set.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/internal/container"
	"github.com/morcheck/morcheck/internal/container/containertest"
	"github.com/morcheck/morcheck/internal/localtarget"
	"github.com/morcheck/morcheck/suite"
)

var summaryLine = regexp.MustCompile(`(\d+) scenarios \((\d+) passed\)`)

// runSuite runs the suite against url, echoing its console to the test log,
// and returns the result and the number of scenarios that passed.
func runSuite(t *testing.T, url string, profile *fixtures.Profile, tags string) (suite.Result, int) {
	t.Helper()
	var out bytes.Buffer
	res, err := suite.Run(t.Context(), suite.Config{
		TargetURL:   url,
		Profile:     profile,
		Tags:        tags,
		Concurrency: 4,
		Format:      "progress",
		NoColors:    true,
		Output:      io.MultiWriter(&out, t.Output()),
	})
	require.NoError(t, err)
	m := summaryLine.FindStringSubmatch(out.String())
	require.NotNil(t, m, "godog prints the summary line 'N scenarios (N passed)'")
	total, _ := strconv.Atoi(m[1])
	passed, _ := strconv.Atoi(m[2])
	assert.Equal(t, total, passed, "every scenario passes")
	return res, passed
}

func profileFromEnv(t *testing.T) *fixtures.Profile {
	t.Helper()
	if path := os.Getenv("TARGET_PROFILE"); path != "" {
		p, err := fixtures.Load(path)
		require.NoError(t, err)
		return p
	}
	return fixtures.Default()
}

// TestConformance runs every scenario against TARGET_URL when it is set,
// against a container of TARGET_IMAGE when that is set, and against the
// in-process reference server otherwise.
func TestConformance(t *testing.T) {
	profile := profileFromEnv(t)
	url := os.Getenv("TARGET_URL")
	cfg, image, err := container.ConfigFromEnv(os.Getenv)
	require.NoError(t, err)
	switch {
	case url != "" && image:
		t.Fatal("set TARGET_URL or TARGET_IMAGE, not both")
	case image:
		containertest.RequireDocker(t)
		containertest.NoContainersLeft(t, cfg.Image)
		target, err := container.Start(t.Context(), cfg)
		if target != nil {
			t.Cleanup(func() { assert.NoError(t, target.Close(context.WithoutCancel(t.Context()))) })
		}
		require.NoError(t, err)
		url = target.URL
	case url == "":
		local, err := localtarget.Start(profile)
		require.NoError(t, err)
		t.Cleanup(func() { assert.NoError(t, local.Close()) })
		url = local.URL
	}
	res, passed := runSuite(t, url, profile, os.Getenv("TAGS"))
	assert.Equal(t, suite.Conforms, res.Code)
	assert.Positive(t, passed)
}

// TestConformanceWithGETAllowed runs the suite against a reference server
// whose profile opts into GET, so the other branch of the GET scenario runs.
func TestConformanceWithGETAllowed(t *testing.T) {
	profile := fixtures.Default()
	profile.API.GetRequests = true
	local, err := localtarget.Start(profile)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, local.Close()) })
	res, passed := runSuite(t, local.URL, profile, "")
	assert.Equal(t, suite.Conforms, res.Code)
	assert.Greater(t, passed, 40)
}

// TestTagsSelectScenarios checks a godog tag expression narrows the run.
func TestTagsSelectScenarios(t *testing.T) {
	profile := fixtures.Default()
	local, err := localtarget.Start(profile)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, local.Close()) })
	_, all := runSuite(t, local.URL, profile, "")
	_, documented := runSuite(t, local.URL, profile, "@documented")
	_, rest := runSuite(t, local.URL, profile, "~@documented")
	assert.Positive(t, documented)
	assert.Positive(t, rest)
	assert.Equal(t, all, documented+rest)
}

// TestConformanceAgainstRefserverProcess builds cmd/refserver and
// cmd/morcheck, starts the reference server as a separate process on a
// loopback port with a file database, and runs the whole suite against it
// the way a vendor does: the morcheck binary with TARGET_URL set. A second
// run proves the suite passes again against the same persistent target.
func TestConformanceAgainstRefserverProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts cmd/refserver")
	}
	url := startRefserver(t, build(t, "refserver"), filepath.Join(t.TempDir(), "ref.db"))
	morcheck := build(t, "morcheck")
	for run := 1; run <= 2; run++ {
		cmd := exec.Command(morcheck, "run", "--reports", t.TempDir())
		cmd.Env = append(os.Environ(), "TARGET_URL="+url, "TARGET_PROFILE=fixtures/default.yaml", "TAGS=")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "run %d: morcheck run exits 0\n%s", run, out)
		m := summaryLine.FindStringSubmatch(string(out))
		require.NotNil(t, m, "run %d: the summary line\n%s", run, out)
		assert.Equal(t, m[1], m[2], "run %d: every scenario passed", run)
		assert.Contains(t, string(out), "target: "+url, "run %d: the run went to TARGET_URL", run)
		assert.Contains(t, string(out), "CONFORMS")
	}
}

// build compiles ./cmd/name as a static binary in a temporary directory.
func build(t *testing.T, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/"+name)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/%s: %s", name, out)
	return bin
}

// startRefserver runs bin on a free loopback port and waits, at most ten
// seconds, until it answers. The process is stopped with SIGTERM at cleanup.
func startRefserver(t *testing.T, bin, db string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	var logs bytes.Buffer
	cmd := exec.Command(bin, "-addr", addr, "-db", db)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Errorf("refserver did not stop within 10s of SIGINT; logs:\n%s", logs.String())
		}
	})

	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return fmt.Sprintf("http://%s/billing", addr)
		}
		if time.Now().After(deadline) {
			t.Fatalf("refserver did not listen on %s within 10s: %v; logs:\n%s", addr, err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestUnreachableTargetCannotStart checks a run against a closed port stops
// before any scenario with CannotStart.
func TestUnreachableTargetCannotStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	res, err := suite.Run(ctx, suite.Config{TargetURL: "http://" + addr + "/billing", Output: io.Discard})
	assert.ErrorIs(t, err, suite.ErrCannotStart)
	assert.ErrorContains(t, err, "target unreachable")
	assert.Equal(t, suite.CannotStart, res.Code)
}
