package serve

import (
	"bytes"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"chainscope/internal/e2e"
)

// promtool runs Debian's promtool with stdin and returns its combined
// output, failing the test when it exits non-zero.
func promtool(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(e2e.NeedTool(t, "promtool"), args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// TestPromtoolCheckMetrics: promtool's linter accepts what /probe answers
// for a passing and a failing endpoint, and /metrics.
func TestPromtoolCheckMetrics(t *testing.T) {
	t.Parallel()
	e2e.NeedTool(t, "promtool")
	p := newPKI(t)
	_, hs := newServer(t, Config{})
	pass := serveChain(t, p.leaf, p.leaf, p.inter)
	for _, path := range []string{probePath(pass), probePath(refusedTarget(t)), "/metrics"} {
		code, body := get(t, hs.URL, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s = %d: %s", path, code, body)
		}
		if out := promtool(t, body, "check", "metrics"); strings.TrimSpace(out) != "" {
			t.Errorf("promtool check metrics on %s:\n%s", path, out)
		}
	}
}

// TestPromtoolRules: the sample configuration and rules are valid, and the
// rules fire as their unit tests say (serve/testdata/rules_test.yml).
func TestPromtoolRules(t *testing.T) {
	t.Parallel()
	promtool(t, "", "check", "rules", "../examples/chainscope-rules.yml")
	promtool(t, "", "check", "config", "../examples/prometheus.yml")
	promtool(t, "", "test", "rules", "testdata/rules_test.yml")
}
