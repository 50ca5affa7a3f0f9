package morcheck_test

// What a run hands over: exit codes, the report files (parsed, not just
// present), redaction, the hash diagnosis, and report.html as a browser
// shows it.

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/fixtures"
	"github.com/morcheck/morcheck/internal/localtarget"
	"github.com/morcheck/morcheck/steps/signing"
	"github.com/morcheck/morcheck/suite"
)

// reportRun runs the suite with reports into a temporary directory.
func reportRun(t *testing.T, cfg suite.Config) (suite.Result, string, string) {
	t.Helper()
	var console bytes.Buffer
	cfg.ReportsDir = filepath.Join(t.TempDir(), "reports")
	cfg.Output = &console
	cfg.NoColors = true
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 4
	}
	res, err := suite.Run(t.Context(), cfg)
	require.NoError(t, err)
	return res, cfg.ReportsDir, console.String()
}

func startLocal(t *testing.T, p *fixtures.Profile) string {
	t.Helper()
	local, err := localtarget.Start(p)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, local.Close()) })
	return local.URL
}

type junitSuites struct {
	Suites []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

type cukeFeatures []struct {
	URI      string `json:"uri"`
	Elements []struct {
		Name string `json:"name"`
	} `json:"elements"`
}

func TestReportsOfAConformingRun(t *testing.T) {
	res, dir, console := reportRun(t, suite.Config{TargetURL: startLocal(t, fixtures.Default())})
	require.Equal(t, suite.Conforms, res.Code, console)
	total, by := res.Summary.Counts()
	assert.Equal(t, total, by["passed"])

	// junit.xml: one test case per scenario, none failed.
	var junit junitSuites
	data, err := os.ReadFile(filepath.Join(dir, suite.JUnitFile))
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(data, &junit))
	cases := 0
	for _, s := range junit.Suites {
		cases += len(s.Cases)
		assert.Zero(t, s.Failures, s.Name)
	}
	assert.Equal(t, total, cases)

	// cucumber.json: every scenario, by feature.
	var cuke cukeFeatures
	data, err = os.ReadFile(filepath.Join(dir, suite.CucumberFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &cuke))
	elements := 0
	for _, f := range cuke {
		assert.True(t, strings.HasPrefix(f.URI, "cli_add/"), f.URI)
		elements += len(f.Elements)
	}
	assert.Equal(t, total, elements)

	// summary.md: the verdict and both tables, and the console shows it too.
	data, err = os.ReadFile(filepath.Join(dir, suite.SummaryFile))
	require.NoError(t, err)
	md := string(data)
	assert.Regexp(t, `^# morcheck: CONFORMS: \d+ of \d+ scenarios passed`, md)
	assert.Regexp(t, `\| @documented \| [1-9]\d* \| 0 \| 0 \| 0 \| yes \|`, md)
	assert.Regexp(t, `\| @inferred \| [1-9]\d* \| 0 \| 0 \| 0 \| no \|`, md)
	for _, msg := range []string{"CLI successfully created", "CLI must be numeric", "CLI already exists. It is assigned to user_name device",
		"CLI Number cannot be empty", "IVR was not found", "Device ID cannot be empty", "Access Denied",
		"You are not authorised to use this functionality", "Incorrect hash"} {
		assert.Contains(t, md, "| `"+msg+"` | passed | ", "every documented message is covered")
	}
	assert.Contains(t, console, md, "the summary is printed at the end of the console output")

	// The console says how many scenarios will run, counts them as they
	// finish, and keeps godog's summary.
	assert.Contains(t, console, fmt.Sprintf("morcheck: %d scenarios against ", total))
	assert.Contains(t, console, "[  1] ok    ")
	assert.Regexp(t, `\[ *\d+\] ok    .+ \(cli_add/\w+\.feature\)`, console)
	assert.Regexp(t, `\d+ scenarios \(\d+ passed\)`, console)

	html, err := os.ReadFile(filepath.Join(dir, suite.HTMLFile))
	require.NoError(t, err)
	assert.Contains(t, string(html), `<div class="verdict pass" id="verdict">CONFORMS`)
}

