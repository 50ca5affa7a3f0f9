package container_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/internal/container"
	"github.com/morcheck/morcheck/internal/container/containertest"
)

func TestIsReaperFailure(t *testing.T) {
	const image = "morcheck/refserver:dev"
	cases := []struct {
		name  string
		err   error
		image string
		want  bool
	}{
		// What testcontainers v0.45 answered on a machine without a registry.
		{"reaper image not pulled", errors.New(`create container: reaper: new reaper: run container: Error response from daemon: ` +
			`Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host`), image, true},
		{"reaper not reached", fmt.Errorf("create container: %w", errors.New("reaper connect: dial tcp 127.0.0.1:32768: connection refused")), image, true},
		{"ryuk named", errors.New("pull testcontainers/ryuk:0.14.0: denied"), image, true},
		{"upper case", errors.New("Reaper: gone"), image, true},
		{"nil", nil, image, false},
		{"wait timed out", fmt.Errorf("start container: %w", context.DeadlineExceeded), image, false},
		{"container exited", errors.New("start container: container exited with code 3"), image, false},
		{"a target image called reaper", errors.New("create container: pull acme/reaper:1: not found"), "acme/reaper:1", false},
		{"a target image called reaper, and the reaper failed", errors.New("create container acme/reaper:1: reaper: new reaper: boom"), "acme/reaper:1", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, container.IsReaperFailure(tc.err, tc.image))
		})
	}
}

// reaperChildEnv selects the child half of TestStartReaperUnavailable.
const reaperChildEnv = "MORCHECK_TEST_REAPER_CHILD"

// reaperImage names a registry (.test never resolves; the image is built
// locally, never pulled), so the hub prefix the child sets redirects only the
// reaper's image, a Docker Hub name, and not this one.
const reaperImage = "morcheck.test/faketarget-reaper:test"

// TestStartReaperUnavailable starts a target with testcontainers' reaper on
// and its image unreachable: Start says the reaper could not start (not that
// the target was not ready) and leaves no container. testcontainers reads
// its configuration once per process, so the start runs in a child process:
// this test binary again, with reaperChildEnv set.
func TestStartReaperUnavailable(t *testing.T) {
	if os.Getenv(reaperChildEnv) == "1" {
		reaperChild(t)
		return
	}
	containertest.RequireDocker(t)
	containertest.BuildFakeTargetImage(t, reaperImage)
	containertest.NoContainersLeft(t, reaperImage)

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestStartReaperUnavailable$", "-test.v", "-test.count=1")
	cmd.Env = append(withoutEnv(os.Environ(), "TESTCONTAINERS_RYUK_DISABLED", "TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX"),
		reaperChildEnv+"=1",
		"TESTCONTAINERS_RYUK_DISABLED=false",
		// Port 9 (discard) on the engine's loopback: a registry that is never
		// there, so the reaper's image cannot be pulled wherever this runs.
		"TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX=127.0.0.1:9",
	)
	out, err := cmd.CombinedOutput()
	t.Logf("the child:\n%s", out)
	require.NoError(t, err, "the child failed")
	assert.Contains(t, string(out), "--- PASS: TestStartReaperUnavailable", "the child ran, and was not skipped")
}

func reaperChild(t *testing.T) {
	containertest.RequireDocker(t)
	require.Equal(t, "false", os.Getenv("TESTCONTAINERS_RYUK_DISABLED"))
	cli := containertest.Client(t)

	began := time.Now()
	target, err := container.Start(t.Context(), container.Config{
		Image: reaperImage, StartupTimeout: 30 * time.Second, Logf: t.Logf,
		Env: map[string]string{"FAKE_MODE": "serve"},
	})
	elapsed := time.Since(began)
	if target != nil {
		_ = target.Close(context.Background())
	}
	require.Error(t, err, "the reaper started after all")
	t.Logf("the error, after %s: %v", elapsed, err)
	assert.Nil(t, target)
	require.ErrorIs(t, err, container.ErrReaper)
	assert.NotErrorIs(t, err, container.ErrNotReady)
	assert.NotErrorIs(t, err, container.ErrDockerUnavailable)
	msg := err.Error()
	assert.Contains(t, msg, "testcontainers' reaper could not start")
	assert.Contains(t, msg, "set TESTCONTAINERS_RYUK_DISABLED=true")
	assert.Contains(t, msg, reaperImage)
	assert.NotContains(t, msg, "did not become ready")
	assert.NotContains(t, msg, "log lines")

	ids, err := containertest.Containers(t.Context(), cli, reaperImage)
	require.NoError(t, err)
	assert.Empty(t, ids, "the target's container is removed before Start returns")
}

// withoutEnv returns env without the named variables.
func withoutEnv(env []string, names ...string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		drop := false
		for _, n := range names {
			drop = drop || name == n
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}
