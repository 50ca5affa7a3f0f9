// Package container starts a target's container image with testcontainers-go,
// waits until it answers HTTP on /billing/api/cli_add, and removes it again.
// It is how the suite runs against an image (TARGET_IMAGE): the reference
// server's own image or a vendor's billing image.
//
// testcontainers starts its reaper (Ryuk) beside the first container unless
// TESTCONTAINERS_RYUK_DISABLED=true, and pulls the reaper's image from a
// registry to do so. This package does not need it: Target.Close, and a
// failed Start, remove the container and check it is gone. Where no registry
// is reachable callers set TESTCONTAINERS_RYUK_DISABLED=true before the
// first call (testcontainers reads it once per process); a Start that fails
// because the reaper could not start says so with ErrReaper.
package container

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
)

// Defaults of Config.
const (
	DefaultPort           = "8080"
	DefaultStartupTimeout = 60 * time.Second
	DefaultPullTimeout    = 2 * time.Minute
	DefaultLogLines       = 30
)

// BasePath is the path of the billing application in the container: target
// URLs end with it and the suite appends /api/cli_add.
const BasePath = "/billing"

// ReadyPath is what the wait strategy calls; any HTTP answer counts.
const ReadyPath = BasePath + "/api/cli_add"

// Label marks every container this package starts, with the image as value.
const Label = "org.morcheck.target"

// ErrDockerUnavailable marks errors raised because no Docker engine answers.
// Their text begins "Docker is not available: ".
var ErrDockerUnavailable = errors.New("Docker is not available") //nolint:staticcheck // a product name starts the sentence

// ErrNotReady marks a container that started but never answered HTTP, or
// exited, within the startup timeout. The error text carries its last log
// lines.
var ErrNotReady = errors.New("the container did not become ready")

// ErrReaper marks a start that failed because testcontainers' reaper could
// not start, typically because its image cannot be pulled. The target's own
// container was never started, and has been removed.
var ErrReaper = errors.New("testcontainers' reaper could not start: " +
	"set TESTCONTAINERS_RYUK_DISABLED=true where no registry is reachable; morcheck removes its containers itself")

// Config says which image to start and how long to wait for it.
type Config struct {
	Image          string            // image reference, e.g. morcheck/refserver:dev; required
	Port           string            // container port serving HTTP; DefaultPort when ""
	Env            map[string]string // environment of the container
	StartupTimeout time.Duration     // from start to the first HTTP answer; DefaultStartupTimeout when 0
	PullTimeout    time.Duration     // pulling an image not present locally; DefaultPullTimeout when 0
	LogLines       int               // log lines quoted in a failed start's error; DefaultLogLines when 0
	// Logf receives testcontainers' progress messages; discarded when nil.
	Logf func(format string, args ...any)
}

// Target is a running container.
type Target struct {
	URL         string        // base URL up to and including /billing, e.g. http://127.0.0.1:32768/billing
	Image       string        // the image it runs
	ContainerID string        // the Docker container id
	Ready       time.Duration // from asking Docker to start it to its first HTTP answer

	ctr       testcontainers.Container
	cli       *client.Client
	closeOnce sync.Once
	closeErr  error
}

// Start starts cfg.Image, publishes cfg.Port on the Docker host and waits,
// at most cfg.StartupTimeout, until POST /billing/api/cli_add gets any HTTP
// answer. When no Docker engine answers the error wraps ErrDockerUnavailable;
// when testcontainers' reaper cannot start it wraps ErrReaper; when the
// container does not answer in time, or exits, the error wraps ErrNotReady
// and quotes the container's last log lines. After a failed start no
// container is left. Callers Close the Target when done.
func Start(ctx context.Context, cfg Config) (*Target, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	cli, err := dockerClient(ctx)
	if err != nil {
		return nil, err
	}
	t, err := start(ctx, cli, cfg)
	if err != nil {
		_ = cli.Close()
		return nil, err
	}
	return t, nil
}

