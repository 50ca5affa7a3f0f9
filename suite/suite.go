// Package suite runs the cli_add features against one target and says
// whether it conforms. Both the morcheck command and the go test entry point
// call Run, so a vendor's run and CI's run take the same path.
package suite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cucumber/godog"

	"github.com/morcheck/morcheck/features"
	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/steps"
	"github.com/morcheck/morcheck/suite/report"
)

// Exit codes of a run.
const (
	Conforms    = 0 // every required scenario passed
	Failed      = 1 // a required scenario failed, or a documented message went unexercised
	CannotStart = 2 // the run could not proceed: bad profile, unreachable target, no scenario selected
)

// The files a run writes into its reports directory.
const (
	JUnitFile    = "junit.xml"
	CucumberFile = "cucumber.json"
	SummaryFile  = "summary.md"
	HTMLFile     = "report.html"
)

// Config says what to run against what. It is a value handed to Run; the
// commands fill it from flags and environment variables.
type Config struct {
	TargetURL   string            // base URL up to and including /billing
	Profile     *fixtures.Profile // the target's world; fixtures.Default() when nil
	ProfileName string            // how reports name the profile; fixtures.DefaultName when ""
	Tags        string            // godog tag expression, e.g. "@documented"; "" runs all
	Require     []string          // optional tags whose failures fail the run: "@inferred", "@compat"
	Concurrency int               // scenarios run at once; 1 when < 1
	Format      string            // console format: ConsoleFormat when "", or a godog one ("progress", "pretty")
	Strict      bool              // skipped, pending or undefined steps fail the run
	NoColors    bool              // plain console output, for files and pipes
	Output      io.Writer         // console; os.Stdout when nil
	ReportsDir  string            // where the report files go; "" writes none (the summary is still printed)
}

// Result is the outcome of a run.
type Result struct {
	Code    int             // Conforms, Failed or CannotStart
	Summary *report.Summary // nil when the run could not start
}

// ErrCannotStart marks errors that stop a run before any scenario ran.
var ErrCannotStart = errors.New("the run cannot proceed")

func cannotStart(format string, args ...any) (Result, error) {
	return Result{Code: CannotStart}, fmt.Errorf("%w: %s", ErrCannotStart, fmt.Sprintf(format, args...))
}

// Run checks the target answers, runs every selected scenario against it,
// writes the reports, prints the summary and returns the verdict. A returned
// error wraps ErrCannotStart and comes with Code CannotStart.
func Run(ctx context.Context, cfg Config) (Result, error) {
	cfg = withDefaults(cfg)
	for _, tag := range cfg.Require {
		if !slices.Contains(report.Optional, tag) {
			return cannotStart("cannot require %q: only %v are optional", tag, report.Optional)
		}
	}
	if cfg.TargetURL == "" {
		return cannotStart("no target URL")
	}
	redact := report.NewRedactor(secrets(cfg)...)
	console := redact.Writer(cfg.Output)
	defer console.Flush()

	client := steps.NewClient(cfg.TargetURL)
	if err := Reachable(ctx, client); err != nil {
		return cannotStart("%s", redact.String(err.Error()))
	}

	dir := cfg.ReportsDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "morcheck-run-")
		if err != nil {
			return cannotStart("temporary directory: %v", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return cannotStart("reports directory: %v", err)
	}
	junitPath, cukePath := filepath.Join(dir, JUnitFile), filepath.Join(dir, CucumberFile)

	selected, err := countSelected(ctx, cfg)
	if err != nil {
		return cannotStart("%v", err)
	}
	if selected == 0 {
		return cannotStart("the tag expression %q selects no scenario", cfg.Tags)
	}
	fmt.Fprintf(console, "morcheck: %d scenarios against %s, %d at a time\n", selected, shownURL(cfg.TargetURL), cfg.Concurrency)

	diagnosis := steps.NewHashDiagnosis()
	target := steps.Target{BaseURL: cfg.TargetURL, Profile: cfg.Profile, Client: client, Diagnosis: diagnosis}
	initialize := steps.Initializer(target)
	s := godog.TestSuite{
		Name: "cli_add",
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			initialize(sc)
			// Hide secrets in a failure before any formatter renders it.
			sc.StepContext().After(func(ctx context.Context, _ *godog.Step, _ godog.StepResultStatus, err error) (context.Context, error) {
				if err != nil {
					err = redactedError{err, redact}
				}
				return ctx, err
			})
		},
		Options: &godog.Options{
			Format:         fmt.Sprintf("%s,junit:%s,cucumber:%s", cfg.Format, junitPath, cukePath),
			Output:         console,
			FS:             features.FS,
			Paths:          []string{"cli_add"},
			Tags:           cfg.Tags,
			Concurrency:    cfg.Concurrency,
			Strict:         cfg.Strict,
			NoColors:       cfg.NoColors,
			DefaultContext: ctx,
		},
	}
	started := time.Now()
	status := s.Run()
	took := time.Since(started)
	if status != 0 && status != 1 {
		return cannotStart("godog could not run the features (status %d): is the tag expression %q valid?", status, cfg.Tags)
	}

	for _, path := range []string{junitPath, cukePath} {
		if err := redactFile(redact, path); err != nil {
			return cannotStart("%v", err)
		}
	}
	cuke, err := os.ReadFile(cukePath)
	if err != nil {
		return cannotStart("read the run's results: %v", err)
	}
	scenarios, err := report.ParseCucumber(cuke)
	if err != nil {
		return cannotStart("%v", err)
	}
	summary := report.Build(scenarios, report.Options{
		Target:    shownURL(cfg.TargetURL),
		Profile:   cfg.ProfileName,
		Tags:      cfg.Tags,
		Require:   cfg.Require,
		Strict:    cfg.Strict,
		Started:   started,
		Duration:  took,
		Messages:  documentedMessages(),
		Diagnosis: redact.String(diagnosis.Report()),
	})
	if cfg.ReportsDir != "" {
		if err := writeReports(cfg.ReportsDir, summary, redact); err != nil {
			return cannotStart("%v", err)
		}
	}
	fmt.Fprintf(console, "\n%s", summary.Markdown())
	if cfg.ReportsDir != "" {
		fmt.Fprintf(console, "\nreports: %s/{%s,%s,%s,%s}\n", cfg.ReportsDir, SummaryFile, HTMLFile, JUnitFile, CucumberFile)
	}
	code := Conforms
	if !summary.Conforms {
		code = Failed
	}
	return Result{Code: code, Summary: summary}, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Profile == nil {
		cfg.Profile = fixtures.Default()
	}
	if cfg.ProfileName == "" {
		cfg.ProfileName = fixtures.DefaultName
	}
	if cfg.Output == nil {
		cfg.Output = os.Stdout
	}
	if cfg.Format == "" {
		cfg.Format = ConsoleFormat
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	return cfg
}