// keyFirstTarget is a vendor's server that signs with the key prepended: a
// proxy accepts hashes made that way and passes them on to the reference
// server re-signed by the documented rule; every other hash it spoils.
func keyFirstTarget(t *testing.T) string {
	t.Helper()
	p := fixtures.Default()
	keyOf := map[string]string{}
	for _, a := range p.Accounts {
		key := a.SecretKey
		if key == "" {
			key = p.Accounts[a.Owner].SecretKey
		}
		keyOf[a.Username] = key
	}
	return proxied(t, p, func(q url.Values) {
		get := func(name string) (string, bool) { _, ok := q[name]; return q.Get(name), ok }
		key := keyOf[q.Get("u")]
		if q.Get("hash") == signing.KeyFirst.Hash(get, key) {
			q.Set("hash", signing.Documented.Hash(get, key))
		} else {
			q.Set("hash", "0000000000000000000000000000000000000000")
		}
	}, func(_ url.Values, doc string) string { return doc }, gzipped)
}

func TestHashDiagnosisNamesTheVariantTheTargetAccepts(t *testing.T) {
	res, dir, console := reportRun(t, suite.Config{TargetURL: keyFirstTarget(t), Tags: "@documented"})
	assert.Equal(t, suite.Failed, res.Code)
	want := "the target accepts: " + signing.KeyFirst.Title
	assert.Contains(t, res.Summary.Diagnosis, want)
	assert.Contains(t, res.Summary.Diagnosis, "documented         → the error \"Incorrect hash\"")
	assert.Contains(t, res.Summary.Diagnosis, "key-first          → the status \"CLI successfully created\"")
	assert.Contains(t, console, "  hash diagnosis: a request signed by the documented rule got \"Incorrect hash\"", "the failure message carries it")

	md, err := os.ReadFile(filepath.Join(dir, suite.SummaryFile))
	require.NoError(t, err)
	assert.Contains(t, string(md), "## Hash diagnosis")
	assert.Contains(t, string(md), want)
	cuke, err := os.ReadFile(filepath.Join(dir, suite.CucumberFile))
	require.NoError(t, err)
	assert.Contains(t, string(cuke), "hash diagnosis")
}

func TestNoDiagnosisWhenTheTargetSignsByTheRule(t *testing.T) {
	res, _, _ := reportRun(t, suite.Config{TargetURL: startLocal(t, fixtures.Default())})
	assert.Empty(t, res.Summary.Diagnosis, "deliberately mis-signed requests do not trigger the probe")
}

// TestNoSecretInAnyOutput runs against a careless server that echoes the
// request, passwords included, and even its API keys into its errors: no
// password or key of the profile may reach the console or any report file.
func TestNoSecretInAnyOutput(t *testing.T) {
	p := fixtures.Default()
	var secrets []string
	a := p.Accounts[fixtures.RoleReseller]
	a.Password = `re<&"sel'ler>` // a secret that XML, HTML, JSON and URLs escape
	p.Accounts[fixtures.RoleReseller] = a
	for _, a := range p.Accounts {
		for _, s := range []string{a.Password, a.SecretKey} {
			if s != "" {
				quoted := strconv.Quote(s)
				secrets = append(secrets, s, html.EscapeString(s), url.QueryEscape(s), quoted[1:len(quoted)-1])
			}
		}
	}
	leaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		var esc strings.Builder
		_ = xml.EscapeText(&esc, []byte(r.URL.RawQuery+" keys: "+strings.Join(secrets, ",")))
		_, _ = w.Write(gzipped([]byte("<page><status><error>" + esc.String() + "</error></status></page>")))
	}))
	t.Cleanup(leaky.Close)

	// A password in the target's URL is a secret too.
	withAuth := strings.Replace(leaky.URL, "http://", "http://vendor:url-pa55word@", 1)
	secrets = append(secrets, "url-pa55word")
	res, dir, console := reportRun(t, suite.Config{TargetURL: withAuth + "/billing", Profile: p})
	assert.Equal(t, suite.Failed, res.Code)
	assert.Contains(t, console, "keys: REDACTED", "the echo reached the output, redacted")
	outputs := map[string]string{"console": console}
	for _, name := range []string{suite.JUnitFile, suite.CucumberFile, suite.SummaryFile, suite.HTMLFile} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		outputs[name] = string(data)
	}
	for name, text := range outputs {
		for _, secret := range secrets {
			assert.NotContains(t, text, secret, "%s shows a secret", name)
		}
	}
}