func (cfg Config) withDefaults() (Config, error) {
	if strings.TrimSpace(cfg.Image) == "" {
		return cfg, errors.New("container: no image given")
	}
	if cfg.Port == "" {
		cfg.Port = DefaultPort
	}
	port, err := network.ParsePort(cfg.Port)
	if err != nil || port.Num() == 0 || port.Proto() != network.TCP {
		return cfg, fmt.Errorf("container: port %q is not a TCP port number", cfg.Port)
	}
	cfg.Port = port.String() // e.g. 8080/tcp
	if cfg.StartupTimeout <= 0 {
		cfg.StartupTimeout = DefaultStartupTimeout
	}
	if cfg.PullTimeout <= 0 {
		cfg.PullTimeout = DefaultPullTimeout
	}
	if cfg.LogLines <= 0 {
		cfg.LogLines = DefaultLogLines
	}
	return cfg, nil
}

func start(ctx context.Context, cli *client.Client, cfg Config) (*Target, error) {
	logger := logfLogger(cfg.Logf)
	if err := ensureImage(ctx, cli, cfg, logger); err != nil {
		return nil, err
	}
	host, err := resolveHost(ctx, cli, logger)
	if err != nil {
		return nil, err
	}

	port := network.MustParsePort(cfg.Port)
	req := testcontainers.ContainerRequest{
		Image:        cfg.Image,
		ExposedPorts: []string{cfg.Port},
		Env:          cfg.Env,
		Labels:       map[string]string{Label: cfg.Image},
		HostConfigModifier: func(hc *container.HostConfig) {
			if host.loopback {
				// The target is for this machine only: not published on
				// every interface of the Docker host.
				hc.PortBindings = network.PortMap{port: {{HostIP: netip.AddrFrom4([4]byte{127, 0, 0, 1}), HostPort: "0"}}}
			}
		},
		WaitingFor: onHost{host: host.name, strategy: wait.ForHTTP(ReadyPath).
			WithPort(cfg.Port).
			WithMethod(http.MethodPost).
			WithStatusCodeMatcher(func(int) bool { return true }).
			WithPollInterval(100 * time.Millisecond).
			WithStartupTimeout(cfg.StartupTimeout)},
	}
	// Creating and starting take seconds; the wait has its own timeout. The
	// margin bounds the calls to Docker around it.
	startCtx, cancel := context.WithTimeout(ctx, cfg.StartupTimeout+time.Minute)
	defer cancel()
	began := time.Now()
	ctr, err := testcontainers.GenericContainer(startCtx, testcontainers.GenericContainerRequest{
		ContainerRequest: req,
		Started:          true,
		Logger:           logger,
	})
	ready := time.Since(began)
	t := &Target{Image: cfg.Image, ctr: ctr, cli: cli, Ready: ready}
	if ctr != nil {
		t.ContainerID = ctr.GetContainerID()
	}
	if err != nil {
		// Whatever went wrong, a container may exist: quote its logs, then
		// remove it, as testcontainers' modules do.
		return nil, t.failed(ctx, cfg, err)
	}
	mapped, err := ctr.MappedPort(ctx, cfg.Port)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("container: published port of %s: %w", cfg.Image, err), t.close(ctx))
	}
	t.URL = "http://" + net.JoinHostPort(host.name, mapped.Port()) + BasePath
	return t, nil
}

