// Command morcheck checks that a billing server's /api/cli_add behaves as the
// MOR API documents it.
//
//	morcheck run [--target URL | --image NAME:TAG] [--profile FILE] [--tags EXPR] [--concurrency N] [--reports DIR] [--require inferred,compat] [--strict]
//	morcheck hash -key KEY name=value ...
//
// The features are embedded, so the binary needs no source tree. Without a
// target, run starts the embedded reference server on a loopback port and
// runs the suite against it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/internal/container"
	"github.com/morcheck/morcheck/internal/localtarget"
	"github.com/morcheck/morcheck/suite"
)

func main() {
	tclog.SetDefault(tclog.NewNoopLogger()) // morcheck says itself what it starts
	// testcontainers' reaper is an image pulled from a registry, which many
	// CI machines cannot reach; morcheck removes its containers itself (also
	// on SIGINT and SIGTERM), so the reaper is off unless asked for.
	if _, set := os.LookupEnv("TESTCONTAINERS_RYUK_DISABLED"); !set {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `usage:
  morcheck run [--target URL | --image NAME:TAG] [--profile FILE] [--tags EXPR] [--concurrency N]
               [--reports DIR] [--require inferred,compat] [--strict] [--format F]
  morcheck hash -key KEY name=value ...

run   runs the cli_add suite against a URL, a container image, or (by default) the embedded reference server
hash  prints the string a cli_add request hashes and its SHA1
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "run":
		return runCmd(ctx, args[1:], stdout, stderr)
	case "hash":
		return hashCmd(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "morcheck: unknown command %q\n%s", args[0], usage)
		return 2
	}
}

// runCmd parses flags (each defaulting to its environment variable), loads
// the profile, finds or starts the target and runs the suite.
func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("morcheck run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("target", os.Getenv("TARGET_URL"), "base URL of the target, up to and including /billing ($TARGET_URL); empty starts the embedded reference server")
	image := fs.String("image", os.Getenv("TARGET_IMAGE"), "a container image to start and run against ($TARGET_IMAGE; with $TARGET_PORT, $TARGET_ENV, $TARGET_STARTUP_TIMEOUT)")
	profilePath := fs.String("profile", os.Getenv("TARGET_PROFILE"), "the target's profile YAML ($TARGET_PROFILE); empty uses the embedded fixtures/default.yaml")
	tags := fs.String("tags", os.Getenv("TAGS"), "godog tag expression selecting scenarios ($TAGS), e.g. '@documented'")
	defaultConcurrency, err := envInt("CONCURRENCY", 4)
	if err != nil {
		fmt.Fprintf(stderr, "morcheck run: %v\n", err)
		return 2
	}
	concurrency := fs.Int("concurrency", defaultConcurrency, "scenarios run at once ($CONCURRENCY)")
	format := fs.String("format", envOr("FORMAT", suite.ConsoleFormat), "console format: morcheck (a line per scenario), progress, pretty ($FORMAT)")
	reports := fs.String("reports", envOr("REPORTS_DIR", "reports"), "directory for junit.xml, cucumber.json, summary.md, report.html ($REPORTS_DIR)")
	require := fs.String("require", os.Getenv("REQUIRE"), "optional tags whose failures also fail the run: inferred,compat ($REQUIRE)")
	strict := fs.Bool("strict", os.Getenv("STRICT") == "1", "fail the run on any pending, undefined or skipped step ($STRICT=1)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *concurrency < 1 {
		fmt.Fprintf(stderr, "morcheck run: --concurrency %d is not a positive number\n", *concurrency)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "morcheck run: unexpected argument %q\n", fs.Arg(0))
		return 2
	}

	required, err := parseRequire(*require)
	if err != nil {
		fmt.Fprintf(stderr, "morcheck run: %v\n", err)
		return 2
	}
	profile, profileName := fixtures.Default(), fixtures.DefaultName
	if *profilePath != "" {
		p, err := fixtures.Load(*profilePath)
		if err != nil {
			fmt.Fprintf(stderr, "morcheck: cannot run: profile: %v\n", err)
			return suite.CannotStart
		}
		profile, profileName = p, *profilePath
	}

	url := *target
	switch {
	case url != "" && *image != "":
		fmt.Fprintln(stderr, "morcheck run: give --target or --image, not both")
		return 2
	case *image != "":
		started, err := startImage(ctx, *image, stdout)
		if err != nil {
			fmt.Fprintf(stderr, "morcheck: cannot run: %v\n", err)
			return suite.CannotStart
		}
		defer func() {
			if err := started.Close(context.WithoutCancel(ctx)); err != nil {
				fmt.Fprintf(stderr, "morcheck: remove container: %v\n", err)
			}
		}()
		url = started.URL
	case url == "":
		local, err := localtarget.Start(profile)
		if err != nil {
			fmt.Fprintf(stderr, "morcheck: cannot run: start the reference server: %v\n", err)
			return suite.CannotStart
		}
		defer local.Close()
		url = local.URL
		fmt.Fprintf(stdout, "morcheck: no target given; running against the embedded reference server at %s\n", url)
	}

	res, err := suite.Run(ctx, suite.Config{
		TargetURL:   url,
		Profile:     profile,
		ProfileName: profileName,
		Tags:        *tags,
		Require:     required,
		ReportsDir:  *reports,
		Concurrency: *concurrency,
		Format:      *format,
		Strict:      *strict,
		NoColors:    !isTerminal(stdout),
		Output:      stdout,
	})
	if err != nil {
		fmt.Fprintf(stderr, "morcheck: %v\n", err)
	}
	return res.Code
}

// startImage starts a container of image (settings from TARGET_PORT,
// TARGET_ENV, TARGET_STARTUP_TIMEOUT) and waits until it answers.
func startImage(ctx context.Context, image string, stdout io.Writer) (*container.Target, error) {
	cfg, _, err := container.ConfigFromEnv(func(name string) string {
		if name == "TARGET_IMAGE" {
			return image
		}
		return os.Getenv(name)
	})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "morcheck: starting %s …\n", image)
	t, err := container.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "morcheck: %s answers at %s after %s\n", image, t.URL, t.Ready.Round(time.Millisecond))
	return t, nil
}

// parseRequire reads "inferred,compat" (with or without @) as tags.
func parseRequire(list string) ([]string, error) {
	var tags []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimPrefix(strings.TrimSpace(name), "@")
		switch name {
		case "":
		case "inferred", "compat":
			tags = append(tags, "@"+name)
		default:
			return nil, fmt.Errorf("--require %q: only inferred and compat can be required (documented, errata and robustness always are)", name)
		}
	}
	return tags, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// envInt reads a positive integer from the environment, def when unset.
func envInt(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("$%s=%q is not a positive number", name, v)
	}
	return n, nil
}

// isTerminal reports whether w is a character device, where colours help.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
