package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCucumber(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "cucumber.json"))
	require.NoError(t, err)
	scs, err := ParseCucumber(data)
	require.NoError(t, err)
	require.Len(t, scs, 3)

	assert.Equal(t, "An unknown user is denied", scs[0].Name)
	assert.Equal(t, "cli_add/errors.feature:56", scs[0].Location)
	assert.Equal(t, []string{"@documented"}, scs[0].Tags)
	assert.Equal(t, Passed, scs[0].Status)
	assert.Equal(t, `Then the answer is the error "Access Denied"`, scs[0].Steps[2].Text)

	assert.Equal(t, Failed, scs[1].Status, "a failed step fails the scenario, later skipped steps do not hide it")
	step, ok := scs[1].Failure()
	require.True(t, ok)
	assert.Contains(t, step.Error, `expected the error "Device was not found"`)

	assert.Equal(t, Skipped, scs[2].Status)
	_, ok = scs[2].Failure()
	assert.False(t, ok)

	_, err = ParseCucumber([]byte("{not json"))
	assert.ErrorContains(t, err, "read cucumber report")
}

func scenario(name string, status Status, tags []string, steps ...string) Scenario {
	sc := Scenario{Name: name, Location: "x.feature:1", Tags: tags, Status: status}
	for _, s := range steps {
		st := Step{Text: s, Status: status}
		if status == Failed {
			st.Error = "expected something else"
		}
		sc.Steps = append(sc.Steps, st)
	}
	return sc
}

var messages = []Message{
	{Text: "Access Denied", Matches: func(s string) bool { return strings.Contains(s, `"Access Denied"`) }},
	{Text: "Incorrect hash", Matches: func(s string) bool { return strings.Contains(s, `"Incorrect hash"`) }},
}

func TestVerdicts(t *testing.T) {
	denied := `Then the answer is the error "Access Denied"`
	hash := `Then the answer is the error "Incorrect hash"`
	doc := []string{"@documented"}
	cases := []struct {
		name      string
		scenarios []Scenario
		opts      Options
		conforms  bool
		reason    string
	}{
		{"all passed", []Scenario{scenario("a", Passed, doc, denied), scenario("b", Passed, doc, hash)}, Options{}, true, ""},
		{"a documented failure", []Scenario{scenario("a", Failed, doc, denied), scenario("b", Passed, doc, hash)}, Options{}, false, "1 required scenario(s) failed"},
		{"an inferred failure is reported only", []Scenario{scenario("a", Passed, doc, denied), scenario("b", Passed, doc, hash), scenario("c", Failed, []string{"@inferred"}, denied)}, Options{}, true, ""},
		{"an inferred failure when required", []Scenario{scenario("a", Passed, doc, denied), scenario("b", Passed, doc, hash), scenario("c", Failed, []string{"@inferred"}, denied)}, Options{Require: []string{"@inferred"}}, false, "1 required scenario(s) failed"},
		{"a compat failure is reported only", []Scenario{scenario("a", Passed, doc, denied), scenario("b", Passed, doc, hash), scenario("c", Failed, []string{"@compat"}, "x")}, Options{Require: []string{"@inferred"}}, true, ""},
		{"a skipped scenario", []Scenario{scenario("a", Passed, doc, denied), scenario("b", Passed, doc, hash), scenario("c", Skipped, doc, hash)}, Options{}, true, ""},
		{"a skipped scenario under strict", []Scenario{scenario("a", Passed, doc, denied), scenario("b", Passed, doc, hash), scenario("c", Skipped, doc, hash)}, Options{Strict: true}, false, "strict: 1 scenario(s) skipped"},
		{"a message only skipped scenarios expect", []Scenario{scenario("a", Passed, doc, denied), scenario("b", Skipped, doc, hash)}, Options{}, false, `no scenario exercised the documented message "Incorrect hash"`},
		{"an unexercised message", []Scenario{scenario("a", Passed, doc, denied)}, Options{}, false, `no scenario exercised the documented message "Incorrect hash"`},
		{"no documented scenario selected", []Scenario{scenario("c", Passed, []string{"@compat"}, "x")}, Options{}, true, ""},
		{"nothing ran", nil, Options{}, false, "no scenario ran"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Messages = messages
			s := Build(tc.scenarios, tc.opts)
			assert.Equal(t, tc.conforms, s.Conforms, "reasons: %v", s.Reasons)
			if tc.reason != "" {
				assert.Contains(t, strings.Join(s.Reasons, "\n"), tc.reason)
				assert.Contains(t, s.Verdict(), "DOES NOT CONFORM")
			} else {
				assert.Contains(t, s.Verdict(), "CONFORMS")
			}
		})
	}
}

