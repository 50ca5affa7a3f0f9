package suite

import (
	"fmt"
	"io"
	"sync"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v34"
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
	results map[string]int    // pickle id → steps reported so far
	worst   map[string]string // pickle id → worst step status so far
}

func newConsole(suite string, out io.Writer) formatters.Formatter {
	return &console{
		ProgressFmt: godog.NewProgressFmt(suite, out),
		out:         out,
		results:     map[string]int{},
		worst:       map[string]string{},
	}
}

var rank = map[string]int{"passed": 0, "skipped": 1, "pending": 2, "undefined": 3, "ambiguous": 4, "failed": 5}

// step records one step's outcome and prints the scenario's line when its
// last step is in.
func (c *console) step(p *messages.Pickle, status string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.results[p.Id]++
	if w, ok := c.worst[p.Id]; !ok || rank[status] > rank[w] {
		c.worst[p.Id] = status
	}
	if c.results[p.Id] < len(p.Steps) {
		return
	}
	c.done++
	mark := map[string]string{"passed": "ok  ", "failed": "FAIL", "skipped": "skip"}[c.worst[p.Id]]
	if mark == "" {
		mark = c.worst[p.Id]
	}
	fmt.Fprintf(c.out, "[%3d] %s  %s  (%s)\n", c.done, mark, p.Name, p.Uri)
}

// The step outcomes; godog's progress dots are not printed.

func (c *console) Passed(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, "passed")
}

func (c *console) Skipped(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, "skipped")
}

func (c *console) Undefined(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, "undefined")
}

func (c *console) Pending(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.step(p, "pending")
}

func (c *console) Failed(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition, _ error) {
	c.step(p, "failed")
}

func (c *console) Ambiguous(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition, _ error) {
	c.step(p, "ambiguous")
}
