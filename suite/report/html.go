package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"
)

//go:embed report.html.tmpl
var htmlTemplate string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"join":     strings.Join,
	"required": func(s *Summary, sc Scenario) bool { return sc.Required(s.Require) },
	"failure":  func(sc Scenario) Step { st, _ := sc.Failure(); return st },
	"when":     func(s *Summary) string { return s.Started.UTC().Format("2006-01-02 15:04:05 MST") },
	"took":     func(s *Summary) string { return s.Duration.Round(1e6).String() },
	"orAll":    orAll,
	"yesNo":    yesNo,
	"total":    func(c TagCount) int { return c.Passed + c.Failed + c.Skipped + c.Others },
	"plural": func(n int, word string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, word)
		}
		return fmt.Sprintf("%d %ss", n, word)
	},
}).Parse(htmlTemplate))

// HTML renders the summary as one self-contained page: no script, no
// external stylesheet, font or image, so it opens anywhere and can be mailed.
func (s *Summary) HTML() ([]byte, error) {
	var b bytes.Buffer
	if err := page.Execute(&b, s); err != nil {
		return nil, fmt.Errorf("render report.html: %w", err)
	}
	return b.Bytes(), nil
}