func TestTablesCountByTagAndCoverMessages(t *testing.T) {
	s := Build([]Scenario{
		scenario("a", Passed, []string{"@documented"}, `Then the answer is the error "Access Denied"`),
		scenario("b", Failed, []string{"@documented"}, `Then the answer is the error "Access Denied"`),
		scenario("c", Skipped, []string{"@documented"}, `Then the answer is the error "Incorrect hash"`),
		scenario("d", Failed, []string{"@inferred"}, `Then the answer is the error "Incorrect hash"`),
		scenario("e", Passed, nil, "Then something else"),
	}, Options{Messages: messages})

	byTag := map[string]TagCount{}
	for _, c := range s.ByTag {
		byTag[c.Tag] = c
	}
	assert.Equal(t, TagCount{Tag: "@documented", Passed: 1, Failed: 1, Skipped: 1, Required: true}, byTag["@documented"])
	assert.Equal(t, TagCount{Tag: "@inferred", Failed: 1}, byTag["@inferred"])
	assert.Equal(t, TagCount{Tag: "(untagged)", Passed: 1, Required: true}, byTag["(untagged)"])

	require.Len(t, s.Coverage, 2)
	assert.Equal(t, Failed, s.Coverage[0].Verdict, "Access Denied: a required scenario expecting it failed")
	assert.Len(t, s.Coverage[0].Scenarios, 2)
	assert.Equal(t, NotExercised, s.Coverage[1].Verdict, "Incorrect hash: skipped and an optional failure are no proof")

	fails := s.Failures()
	require.Len(t, fails, 2)
	assert.Equal(t, "b", fails[0].Name, "required failures first")
	assert.Equal(t, "d", fails[1].Name)
}

func TestMarkdownAndHTML(t *testing.T) {
	s := Build([]Scenario{
		scenario("A wrong password is denied", Passed, []string{"@documented"}, `Then the answer is the error "Access Denied"`),
		scenario("A bad <hash> & more", Failed, []string{"@documented"}, `Then the answer is the error "Incorrect hash"`),
	}, Options{Target: "http://127.0.0.1:1/billing", Profile: "vendor.yaml", Messages: messages,
		Started: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), Duration: 1500 * time.Millisecond, Diagnosis: "the target accepts: key first"})

	md := s.Markdown()
	assert.Contains(t, md, "# morcheck: DOES NOT CONFORM: 1 required scenario(s) failed")
	assert.Contains(t, md, "| @documented | 1 | 1 | 0 | 0 | yes |")
	assert.Contains(t, md, "| `Access Denied` | passed | A wrong password is denied (passed) |")
	assert.Contains(t, md, "| `Incorrect hash` | failed | A bad <hash> & more (failed) |")
	assert.Contains(t, md, "## Hash diagnosis")
	assert.Contains(t, md, "### A bad <hash> & more\n\nx.feature:1 · @documented · fails the run")
	assert.Contains(t, md, "- run: 2026-12-04 10:00:00 UTC, 1.5s")

	html, err := s.HTML()
	require.NoError(t, err)
	page := string(html)
	assert.Contains(t, page, `<div class="verdict fail" id="verdict">DOES NOT CONFORM`)
	assert.Contains(t, page, "A bad &lt;hash&gt; &amp; more", "scenario text is escaped")
	assert.Contains(t, page, `<pre id="diagnosis">the target accepts: key first</pre>`)
	assert.Contains(t, page, "<code>@documented</code></td><td class=\"n\">1</td><td class=\"n\">1</td>")
	for _, external := range []string{"<script", "src=", "href=", "@import", "url("} {
		assert.NotContains(t, page, external, "report.html is self-contained")
	}
}

func TestLongScenarioListsNameOnlyWhatDidNotPass(t *testing.T) {
	var scs []Scenario
	for i := range 8 {
		scs = append(scs, scenario(fmt.Sprintf("s%d", i), Passed, []string{"@documented"}))
	}
	assert.Equal(t, "8 scenarios, all passed", scenarioList(scs))
	scs[3].Status = Failed
	assert.Equal(t, "s3 (failed); 7 more passed", scenarioList(scs))
	assert.Equal(t, "s0 (passed); s1 (passed)", scenarioList(scs[:2]))
	assert.Equal(t, "none", scenarioList(nil))
}

func TestRedactor(t *testing.T) {
	r := NewRedactor("admin1", "", "admin1-long", "456789")
	assert.Equal(t, "p=REDACTED&q=REDACTED key REDACTED", r.String("p=admin1&q=admin1-long key 456789"))
	assert.Equal(t, "nothing", NewRedactor().String("nothing"))

	var out bytes.Buffer
	w := r.Writer(&out)
	for _, chunk := range []string{"first line with adm", "in1 split\nsecond 4567", "89 tail"} {
		_, err := w.Write([]byte(chunk))
		require.NoError(t, err)
	}
	require.NoError(t, w.Flush())
	assert.Equal(t, "first line with REDACTED split\nsecond REDACTED tail", out.String())
}