// failed builds the error of a failed start and removes the container.
func (t *Target) failed(ctx context.Context, cfg Config, cause error) error {
	// The caller's context may be what ran out: use a fresh one for the logs
	// and the removal.
	cleanupCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if isReaperFailure(cause, cfg.Image) {
		// testcontainers created the container, then failed to start its
		// reaper: the container never ran, so it has no logs worth quoting.
		err := fmt.Errorf("container: start %s: %w (%w)", cfg.Image, ErrReaper, cause)
		if t.ctr != nil {
			if closeErr := t.close(cleanupCtx); closeErr != nil {
				err = errors.Join(err, closeErr)
			}
		}
		return err
	}
	if t.ctr == nil || t.ContainerID == "" {
		return fmt.Errorf("container: start %s: %w", cfg.Image, cause)
	}
	logs, logErr := t.Logs(cleanupCtx, cfg.LogLines)
	if logErr != nil {
		logs = fmt.Sprintf("(its logs could not be read: %v)", logErr)
	} else if logs == "" {
		logs = "(it logged nothing)"
	}
	closeErr := t.close(cleanupCtx)
	why := "it failed to start"
	if errors.Is(cause, context.DeadlineExceeded) {
		why = fmt.Sprintf("no HTTP answer to POST %s on port %s within %s", ReadyPath, cfg.Port, cfg.StartupTimeout)
	}
	err := fmt.Errorf("%w: image %s, container %.12s: %s (%w)\n--- last %d log lines of the container ---\n%s",
		ErrNotReady, cfg.Image, t.ContainerID, why, cause, cfg.LogLines, strings.TrimRight(logs, "\n"))
	if closeErr != nil {
		err = errors.Join(err, closeErr)
	}
	return err
}

// isReaperFailure reports whether err, from testcontainers starting image,
// says its reaper could not start: testcontainers prefixes those errors
// "reaper: " or "reaper connect: ", and the reaper's image is
// testcontainers/ryuk. The image's own name is left out of the search, so a
// target image called e.g. acme/reaper is not taken for it.
func isReaperFailure(err error, image string) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	if image != "" {
		msg = strings.ReplaceAll(msg, image, "")
	}
	msg = strings.ToLower(msg)
	return strings.Contains(msg, "reaper") || strings.Contains(msg, "ryuk")
}

// Logs returns the last n lines (all when n <= 0) of the container's
// standard output and error, interleaved as Docker recorded them.
func (t *Target) Logs(ctx context.Context, n int) (string, error) {
	rc, err := t.ctr.Logs(ctx)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return tail(rc, n)
}

// Close stops the container, removes it with its anonymous volumes, and
// checks Docker no longer knows it. Calling it again returns the first
// result.
func (t *Target) Close(ctx context.Context) error {
	return t.close(ctx)
}

func (t *Target) close(ctx context.Context) error {
	t.closeOnce.Do(func() {
		defer t.cli.Close()
		err := testcontainers.TerminateContainer(t.ctr, testcontainers.StopContext(ctx), testcontainers.StopTimeout(5*time.Second))
		if err != nil {
			t.closeErr = fmt.Errorf("container: remove %.12s: %w", t.ContainerID, err)
			return
		}
		if t.ContainerID == "" {
			return
		}
		if _, err := t.cli.ContainerInspect(ctx, t.ContainerID, client.ContainerInspectOptions{}); err == nil {
			t.closeErr = fmt.Errorf("container: %.12s still exists after its removal", t.ContainerID)
		} else if !cerrdefs.IsNotFound(err) {
			t.closeErr = fmt.Errorf("container: check %.12s is gone: %w", t.ContainerID, err)
		}
	})
	return t.closeErr
}

// ensureImage pulls cfg.Image, within cfg.PullTimeout, when it is not
// present locally.
func ensureImage(ctx context.Context, cli *client.Client, cfg Config, logger logfLogger) error {
	_, err := cli.ImageInspect(ctx, cfg.Image)
	if err == nil {
		return nil
	}
	if !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("container: inspect image %s: %w", cfg.Image, err)
	}
	provider, err := testcontainers.NewDockerProvider(testcontainers.WithLogger(logger))
	if err != nil {
		return unavailable(err)
	}
	defer provider.Close()
	pullCtx, cancel := context.WithTimeout(ctx, cfg.PullTimeout)
	defer cancel()
	if err := provider.PullImage(pullCtx, cfg.Image); err != nil {
		return fmt.Errorf("container: image %s is not present locally and pulling it failed within %s (build it first, e.g. make image): %w",
			cfg.Image, cfg.PullTimeout, err)
	}
	return nil
}

// dockerHost is where the published port of a container is reached.
type dockerHost struct {
	name     string // host name or IP address
	loopback bool   // publish on 127.0.0.1 only
}