func TestStrictFailsOnSkippedScenarios(t *testing.T) {
	p := fixtures.Default()
	p.API.HashChecking = false // the refusal of the placeholder hash is skipped
	url := startLocal(t, p)
	res, _, console := reportRun(t, suite.Config{TargetURL: url, Profile: p, Tags: "@errata"})
	assert.Equal(t, suite.Conforms, res.Code, console)
	_, by := res.Summary.Counts()
	assert.Equal(t, 1, by["skipped"])
	assert.Contains(t, console, "skip  The example's placeholder hash is refused")

	res, _, _ = reportRun(t, suite.Config{TargetURL: url, Profile: p, Tags: "@errata", Strict: true})
	assert.Equal(t, suite.Failed, res.Code)
	assert.Contains(t, res.Summary.Verdict(), "strict: 1 scenario(s) skipped")
}

func TestHashCheckingOffLeavesIncorrectHashUnproven(t *testing.T) {
	p := fixtures.Default()
	p.API.HashChecking = false
	res, _, _ := reportRun(t, suite.Config{TargetURL: startLocal(t, p), Profile: p})
	assert.Equal(t, suite.Failed, res.Code)
	assert.Contains(t, res.Summary.Verdict(), `no scenario exercised the documented message "Incorrect hash"`)
}

func TestInferredFailuresFailOnlyWhenRequired(t *testing.T) {
	target := mutant(t, func(s string) string { return strings.ReplaceAll(s, "Device was not found", "No such device") }, gzipped)
	res, _, console := reportRun(t, suite.Config{TargetURL: target})
	assert.Equal(t, suite.Conforms, res.Code, "@inferred failures are reported, not fatal")
	var inferred int
	for _, c := range res.Summary.ByTag {
		if c.Tag == "@inferred" {
			inferred = c.Failed
		}
	}
	assert.Equal(t, 4, inferred, "the four @inferred scenarios that expect Device was not found")
	assert.Contains(t, console, "reported, does not fail the run")

	res, _, _ = reportRun(t, suite.Config{TargetURL: target, Require: []string{"@inferred"}})
	assert.Equal(t, suite.Failed, res.Code)

	_, err := suite.Run(t.Context(), suite.Config{TargetURL: target, Require: []string{"@documented"}})
	assert.ErrorContains(t, err, `cannot require "@documented"`)
}

func TestTagsSelectingNothingCannotStart(t *testing.T) {
	url := startLocal(t, fixtures.Default())
	for _, tags := range []string{"@nosuchtag", "@documented && ~@documented"} {
		res, err := suite.Run(t.Context(), suite.Config{TargetURL: url, Tags: tags, Output: &bytes.Buffer{}})
		assert.Equal(t, suite.CannotStart, res.Code, tags)
		assert.ErrorContains(t, err, "selects no scenario", tags)
	}
}

// TestReportInHeadlessChromium opens report.html of a failing run in a real
// browser: the page renders with the verdict, both tables, the diagnosis and
// the failures, and its screenshot is a real picture. Set
// MORCHECK_REQUIRE_CHROMIUM=1 (CI does) to fail instead of skipping when the
// browser is missing.
func TestReportInHeadlessChromium(t *testing.T) {
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			browser = path
			break
		}
	}
	if browser == "" {
		if os.Getenv("MORCHECK_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("chromium is not installed and MORCHECK_REQUIRE_CHROMIUM=1")
		}
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	_, dir, _ := reportRun(t, suite.Config{TargetURL: keyFirstTarget(t), Tags: "@documented"})
	page := "file://" + filepath.Join(dir, suite.HTMLFile)
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + t.TempDir()}

	dom := chromium(t, browser, append(flags, "--dump-dom", page)...)
	for _, want := range []string{`id="verdict">DOES NOT CONFORM`, `<table id="by-tag">`, `<table id="messages">`, `<pre id="diagnosis">`, "Failures", "expected body:"} {
		assert.Contains(t, dom, want)
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	chromium(t, browser, append(flags, "--window-size=1200,1600", "--screenshot="+shot, page)...)
	f, err := os.Open(shot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Equal(t, 1200, img.Bounds().Dx())
	// The verdict banner at the top is red for a failing run.
	r, g, b, _ := img.At(600, 40).RGBA()
	assert.Greater(t, r>>8, uint32(150), "banner red")
	assert.Less(t, g>>8, uint32(80), "banner red")
	assert.Less(t, b>>8, uint32(80), "banner red")
	if dst := os.Getenv("MORCHECK_SCREENSHOT"); dst != "" {
		data, _ := os.ReadFile(shot)
		_ = os.WriteFile(dst, data, 0o644)
	}
}

// chromium runs the browser with a bounded wait and returns its stdout.
func chromium(t *testing.T, browser string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, browser, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "chromium: %s", stderr.String())
	return stdout.String()
}
