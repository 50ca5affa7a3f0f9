// Package report turns one run of the suite into verdicts a vendor can hand
// over: a summary by tag, the coverage of every documented message, the
// failures with their requests, as Markdown (summary.md, also printed on the
// console) and as a single self-contained HTML page (report.html).
package report

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Status is the outcome of a scenario or a step, as godog names it.
type Status string

// The outcomes.
const (
	Passed    Status = "passed"
	Failed    Status = "failed"
	Skipped   Status = "skipped"
	Undefined Status = "undefined"
	Pending   Status = "pending"
	Ambiguous Status = "ambiguous"
	// NotExercised is a documented message no scenario of the run expected.
	NotExercised Status = "not exercised"
)

// Tags are the suite's tags, in the order reports list them. Failures of
// Optional tags do not fail a run unless the run requires them.
var (
	Tags     = []string{"@documented", "@errata", "@inferred", "@compat", "@robustness"}
	Optional = []string{"@inferred", "@compat"}
)

// Scenario is one scenario's outcome.
type Scenario struct {
	Name     string
	Location string // feature file and line, e.g. cli_add/errors.feature:7
	Tags     []string
	Status   Status
	Steps    []Step
}

// Step is one step's outcome.
type Step struct {
	Text   string // keyword and text, e.g. `Then the answer is the error "Access Denied"`
	Status Status
	Error  string // the failure message, for a failed step
}

// Failure returns the failed step, if any.
func (s Scenario) Failure() (Step, bool) {
	for _, st := range s.Steps {
		if st.Status == Failed || st.Status == Ambiguous {
			return st, true
		}
	}
	return Step{}, false
}

// Required reports whether a failure of this scenario fails the run.
func (s Scenario) Required(require []string) bool {
	for _, t := range s.Tags {
		if slices.Contains(Optional, t) && !slices.Contains(require, t) {
			return false
		}
	}
	return true
}

// Message is a documented message to cover.
type Message struct {
	Text    string
	Matches func(stepText string) bool // whether a step expects this message
}

// Coverage is which scenarios expected one documented message, and how they
// fared.
type Coverage struct {
	Message   string
	Scenarios []Scenario
	Verdict   Status // Passed, Failed or NotExercised
}

// TagCount counts the scenarios of one tag by outcome.
type TagCount struct {
	Tag                             string
	Passed, Failed, Skipped, Others int
	Required                        bool
}

// Options describe the run a summary is built for.
type Options struct {
	Target    string    // the target's URL
	Profile   string    // the profile's name
	Tags      string    // the tag expression, "" for all
	Require   []string  // optional tags whose failures fail the run, e.g. "@inferred"
	Strict    bool      // skipped, pending or undefined steps fail the run
	Started   time.Time // when the run began
	Duration  time.Duration
	Messages  []Message // the spec's documented messages
	Diagnosis string    // what the hash diagnosis found, "" if it did not run
}

// Summary is the verdict of one run.
type Summary struct {
	Options
	Scenarios []Scenario
	ByTag     []TagCount
	Coverage  []Coverage
	Conforms  bool
	Reasons   []string // why the run does not conform
}

// Build computes the tables and the verdict of a run.
func Build(scenarios []Scenario, opts Options) *Summary {
	s := &Summary{Options: opts, Scenarios: scenarios}
	s.countByTag()
	s.cover()
	s.judge()
	return s
}

func (s *Summary) countByTag() {
	for _, tag := range append(slices.Clone(Tags), "(untagged)") {
		c := TagCount{Tag: tag, Required: !slices.Contains(Optional, tag) || slices.Contains(s.Require, tag)}
		for _, sc := range s.Scenarios {
			known := slices.ContainsFunc(sc.Tags, func(t string) bool { return slices.Contains(Tags, t) })
			if !slices.Contains(sc.Tags, tag) && !(tag == "(untagged)" && !known) {
				continue
			}
			switch sc.Status {
			case Passed:
				c.Passed++
			case Failed, Ambiguous:
				c.Failed++
			case Skipped:
				c.Skipped++
			default:
				c.Others++
			}
		}
		if tag != "(untagged)" || c.Passed+c.Failed+c.Skipped+c.Others > 0 {
			s.ByTag = append(s.ByTag, c)
		}
	}
}

func (s *Summary) cover() {
	for _, m := range s.Messages {
		c := Coverage{Message: m.Text, Verdict: NotExercised}
		for _, sc := range s.Scenarios {
			if !slices.ContainsFunc(sc.Steps, func(st Step) bool { return m.Matches(st.Text) }) {
				continue
			}
			c.Scenarios = append(c.Scenarios, sc)
			switch {
			case (sc.Status == Failed || sc.Status == Ambiguous) && sc.Required(s.Require):
				c.Verdict = Failed
			case sc.Status == Passed && c.Verdict == NotExercised:
				c.Verdict = Passed
			}
		}
		s.Coverage = append(s.Coverage, c)
	}
}

func (s *Summary) judge() {
	var failed, optional, incomplete []string
	documented := false
	for _, sc := range s.Scenarios {
		if slices.Contains(sc.Tags, "@documented") {
			documented = true
		}
		switch sc.Status {
		case Failed, Ambiguous:
			if sc.Required(s.Require) {
				failed = append(failed, sc.Name)
			} else {
				optional = append(optional, sc.Name)
			}
		case Skipped, Undefined, Pending:
			incomplete = append(incomplete, sc.Name)
		}
	}
	if len(s.Scenarios) == 0 {
		s.Reasons = append(s.Reasons, "no scenario ran: the tag expression selects none")
	}
	if len(failed) > 0 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("%d required scenario(s) failed", len(failed)))
	}
	if s.Strict && len(incomplete) > 0 {
		s.Reasons = append(s.Reasons, fmt.Sprintf("strict: %d scenario(s) skipped, pending or undefined", len(incomplete)))
	}
	if documented {
		for _, c := range s.Coverage {
			if c.Verdict == NotExercised {
				s.Reasons = append(s.Reasons, fmt.Sprintf("no scenario exercised the documented message %q", c.Message))
			}
		}
	}
	s.Conforms = len(s.Reasons) == 0
}

// Counts returns how many scenarios ran and how many had each status.
func (s *Summary) Counts() (total int, by map[Status]int) {
	by = map[Status]int{}
	for _, sc := range s.Scenarios {
		by[sc.Status]++
	}
	return len(s.Scenarios), by
}

// Verdict is the one-line verdict.
func (s *Summary) Verdict() string {
	total, by := s.Counts()
	if s.Conforms {
		return fmt.Sprintf("CONFORMS: %d of %d scenarios passed", by[Passed], total)
	}
	return fmt.Sprintf("DOES NOT CONFORM: %s", strings.Join(s.Reasons, "; "))
}

// Failures returns the scenarios that failed, required ones first.
func (s *Summary) Failures() []Scenario {
	var req, opt []Scenario
	for _, sc := range s.Scenarios {
		if sc.Status != Failed && sc.Status != Ambiguous {
			continue
		}
		if sc.Required(s.Require) {
			req = append(req, sc)
		} else {
			opt = append(opt, sc)
		}
	}
	return append(req, opt...)
}
