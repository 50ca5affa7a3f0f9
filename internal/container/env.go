package container

import (
	"fmt"
	"strings"
	"time"
)

// ParseEnv parses a container environment written as KEY=VALUE pairs
// separated by commas, e.g. "MOR_DB=/data/mor.db,TZ=UTC". Spaces around a
// pair are ignored; a value may be empty and may contain '='; a comma cannot
// be part of a value. "" gives an empty map. Errors never quote a value:
// values may be secrets.
func ParseEnv(s string) (map[string]string, error) {
	env := map[string]string{}
	if strings.TrimSpace(s) == "" {
		return env, nil
	}
	for i, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			return nil, fmt.Errorf("container env: pair %d is empty (a stray comma?)", i+1)
		}
		key, value, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("container env: pair %d has no '=': write KEY=VALUE", i+1)
		}
		if key == "" {
			return nil, fmt.Errorf("container env: pair %d has no name before '='", i+1)
		}
		if strings.ContainsAny(key, " \t\r\n") {
			return nil, fmt.Errorf("container env: name %q contains white space", key)
		}
		if _, dup := env[key]; dup {
			return nil, fmt.Errorf("container env: %s is given twice", key)
		}
		env[key] = value
	}
	return env, nil
}

// ConfigFromEnv reads a Config from TARGET_IMAGE, TARGET_PORT (default 8080),
// TARGET_ENV (KEY=VALUE,... as ParseEnv reads it) and TARGET_STARTUP_TIMEOUT
// (a Go duration such as 90s), looked up with getenv (os.Getenv in
// commands). ok is false when TARGET_IMAGE is empty.
func ConfigFromEnv(getenv func(string) string) (cfg Config, ok bool, err error) {
	cfg.Image = strings.TrimSpace(getenv("TARGET_IMAGE"))
	if cfg.Image == "" {
		return Config{}, false, nil
	}
	cfg.Port = strings.TrimSpace(getenv("TARGET_PORT"))
	if cfg.Env, err = ParseEnv(getenv("TARGET_ENV")); err != nil {
		return Config{}, true, fmt.Errorf("TARGET_ENV: %w", err)
	}
	if s := strings.TrimSpace(getenv("TARGET_STARTUP_TIMEOUT")); s != "" {
		if cfg.StartupTimeout, err = time.ParseDuration(s); err != nil || cfg.StartupTimeout <= 0 {
			return Config{}, true, fmt.Errorf("TARGET_STARTUP_TIMEOUT=%q: want a positive duration such as 90s", s)
		}
	}
	if _, err := cfg.withDefaults(); err != nil {
		return Config{}, true, fmt.Errorf("TARGET_PORT: %w", err)
	}
	return cfg, true, nil
}
