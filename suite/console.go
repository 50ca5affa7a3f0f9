package suite

import (
	"fmt"
	"io"
	"sync"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/morcheck/morcheck/suite/report"
)

// ConsoleFormat is the name of the suite's own console formatter: one line
// per finished scenario with a running count, then godog's list of failed
// steps and its summary ("N scenarios (N passed)").
const ConsoleFormat = "morcheck"

func init() {
	godog.Format(ConsoleFormat, "a numbered line per scenario, then godog's failures and summary", newConsole)
}

// console is godog's progress formatter with its dots replaced by a line per
// scenario. godog makes one per run.
type console struct {
	*godog.ProgressFmt
	out io.Writer

	mu      sync.Mutex
	done    int
	results map[string]int           // pickle id → steps reported so far
	worst   map[string]report.Status // pickle id → worst step status so far
}

func newConsole(suite string, out io.Writer) formatters.Formatter {
	return &console{
		ProgressFmt: godog.NewProgressFmt(suite, out),
		out:         out,
		results:     map[string]int{},
		worst:       map[string]report.Status{},
	}
}

// step records one step's outcome and prints the scenario's line when its
// last step is in.
func (c *console) step(p *messages.Pickle, status report.Status) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.results[p.Id]++
	if w, ok := c.worst[p.Id]; !ok || report.Worse(status, w) {
		c.worst[p.Id] = status
	}
	if c.results[p.Id] < len(p.Steps) {
		return
	}
	c.done++
	mark := map[report.Status]string{report.Passed: "ok  ", report.Failed: "FAIL", report.Skipped: "skip"}[c.worst[p.Id]]
	if mark == "" {
		mark = string(c.worst[p.Id])
	}
	fmt.Fprintf(c.out, "[%3d] %s  %s  (%s)\n", c.done, mark, p.Name, p.Uri)
}

// The step outcomes; godog's progress dots are not printed.

func (c *console) Passed(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, report.Passed)
}

func (c *console) Skipped(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, report.Skipped)
}

func (c *console) Undefined(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, report.Undefined)
}

func (c *console) Pending(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, report.Pending)
}

func (c *console) Failed(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition, _ error) {
	c.step(p, report.Failed)
}

func (c *console) Ambiguous(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition, _ error) {
	c.step(p, report.Ambiguous)
}
