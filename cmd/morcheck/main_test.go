package main

import (
	"bytes"
	"compress/gzip"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/internal/container/containertest"
	"github.com/morcheck/morcheck/steps/signing"
)

// call runs the command line and returns its exit code and outputs.
func call(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHashPrintsStringAndSHA1InBothOrders(t *testing.T) {
	code, out, errOut := call(t, "hash", "-key", "456789", "u=admin", "cli_number=1234678", "cli_description=description",
		"comment=comment", "ivr_id=2", "banned=1", "device_id=2", "test=1", "cli_domain=sip.example")
	require.Equal(t, 0, code, errOut)
	documented := "1234678descriptioncomment122456789"
	revision := "21234678descriptioncomment12456789"
	assert.Contains(t, out, "  string: "+documented+"\n  sha1:   "+signing.Sum(documented)+"\n")
	assert.Contains(t, out, "  string: "+revision+"\n  sha1:   "+signing.Sum(revision)+"\n")
	assert.Contains(t, out, "not hashed: u, cli_domain, test")
	assert.Less(t, strings.Index(out, "documented order"), strings.Index(out, "later revision"))
}

func TestHashKnownAnswer(t *testing.T) {
	// NOTES.md: device_details_get signs device_id 5 with key 456789.
	code, out, _ := call(t, "hash", "-key", "456789", "device_id=5")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "65fd575c441513bd114b84c7dbdb01e0f2716d27")
}

func TestHashRefusesBadInput(t *testing.T) {
	cases := map[string][]string{
		"-key is required":               {"hash", "cli_number=1"},
		`"cli_number" is not name=value`: {"hash", "-key", "k", "cli_number"},
		`"cli_numbr" is not a cli_add`:   {"hash", "-key", "k", "cli_numbr=1"},
		"cli_number is given twice":      {"hash", "-key", "k", "cli_number=1", "cli_number=2"},
		"hash is what this command":      {"hash", "-key", "k", "hash=abc"},
		"flag provided but not defined":  {"hash", "-nokey"},
	}
	for want, args := range cases {
		code, _, errOut := call(t, args...)
		assert.Equal(t, 2, code, want)
		assert.Contains(t, errOut, want)
	}
}

func TestUsageAndUnknownCommand(t *testing.T) {
	code, _, errOut := call(t)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage:")
	code, _, errOut = call(t, "frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "frobnicate"`)
	code, out, _ := call(t, "help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "morcheck run")
}

func TestRunAgainstTheEmbeddedReferenceServerConforms(t *testing.T) {
	t.Setenv("TARGET_URL", "")
	t.Setenv("TARGET_PROFILE", "")
	code, out, errOut := call(t, "run", "--tags", "@documented", "--reports", t.TempDir())
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	assert.Contains(t, out, "embedded reference server")
	assert.Regexp(t, `\d+ scenarios \(\d+ passed\)`, out)
	assert.NotContains(t, out, "\x1b[", "no colours when the console is not a terminal")
}

func TestRunCannotStart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String() + "/billing"
	require.NoError(t, ln.Close())

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(string(fixtures.DefaultYAML), "owner: reseller_user", "owner: ghost", 1)), 0o600))

	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unreachable target", []string{"run", "--target", closed}, nil, "target unreachable"},
		{"invalid profile names file and field", []string{"run", "--profile", bad}, nil, bad + `: devices.reseller_user_device.owner: "ghost" is not an account`},
		{"missing profile", []string{"run", "--profile", filepath.Join(t.TempDir(), "none.yaml")}, nil, "read profile"},
		{"bad concurrency", []string{"run", "--concurrency", "0"}, nil, "not a positive number"},
		{"bad CONCURRENCY", []string{"run"}, map[string]string{"CONCURRENCY": "many"}, `$CONCURRENCY="many" is not a positive number`},
		{"stray argument", []string{"run", "extra"}, nil, `unexpected argument "extra"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, _, errOut := call(t, tc.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, errOut, tc.want)
		})
	}
}

func TestEnvironmentSetsTheTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String() + "/billing"
	require.NoError(t, ln.Close())
	t.Setenv("TARGET_URL", closed)
	code, _, errOut := call(t, "run")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, ln.Addr().String(), "TARGET_URL is the default of --target")
}

func TestRunAgainstANonConformingTargetFails(t *testing.T) {
	// A target that says yes to everything: reachable, well-formed, wrong.
	var page bytes.Buffer
	zw := gzip.NewWriter(&page)
	_, _ = zw.Write([]byte("<page><status>CLI successfully created</status></page>"))
	require.NoError(t, zw.Close())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(page.Bytes())
	}))
	t.Cleanup(srv.Close)

	code, out, _ := call(t, "run", "--target", srv.URL+"/billing", "--tags", "@documented", "--reports", t.TempDir())
	assert.Equal(t, 1, code)
	assert.Contains(t, out, `expected the error "Access Denied"`)
	assert.Regexp(t, `\d+ scenarios \(\d+ passed, \d+ failed\)`, out)
}

func TestRunImageWithoutDockerCannotStart(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no-docker.sock"))
	code, _, errOut := call(t, "run", "--image", "vendor/billing:1.4")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "cannot run: Docker is not available: ")
}

func TestRunRefusesTargetAndImageTogether(t *testing.T) {
	code, _, errOut := call(t, "run", "--target", "http://127.0.0.1:1/billing", "--image", "x:y")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not both")
}

func TestRunImageBadEnvironment(t *testing.T) {
	t.Setenv("TARGET_ENV", "NOEQUALS")
	code, _, errOut := call(t, "run", "--image", "x:y")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "TARGET_ENV")
}

// TestRunImageThatNeverAnswers starts an image whose program never listens:
// the run gives up within TARGET_STARTUP_TIMEOUT, exits 2, shows the
// container's last log lines, and leaves no container behind.
func TestRunImageThatNeverAnswers(t *testing.T) {
	containertest.RequireDocker(t)
	const image = "morcheck/faketarget:cmdtest"
	containertest.BuildFakeTargetImage(t, image)
	containertest.NoContainersLeft(t, image)

	t.Setenv("TARGET_STARTUP_TIMEOUT", "5s")
	began := time.Now()
	code, _, errOut := call(t, "run", "--image", image)
	assert.Equal(t, 2, code)
	assert.Less(t, time.Since(began), 30*time.Second, "a bounded wait")
	assert.Contains(t, errOut, "cannot run: ")
	assert.Contains(t, errOut, "booting forever", "the container's logs are shown")
}

// TestRunImageConformsAndLeavesNoContainer builds the reference server's
// image from the repository's Dockerfile and runs `morcheck run --image`
// against it, as a vendor would: the run conforms, and no container of the
// image is left afterwards.
func TestRunImageConformsAndLeavesNoContainer(t *testing.T) {
	containertest.RequireDocker(t)
	const image = "morcheck/refserver:cmdtest"
	containertest.BuildRefserverImage(t, filepath.Join("..", ".."), image)
	containertest.NoContainersLeft(t, image)

	code, out, errOut := call(t, "run", "--image", image, "--reports", t.TempDir())
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", out, errOut)
	assert.Contains(t, out, image+" answers at http://")
	assert.Regexp(t, `\d+ scenarios \(\d+ passed\)`, out)
	assert.Contains(t, out, "CONFORMS")
}
