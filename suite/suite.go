// Package suite runs the cli_add features against one target and says
// whether it conforms. Both the morcheck command and the go test entry point
// call Run, so a vendor's run and CI's run take the same path.
package suite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cucumber/godog"

	"github.com/morcheck/morcheck/features"
	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/steps"
)

// Exit codes of a run.
const (
	Conforms    = 0 // every selected scenario passed
	Failed      = 1 // some scenario failed
	CannotStart = 2 // the run could not proceed: bad profile, unreachable target
)

// Config says what to run against what. It is a value handed to Run; the
// commands fill it from flags and environment variables.
type Config struct {
	TargetURL   string            // base URL up to and including /billing
	Profile     *fixtures.Profile // the target's world; fixtures.Default() when nil
	Tags        string            // godog tag expression, e.g. "@documented"; "" runs all
	Concurrency int               // scenarios run at once; 1 when < 1
	Format      string            // godog formatter for the console; "progress" when ""
	Strict      bool              // fail on pending, undefined or skipped steps
	NoColors    bool              // plain console output, for files and pipes
	Output      io.Writer         // console; os.Stdout when nil
}

// Result is the outcome of a run.
type Result struct {
	Code int // Conforms, Failed or CannotStart
}

// ErrCannotStart marks errors that stop a run before any scenario ran.
var ErrCannotStart = errors.New("the run cannot proceed")

// Run checks the target answers, then runs every selected scenario against
// it. A returned error wraps ErrCannotStart and comes with Code CannotStart.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Profile == nil {
		cfg.Profile = fixtures.Default()
	}
	if cfg.Output == nil {
		cfg.Output = os.Stdout
	}
	if cfg.Format == "" {
		cfg.Format = "progress"
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = 1
	}
	if cfg.TargetURL == "" {
		return Result{Code: CannotStart}, fmt.Errorf("%w: no target URL", ErrCannotStart)
	}
	client := steps.NewClient(cfg.TargetURL)
	if err := Reachable(ctx, client); err != nil {
		return Result{Code: CannotStart}, fmt.Errorf("%w: %w", ErrCannotStart, err)
	}

	target := steps.Target{BaseURL: cfg.TargetURL, Profile: cfg.Profile, Client: client}
	s := godog.TestSuite{
		Name:                "cli_add",
		ScenarioInitializer: steps.Initializer(target),
		Options: &godog.Options{
			Format:         cfg.Format,
			Output:         cfg.Output,
			FS:             features.FS,
			Paths:          []string{"cli_add"},
			Tags:           cfg.Tags,
			Concurrency:    cfg.Concurrency,
			Strict:         cfg.Strict,
			NoColors:       cfg.NoColors,
			DefaultContext: ctx,
		},
	}
	switch code := s.Run(); code {
	case 0:
		return Result{Code: Conforms}, nil
	case 1:
		return Result{Code: Failed}, nil
	default:
		return Result{Code: CannotStart}, fmt.Errorf("%w: godog exited with status %d", ErrCannotStart, code)
	}
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