// resolveHost says where published ports are reached. TESTCONTAINERS_HOST_OVERRIDE
// wins, as in testcontainers. A daemon testcontainers reaches on localhost,
// or one behind a local socket that shares this machine's host name
// (Docker-in-Docker in the same container, or host networking), is reached
// on 127.0.0.1, and ports are published on loopback only. Otherwise, e.g.
// inside a container with the host's socket mounted, testcontainers' answer
// (the bridge gateway) stands and ports are published on every interface.
func resolveHost(ctx context.Context, cli *client.Client, logger logfLogger) (dockerHost, error) {
	provider, err := testcontainers.NewDockerProvider(testcontainers.WithLogger(logger))
	if err != nil {
		return dockerHost{}, unavailable(err)
	}
	defer provider.Close()
	name, err := provider.DaemonHost(ctx)
	if err != nil {
		return dockerHost{}, fmt.Errorf("container: find the Docker host: %w", err)
	}
	if _, override := os.LookupEnv("TESTCONTAINERS_HOST_OVERRIDE"); override {
		return dockerHost{name: name}, nil
	}
	if addr, err := netip.ParseAddr(name); name == "localhost" || err == nil && addr.IsLoopback() {
		return dockerHost{name: "127.0.0.1", loopback: true}, nil
	}
	if u, err := url.Parse(cli.DaemonHost()); err == nil && u.Scheme == "unix" {
		info, err := cli.Info(ctx, client.InfoOptions{})
		if hostname, herr := os.Hostname(); err == nil && herr == nil && info.Info.Name == hostname {
			return dockerHost{name: "127.0.0.1", loopback: true}, nil
		}
	}
	return dockerHost{name: name}, nil
}

// onHost runs a wait strategy against a given host instead of the one
// testcontainers infers, so the wait and Target.URL agree.
type onHost struct {
	host     string
	strategy wait.Strategy
}

func (o onHost) WaitUntilReady(ctx context.Context, target wait.StrategyTarget) error {
	return o.strategy.WaitUntilReady(ctx, hostTarget{StrategyTarget: target, host: o.host})
}

type hostTarget struct {
	wait.StrategyTarget
	host string
}

func (h hostTarget) Host(context.Context) (string, error) { return h.host, nil }

// CheckDocker returns nil when a Docker engine answers a ping, and an error
// wrapping ErrDockerUnavailable otherwise. DOCKER_HOST, when set, is the
// only engine tried; otherwise testcontainers' discovery applies (its
// properties file, the Docker context, the usual sockets).
func CheckDocker(ctx context.Context) error {
	cli, err := dockerClient(ctx)
	if err != nil {
		return err
	}
	return cli.Close()
}

// dockerClient returns a client of an engine that answered a ping.
func dockerClient(ctx context.Context) (*client.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var cli *client.Client
	if host := os.Getenv("DOCKER_HOST"); host != "" {
		// testcontainers would fall back to other sockets when DOCKER_HOST
		// does not answer; the user named this engine, so only it counts.
		c, err := client.New(client.FromEnv)
		if err != nil {
			return nil, unavailable(fmt.Errorf("DOCKER_HOST=%s: %w", host, err))
		}
		cli = c
	} else {
		c, err := testcontainers.NewDockerClientWithOpts(ctx)
		if err != nil {
			return nil, unavailable(err)
		}
		cli = c.Client
	}
	if _, err := cli.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		_ = cli.Close()
		return nil, unavailable(err)
	}
	return cli, nil
}

func unavailable(err error) error {
	return fmt.Errorf("%w: %w", ErrDockerUnavailable, err)
}

// tail returns the last n lines of r (every line when n <= 0).
func tail(r io.Reader, n int) (string, error) {
	var lines []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if n > 0 && len(lines) > 2*n {
			lines = append(lines[:0], lines[len(lines)-n:]...)
		}
	}
	if n > 0 && len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 0 {
		return "", sc.Err()
	}
	return strings.Join(lines, "\n") + "\n", sc.Err()
}

// logfLogger adapts a printf function to testcontainers' logger.
type logfLogger func(format string, args ...any)

func (l logfLogger) Printf(format string, args ...any) {
	if l != nil {
		l(format, args...)
	}
}
