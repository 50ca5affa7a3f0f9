package container_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/morcheck/morcheck/internal/container"
)

func TestParseEnv(t *testing.T) {
	good := []struct {
		in   string
		want map[string]string
	}{
		{"", map[string]string{}},
		{"   ", map[string]string{}},
		{"A=1", map[string]string{"A": "1"}},
		{"A=1,B=two", map[string]string{"A": "1", "B": "two"}},
		{" A=1 , B=2 ", map[string]string{"A": "1", "B": "2"}},
		{"EMPTY=", map[string]string{"EMPTY": ""}},
		{"DSN=user:pw@tcp(db)/mor?x=y", map[string]string{"DSN": "user:pw@tcp(db)/mor?x=y"}},
		{"A==", map[string]string{"A": "="}},
	}
	for _, tc := range good {
		got, err := container.ParseEnv(tc.in)
		require.NoError(t, err, "%q", tc.in)
		assert.Equal(t, tc.want, got, "%q", tc.in)
	}

	bad := []struct{ in, says string }{
		{"A", `pair 1 has no '='`},
		{"A=s3cret,B", `pair 2 has no '='`},
		{"=s3cret", "pair 1 has no name before '='"},
		{"A=s3cret,,B=2", "pair 2 is empty"},
		{"A=1,", "pair 2 is empty"},
		{",A=1", "pair 1 is empty"},
		{"A=s3cret,A=2", "A is given twice"},
		{"MY VAR=1", `name "MY VAR" contains white space`},
	}
	for _, tc := range bad {
		_, err := container.ParseEnv(tc.in)
		require.Error(t, err, "%q", tc.in)
		assert.Contains(t, err.Error(), tc.says, "%q", tc.in)
		assert.True(t, strings.HasPrefix(err.Error(), "container env: "), err.Error())
		assert.NotContains(t, err.Error(), "s3cret", "%q: no value is quoted (values may be secrets)", tc.in)
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}

	_, ok, err := container.ConfigFromEnv(env(nil))
	require.NoError(t, err)
	assert.False(t, ok, "no TARGET_IMAGE, no container")

	cfg, ok, err := container.ConfigFromEnv(env(map[string]string{
		"TARGET_IMAGE":           " vendor/billing:1.2 ",
		"TARGET_PORT":            "80",
		"TARGET_ENV":             "TZ=UTC,MOR_API=1",
		"TARGET_STARTUP_TIMEOUT": "90s",
	}))
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, container.Config{
		Image:          "vendor/billing:1.2",
		Port:           "80",
		Env:            map[string]string{"TZ": "UTC", "MOR_API": "1"},
		StartupTimeout: 90 * time.Second,
	}, cfg)

	for name, m := range map[string]map[string]string{
		"TARGET_ENV":             {"TARGET_IMAGE": "x", "TARGET_ENV": "NOPE"},
		"TARGET_STARTUP_TIMEOUT": {"TARGET_IMAGE": "x", "TARGET_STARTUP_TIMEOUT": "soon"},
		"TARGET_PORT":            {"TARGET_IMAGE": "x", "TARGET_PORT": "http"},
	} {
		_, ok, err := container.ConfigFromEnv(env(m))
		assert.True(t, ok, name)
		require.Error(t, err, name)
		assert.True(t, strings.HasPrefix(err.Error(), name+"="+`"`) || strings.HasPrefix(err.Error(), name+": "), "%s: %v", name, err)
	}
}

func TestTail(t *testing.T) {
	in := "1\n2\n3\n4\n5\n"
	for n, want := range map[int]string{0: in, 2: "4\n5\n", 5: in, 9: in} {
		got, err := container.Tail(strings.NewReader(in), n)
		require.NoError(t, err)
		assert.Equal(t, want, got, "n=%d", n)
	}
	var long strings.Builder
	for i := range 1000 {
		long.WriteString(strings.Repeat("x", i%7) + "\n")
	}
	got, err := container.Tail(strings.NewReader(long.String()), 30)
	require.NoError(t, err)
	assert.Equal(t, 30, strings.Count(got, "\n"))
	assert.True(t, strings.HasSuffix(long.String(), got))
	got, err = container.Tail(strings.NewReader("no newline"), 3)
	require.NoError(t, err)
	assert.Equal(t, "no newline\n", got)
}
