package report

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The parts of godog's cucumber JSON report that a summary needs.
type cukeFeature struct {
	URI      string        `json:"uri"`
	Elements []cukeElement `json:"elements"`
}

type cukeElement struct {
	Name string `json:"name"`
	Line int    `json:"line"`
	Type string `json:"type"`
	Tags []struct {
		Name string `json:"name"`
	} `json:"tags"`
	Steps []struct {
		Keyword string `json:"keyword"`
		Name    string `json:"name"`
		Result  struct {
			Status string `json:"status"`
			Error  string `json:"error_message"`
		} `json:"result"`
	} `json:"steps"`
}

// ParseCucumber reads the scenarios of a cucumber JSON report, as godog's
// cucumber formatter writes it. A scenario's status is its worst step's.
func ParseCucumber(data []byte) ([]Scenario, error) {
	var features []cukeFeature
	if err := json.Unmarshal(data, &features); err != nil {
		return nil, fmt.Errorf("read cucumber report: %w", err)
	}
	var out []Scenario
	for _, f := range features {
		for _, e := range f.Elements {
			if e.Type != "" && e.Type != "scenario" {
				continue
			}
			sc := Scenario{Name: e.Name, Location: fmt.Sprintf("%s:%d", f.URI, e.Line), Status: Passed}
			for _, t := range e.Tags {
				sc.Tags = append(sc.Tags, t.Name)
			}
			for _, st := range e.Steps {
				step := Step{Text: strings.TrimSpace(st.Keyword) + " " + st.Name, Status: Status(st.Result.Status), Error: st.Result.Error}
				sc.Steps = append(sc.Steps, step)
				if Worse(step.Status, sc.Status) {
					sc.Status = step.Status
				}
			}
			if len(sc.Steps) == 0 {
				sc.Status = Undefined
			}
			out = append(out, sc)
		}
	}
	return out, nil
}

// severity orders statuses: a scenario takes its worst step's.
var severity = map[Status]int{Passed: 0, Skipped: 1, Pending: 2, Undefined: 3, Ambiguous: 4, Failed: 5}

// Worse reports whether status a is worse than b, so a scenario takes its
// worst step's status: a skipped step after a failure does not hide the
// failure, and one after a pass marks the scenario skipped.
func Worse(a, b Status) bool { return severity[a] > severity[b] }
