package report

import (
	"fmt"
	"strings"
)

// Markdown renders the summary as summary.md: the verdict, the table by tag,
// the table of documented messages, the hash diagnosis and the failures.
func (s *Summary) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# morcheck: %s\n\n", s.Verdict())
	fmt.Fprintf(&b, "- target: %s\n- profile: %s\n- tags: %s\n- run: %s, %s\n",
		s.Target, s.Profile, orAll(s.Tags), s.Started.UTC().Format("2006-01-02 15:04:05 MST"), s.Duration.Round(1e6))
	if len(s.Require) > 0 {
		fmt.Fprintf(&b, "- required beyond the defaults: %s\n", strings.Join(s.Require, ", "))
	}

	b.WriteString("\n## Scenarios by tag\n\n")
	b.WriteString("| tag | passed | failed | skipped | other | a failure fails the run |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | --- |\n")
	for _, c := range s.ByTag {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %s |\n", c.Tag, c.Passed, c.Failed, c.Skipped, c.Others, yesNo(c.Required))
	}

	b.WriteString("\n## Documented messages\n\n")
	b.WriteString("| message | verdict | scenarios that expected it |\n")
	b.WriteString("| --- | --- | --- |\n")
	for _, c := range s.Coverage {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Message, c.Verdict, scenarioList(c.Scenarios))
	}

	if s.Diagnosis != "" {
		b.WriteString("\n## Hash diagnosis\n\n```\n" + s.Diagnosis + "\n```\n")
	}

	if fails := s.Failures(); len(fails) > 0 {
		b.WriteString("\n## Failures\n")
		for _, sc := range fails {
			req := "fails the run"
			if !sc.Required(s.Require) {
				req = "reported, does not fail the run"
			}
			step, _ := sc.Failure()
			fmt.Fprintf(&b, "\n### %s\n\n%s · %s · %s\n\n```\n%s\n%s\n```\n",
				sc.Name, sc.Location, strings.Join(sc.Tags, " "), req, step.Text, strings.TrimRight(step.Error, "\n"))
		}
	}
	return b.String()
}

// scenarioList names the scenarios of a coverage row; a long list names
// only those that did not pass (report.html lists them all).
func scenarioList(scs []Scenario) string {
	if len(scs) == 0 {
		return "none"
	}
	shown := scs
	if len(scs) > 6 {
		shown = nil
		for _, sc := range scs {
			if sc.Status != Passed {
				shown = append(shown, sc)
			}
		}
	}
	parts := make([]string, 0, len(shown)+1)
	for _, sc := range shown {
		parts = append(parts, fmt.Sprintf("%s (%s)", sc.Name, sc.Status))
	}
	if hidden := len(scs) - len(shown); hidden > 0 {
		parts = append(parts, fmt.Sprintf("%d more passed", hidden))
		if len(shown) == 0 {
			parts = []string{fmt.Sprintf("%d scenarios, all passed", hidden)}
		}
	}
	return strings.ReplaceAll(strings.Join(parts, "; "), "|", `\|`)
}

func orAll(tags string) string {
	if tags == "" {
		return "(all scenarios)"
	}
	return tags
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