// countSelected counts the scenarios the tag expression selects, with a
// godog pass that skips every scenario before its first step: nothing is sent.
func countSelected(ctx context.Context, cfg Config) (int, error) {
	var n atomic.Int64
	initialize := steps.Initializer(steps.Target{BaseURL: cfg.TargetURL, Profile: cfg.Profile})
	s := godog.TestSuite{
		Name: "cli_add",
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			initialize(sc)
			sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
				n.Add(1)
				return ctx, godog.ErrSkip
			})
		},
		Options: &godog.Options{Format: "progress", Output: io.Discard, FS: features.FS, Paths: []string{"cli_add"}, Tags: cfg.Tags, DefaultContext: ctx},
	}
	if status := s.Run(); status > 1 {
		return 0, fmt.Errorf("godog could not read the features (status %d): is the tag expression %q valid?", status, cfg.Tags)
	}
	return int(n.Load()), nil
}

// redactedError shows an error's text with secrets hidden, and keeps the
// error itself for errors.Is (godog tells skipped and pending steps apart so).
type redactedError struct {
	err    error
	redact *report.Redactor
}

func (e redactedError) Error() string { return e.redact.String(e.err.Error()) }
func (e redactedError) Unwrap() error { return e.err }

// shownURL is the target's URL as outputs show it: a password in it is
// masked.
func shownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
}

// secrets lists what no output may show: every password and API key of the
// profile, and a password in the target's URL.
func secrets(cfg Config) []string {
	var plain []string
	for _, a := range cfg.Profile.Accounts {
		plain = append(plain, a.Password, a.SecretKey)
	}
	if u, err := url.Parse(cfg.TargetURL); err == nil {
		if pw, ok := u.User.Password(); ok {
			plain = append(plain, pw)
		}
	}
	// Also as they appear inside a URL, XML or HTML, or a JSON string.
	var out []string
	for _, s := range plain {
		quoted, _ := json.Marshal(s)
		goQuoted := strconv.Quote(s)
		out = append(out, s, url.QueryEscape(s), url.PathEscape(s), html.EscapeString(s),
			string(quoted[1:len(quoted)-1]), goQuoted[1:len(goQuoted)-1])
	}
	return out
}

func documentedMessages() []report.Message {
	out := make([]report.Message, len(steps.DocumentedMessages))
	for i, m := range steps.DocumentedMessages {
		out[i] = report.Message{Text: m.Text, Matches: m.QuotedIn}
	}
	return out
}

// redactFile rewrites a report godog wrote, hiding secrets.
func redactFile(r *report.Redactor, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if clean := r.String(string(data)); clean != string(data) {
		return os.WriteFile(path, []byte(clean), 0o644)
	}
	return nil
}

// writeReports writes summary.md and report.html, secrets hidden.
func writeReports(dir string, s *report.Summary, redact *report.Redactor) error {
	html, err := s.HTML()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, SummaryFile), []byte(redact.String(s.Markdown())), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", SummaryFile, err)
	}
	if err := os.WriteFile(filepath.Join(dir, HTMLFile), []byte(redact.String(string(html))), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", HTMLFile, err)
	}
	return nil
}

// Reachable sends one empty POST to the target's cli_add and succeeds on any
// HTTP answer: whether the answer is right is for the scenarios to say.
func Reachable(ctx context.Context, c *steps.Client) error {
	resp, err := c.Do(ctx, steps.Request{})
	if err != nil {
		return fmt.Errorf("target unreachable: %w", err)
	}
	if resp.HTTPStatus == 404 && resp.Problem != nil {
		return fmt.Errorf("target answers %s with HTTP 404 and no XML page: is the URL the base up to and including /billing?", c.Endpoint)
	}
	return nil
}
