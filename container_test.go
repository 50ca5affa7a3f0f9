package morcheck_test

// The suite against the reference server's image, started with
// testcontainers-go the way TARGET_IMAGE starts a vendor's image.

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/internal/container"
	"github.com/morcheck/morcheck/internal/container/containertest"
	"github.com/morcheck/morcheck/suite"
)

// refserverTestImage is built from the repository's Dockerfile for the test
// and removed after it; morcheck/refserver:dev (make image) is left alone.
const refserverTestImage = "morcheck/refserver:test"

// TestConformanceAgainstRefserverImage builds the reference server's image
// from a fresh static binary, starts it, and runs the whole suite against
// the container's published port.
func TestConformanceAgainstRefserverImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an image and starts a container")
	}
	containertest.RequireDocker(t)
	buildRefserverImage(t, refserverTestImage)
	containertest.NoContainersLeft(t, refserverTestImage)

	target, err := container.Start(t.Context(), container.Config{
		Image:          refserverTestImage,
		StartupTimeout: 60 * time.Second,
		Logf:           t.Logf,
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			if logs, err := target.Logs(context.Background(), 30); err == nil {
				t.Logf("last lines of the container's log:\n%s", logs)
			}
		}
		assert.NoError(t, target.Close(context.Background()))
	})
	t.Logf("container start to first answer: %s (%s)", target.Ready, target.URL)

	began := time.Now()
	res, passed := runSuite(t, target.URL, fixtures.Default(), "")
	t.Logf("suite against the container: %s, %d scenarios passed", time.Since(began).Round(time.Millisecond), passed)
	assert.Equal(t, suite.Conforms, res.Code)
	assert.Greater(t, passed, 40, "the whole suite ran")

	logs, err := target.Logs(t.Context(), 0)
	require.NoError(t, err)
	assert.Contains(t, logs, "db=/data/refserver.db", "the database lives on the /data volume")
}

// buildRefserverImage builds the repository's Dockerfile the way make image
// does, from a context holding only what the Dockerfile copies: a static
// refserver built now (bin/refserver may be missing or stale), the default
// fixtures and the empty bin/data. It checks the image's promises.
func buildRefserverImage(t *testing.T, tag string) {
	t.Helper()
	began := time.Now()
	containertest.BuildRefserverImage(t, ".", tag)
	t.Logf("refserver binary and image built in %s", time.Since(began).Round(time.Millisecond))

	img, err := containertest.Client(t).ImageInspect(t.Context(), tag)
	require.NoError(t, err)
	cfg := img.Config
	require.NotNil(t, cfg)
	assert.Equal(t, "65532:65532", cfg.User, "runs as a non-root user")
	assert.Contains(t, cfg.Volumes, "/data", "the database is on a volume")
	assert.Contains(t, cfg.ExposedPorts, "8080/tcp")
	assert.Equal(t, []string{"/refserver", "-addr", "0.0.0.0:8080", "-db", "/data/refserver.db"}, cfg.Entrypoint)
	assert.Less(t, img.Size, int64(50<<20), "FROM scratch: the binary and little else")
}
