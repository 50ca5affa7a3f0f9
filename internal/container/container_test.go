package container_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/internal/container"
	"github.com/morcheck/morcheck/internal/container/containertest"
)

// fakeImage is the image of testdata/faketarget, built for these tests and
// removed after them.
const fakeImage = "morcheck/faketarget:test"

// TestStartDockerUnavailable points DOCKER_HOST at a socket that does not
// exist: Start says Docker is not available, at once, before any container.
func TestStartDockerUnavailable(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no-docker.sock"))
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	began := time.Now()
	target, err := container.Start(ctx, container.Config{Image: fakeImage})
	elapsed := time.Since(began)
	assert.Nil(t, target)
	require.ErrorIs(t, err, container.ErrDockerUnavailable)
	assert.True(t, strings.HasPrefix(err.Error(), "Docker is not available: "), "%v", err)
	assert.Contains(t, err.Error(), "no-docker.sock", "the error names the engine it tried")
	assert.Less(t, elapsed, 3*time.Second, "fails fast")

	err = container.CheckDocker(ctx)
	require.ErrorIs(t, err, container.ErrDockerUnavailable)
	assert.True(t, strings.HasPrefix(err.Error(), "Docker is not available: "), "%v", err)
}

func TestStartRejectsBadConfig(t *testing.T) {
	for _, cfg := range []container.Config{
		{},
		{Image: "x", Port: "http"},
		{Image: "x", Port: "0"},
		{Image: "x", Port: "53/udp"},
	} {
		_, err := container.Start(t.Context(), cfg)
		assert.Error(t, err, "%+v", cfg)
		assert.NotErrorIs(t, err, container.ErrDockerUnavailable, "%+v: checked before Docker", cfg)
	}
}

// TestStart runs testdata/faketarget as a container: one that never
// answers, one that exits, one that answers every request with 503.
func TestStart(t *testing.T) {
	containertest.RequireDocker(t)
	containertest.BuildFakeTargetImage(t, fakeImage)

	t.Run("never answers", func(t *testing.T) {
		cli := containertest.Client(t)
		containertest.NoContainersLeft(t, fakeImage)
		const timeout = 5 * time.Second

		began := time.Now()
		target, err := container.Start(t.Context(), container.Config{
			Image: fakeImage, StartupTimeout: timeout, Logf: t.Logf,
		})
		elapsed := time.Since(began)
		t.Logf("Start gave up after %s", elapsed)
		assert.Nil(t, target)
		require.ErrorIs(t, err, container.ErrNotReady)
		assert.NotErrorIs(t, err, container.ErrDockerUnavailable)
		msg := err.Error()
		t.Logf("the error:\n%s", msg)
		assert.Contains(t, msg, fakeImage)
		assert.Contains(t, msg, "no HTTP answer to POST /billing/api/cli_add on port 8080/tcp within 5s")
		assert.Contains(t, msg, "--- last 30 log lines of the container ---")
		assert.Contains(t, msg, "booting forever")
		assert.Equal(t, 30, strings.Count(msg, "booting forever"), "the last 30 lines, no more")
		assert.NotContains(t, msg, "booting forever 1\n", "the first lines are cut")
		assert.GreaterOrEqual(t, elapsed, timeout)
		assert.Less(t, elapsed, timeout+20*time.Second, "bounded by the startup timeout")

		ids, err := containertest.Containers(t.Context(), cli, fakeImage)
		require.NoError(t, err)
		assert.Empty(t, ids, "the container is removed before Start returns")
	})

	t.Run("exits", func(t *testing.T) {
		containertest.NoContainersLeft(t, fakeImage)
		began := time.Now()
		_, err := container.Start(t.Context(), container.Config{
			Image: fakeImage, StartupTimeout: 30 * time.Second,
			Env: map[string]string{"FAKE_MODE": "exit:3"},
		})
		elapsed := time.Since(began)
		require.ErrorIs(t, err, container.ErrNotReady)
		t.Logf("the error, after %s:\n%v", elapsed, err)
		assert.Contains(t, err.Error(), "exited with code 3")
		assert.Contains(t, err.Error(), "crashing soon 3")
		assert.Contains(t, err.Error(), "fatal: giving up with status 3", "stderr is quoted too")
		assert.Less(t, elapsed, 15*time.Second, "an exit is noticed without waiting for the timeout")
	})

	t.Run("answers any HTTP", func(t *testing.T) {
		cli := containertest.Client(t)
		containertest.NoContainersLeft(t, fakeImage)
		target, err := container.Start(t.Context(), container.Config{
			Image: fakeImage, StartupTimeout: 30 * time.Second,
			Env: map[string]string{"FAKE_MODE": "serve"}, Logf: t.Logf,
		})
		require.NoError(t, err)
		closed := false
		t.Cleanup(func() {
			if !closed {
				assert.NoError(t, target.Close(context.Background()))
			}
		})
		t.Logf("ready after %s at %s", target.Ready, target.URL)
		assert.Regexp(t, `^http://[0-9.]+:[0-9]+/billing$`, target.URL)
		assert.Equal(t, fakeImage, target.Image)
		assert.NotEmpty(t, target.ContainerID)

		resp, err := http.Post(target.URL+"/api/cli_add", "text/plain", nil)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "a 503 counted as an answer")
		assert.Contains(t, string(body), "fake target")

		logs, err := target.Logs(t.Context(), 0)
		require.NoError(t, err)
		assert.Contains(t, logs, "serving on :8080")
		assert.Contains(t, logs, "POST /billing/api/cli_add")
		last, err := target.Logs(t.Context(), 1)
		require.NoError(t, err)
		assert.Equal(t, 1, strings.Count(last, "\n"))

		require.NoError(t, target.Close(t.Context()))
		closed = true
		assert.NoError(t, target.Close(t.Context()), "Close is idempotent")
		ids, err := containertest.Containers(t.Context(), cli, fakeImage)
		require.NoError(t, err)
		assert.Empty(t, ids)
		_, err = http.Post(target.URL+"/api/cli_add", "text/plain", nil)
		assert.Error(t, err, "nothing answers once closed")
	})

	t.Run("image missing", func(t *testing.T) {
		const missing = "morcheck/no-such-image:never"
		containertest.NoContainersLeft(t, missing)
		began := time.Now()
		_, err := container.Start(t.Context(), container.Config{Image: missing, PullTimeout: 3 * time.Second})
		elapsed := time.Since(began)
		require.Error(t, err)
		t.Logf("the error, after %s: %v", elapsed, err)
		assert.Contains(t, err.Error(), "image "+missing+" is not present locally")
		assert.Contains(t, err.Error(), "make image")
		assert.False(t, errors.Is(err, container.ErrDockerUnavailable))
		assert.Less(t, elapsed, 15*time.Second, "the pull is bounded by PullTimeout")
	})
}
