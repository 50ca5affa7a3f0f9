// Package containertest holds what tests that start containers share:
// skipping without Docker, building a throwaway image from a directory, and
// checking no container of an image outlives its test.
package containertest

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/build"
	"github.com/moby/moby/client"

	"github.com/morcheck/morcheck/internal/container"
)

// RequireEnv names the variable that turns a missing Docker engine from a
// skip into a failure (CI sets it to 1).
const RequireEnv = "MORCHECK_REQUIRE_DOCKER"

// RequireDocker skips the test, with the reason "Docker is not available:
// ...", when no Docker engine answers, or fails it when MORCHECK_REQUIRE_DOCKER
// is 1. It disables testcontainers' reaper unless
// TESTCONTAINERS_RYUK_DISABLED is set already: its image cannot be pulled
// everywhere, and these tests remove their own containers and check it.
func RequireDocker(tb testing.TB) {
	tb.Helper()
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		// Not tb.Setenv: testcontainers reads its configuration once per
		// process, so the setting has to hold for the whole process.
		_ = os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := container.CheckDocker(ctx); err != nil {
		if os.Getenv(RequireEnv) == "1" {
			tb.Fatalf("%v (%s=1 requires Docker)", err, RequireEnv)
		}
		tb.Skip(err.Error())
	}
}

// Client returns a Docker client closed at the end of the test.
func Client(tb testing.TB) *client.Client {
	tb.Helper()
	cli, err := client.New(client.FromEnv)
	if err != nil {
		tb.Fatalf("docker client: %v", err)
	}
	tb.Cleanup(func() { _ = cli.Close() })
	return cli
}

// GoBuild builds the main package pkg (a path go build understands, run
// from the current directory) into dir/name as a static Linux binary for
// the Docker engine's architecture.
func GoBuild(tb testing.TB, pkg, dir, name string) {
	tb.Helper()
	out := filepath.Join(dir, name)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+engineArch(tb))
	if b, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

// engineArch is the GOARCH of the Docker engine's machine.
func engineArch(tb testing.TB) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	info, err := Client(tb).Info(ctx, client.InfoOptions{})
	if err != nil {
		tb.Fatalf("docker info: %v", err)
	}
	switch arch := info.Info.Architecture; arch {
	case "x86_64", "amd64":
		return "amd64"
	case "aarch64", "arm64":
		return "arm64"
	default:
		return arch
	}
}

// BuildRefserverImage builds the reference server's image as make image
// does, from the repository at root (its Dockerfile and default fixtures) and
// a freshly built static binary, tags it tag, and removes it at the end.
func BuildRefserverImage(tb testing.TB, root, tag string) {
	tb.Helper()
	dir := tb.TempDir()
	for _, sub := range []string{"bin/data", "fixtures"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	for _, f := range []string{"Dockerfile", "fixtures/default.yaml"} {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	GoBuild(tb, "github.com/morcheck/morcheck/cmd/refserver", filepath.Join(dir, "bin"), "refserver")
	BuildImage(tb, dir, tag)
}

// BuildFakeTargetImage builds internal/container/testdata/faketarget, a
// program that never answers, exits, or answers 503 as FAKE_MODE says, as a
// FROM scratch image tagged tag, removed at the end of the test.
func BuildFakeTargetImage(tb testing.TB, tag string) {
	tb.Helper()
	dir := tb.TempDir()
	GoBuild(tb, "github.com/morcheck/morcheck/internal/container/testdata/faketarget", dir, "faketarget")
	dockerfile := "FROM scratch\nCOPY faketarget /faketarget\nUSER 65532:65532\nEXPOSE 8080\nENTRYPOINT [\"/faketarget\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		tb.Fatal(err)
	}
	BuildImage(tb, dir, tag)
}

// BuildImage builds the Dockerfile in dir, with dir as the whole build
// context, tags it tag, and removes the image at the end of the test. It
// uses the engine's classic builder, which needs no registry: a Dockerfile
// FROM scratch builds offline.
func BuildImage(tb testing.TB, dir, tag string) {
	tb.Helper()
	var buf bytes.Buffer
	if err := tarDir(&buf, dir); err != nil {
		tb.Fatalf("build context %s: %v", dir, err)
	}
	cli := Client(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := cli.ImageBuild(ctx, &buf, client.ImageBuildOptions{
		Tags:        []string{tag},
		Remove:      true,
		ForceRemove: true,
		Version:     build.BuilderV1,
	})
	if err != nil {
		tb.Fatalf("docker build %s: %v", tag, err)
	}
	defer res.Body.Close()
	out, err := buildOutput(res.Body)
	if err != nil {
		tb.Fatalf("docker build %s: %v\n%s", tag, err, out)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := cli.ImageRemove(ctx, tag, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil {
			tb.Errorf("remove image %s: %v", tag, err)
		}
	})
}

// buildOutput reads the build's JSON message stream and returns its text
// and the first error it reports.
func buildOutput(r io.Reader) (string, error) {
	var text strings.Builder
	dec := json.NewDecoder(r)
	for {
		var msg struct {
			Stream string `json:"stream"`
			Error  string `json:"error"`
		}
		if err := dec.Decode(&msg); errors.Is(err, io.EOF) {
			return text.String(), nil
		} else if err != nil {
			return text.String(), err
		}
		text.WriteString(msg.Stream)
		if msg.Error != "" {
			return text.String(), errors.New(msg.Error)
		}
	}
}

// tarDir writes dir as a tar stream, directories included (an empty one is
// a valid COPY source), owned by root as docker build sends them.
func tarDir(w io.Writer, dir string) error {
	tw := tar.NewWriter(w)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || rel == "." {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return fmt.Errorf("%s: only files and directories belong in a build context", path)
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(rel)
		if info.IsDir() {
			hdr.Name += "/"
		}
		hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(tw, f)
		return err
	})
	if err != nil {
		return err
	}
	return tw.Close()
}

// Containers returns the ids of every container, running or not, started
// from image by this kit (it carries container.Label).
func Containers(ctx context.Context, cli *client.Client, image string) ([]string, error) {
	res, err := cli.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", container.Label+"="+image),
	})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, c := range res.Items {
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// NoContainersLeft checks, at the end of the test, that no container of
// image remains (as docker ps -a --filter label=org.morcheck.target=image
// would show), and removes any it finds so one failure does not leak into
// the next run.
func NoContainersLeft(tb testing.TB, image string) {
	tb.Helper()
	cli := Client(tb)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		ids, err := Containers(ctx, cli, image)
		if err != nil {
			tb.Errorf("list containers of %s: %v", image, err)
			return
		}
		for _, id := range ids {
			tb.Errorf("container %.12s of %s is left after the test; removing it", id, image)
			_, _ = cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		}
	})
}
