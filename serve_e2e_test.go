package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chainscope/internal/e2e"
	"chainscope/internal/testpki"
)

// TestPrometheusScrapesServe runs Debian's Prometheus with the sample
// configuration (examples/prometheus.yml and its rules) pointed at
// chainscope serve, run in process through the command line, which probes
// three local servers: one passing, one presenting its chain out of order
// (its leaf expiring in 10 days), one refusing connections. Prometheus'
// HTTP API must show chainscope_probe_success 1, 0, 0, the failing check
// of the out-of-order server, and the sample alerts for the two failing
// endpoints.
func TestPrometheusScrapesServe(t *testing.T) {
	t.Parallel()
	prometheus := e2e.NeedTool(t, "prometheus")
	dir := t.TempDir()

	// The servers, their certificates valid now (serve judges at the
	// current time).
	now := time.Now()
	valid := testpki.Validity(now.Add(-time.Hour), now.Add(365*24*time.Hour))
	root := testpki.Root(t, "e2e root", valid)
	inter := testpki.Intermediate(t, root, "e2e intermediate", valid)
	inter2 := testpki.Intermediate(t, inter, "e2e intermediate 2", valid)
	leaf := testpki.Leaf(t, inter, "localhost", valid)
	soon := testpki.Leaf(t, inter2, "localhost", testpki.Validity(now.Add(-time.Hour), now.Add(10*24*time.Hour)))
	rootsFile := filepath.Join(dir, "roots.pem")
	if err := os.WriteFile(rootsFile, testpki.PEM(root), 0o644); err != nil {
		t.Fatal(err)
	}
	serve := func(key *testpki.Cert, chain ...*testpki.Cert) string {
		cert := tls.Certificate{PrivateKey: key.Key}
		for _, c := range chain {
			cert.Certificate = append(cert.Certificate, c.Cert.Raw)
		}
		addr := e2e.ServeTLS(t, "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
		_, port, _ := net.SplitHostPort(addr)
		return "localhost:" + port
	}
	passing := serve(leaf, leaf, inter)
	disorder := serve(soon, soon, inter, inter2)
	refused := fmt.Sprintf("localhost:%d", e2e.FreePort(t))

	// chainscope serve, in process, through the command line.
	listen := fmt.Sprintf("127.0.0.1:%d", e2e.FreePort(t))
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--listen", listen, "--roots", rootsFile}, nil, io.Discard, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-exited; code != exitPass {
			t.Errorf("chainscope serve exited %d after the interrupt, want 0: %s", code, stderr.String())
		}
	})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	poll(t, "chainscope serve answers /healthz", func() (bool, string) {
		resp, err := client.Get("http://" + listen + "/healthz")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})

	// Prometheus with the sample configuration: faster intervals, our
	// targets, our chainscope.
	conf := readExample(t, "prometheus.yml")
	for _, r := range [][2]string{
		{"scrape_interval: 1m", "scrape_interval: 2s"},
		{"evaluation_interval: 1m", "evaluation_interval: 1s"},
		{"scrape_timeout: 15s", "scrape_timeout: 2s"},
		{"          - webhooks.example.com:443\n          - alerts.example.org:8443\n",
			fmt.Sprintf("          - %s\n          - %s\n          - %s\n", passing, disorder, refused)},
		{"127.0.0.1:9219", listen},
	} {
		if !strings.Contains(conf, r[0]) {
			t.Fatalf("examples/prometheus.yml no longer has %q: update this test", r[0])
		}
		conf = strings.ReplaceAll(conf, r[0], r[1])
	}
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "chainscope-rules.yml"), []byte(readExample(t, "chainscope-rules.yml")), 0o644); err != nil {
		t.Fatal(err)
	}
	port := e2e.FreePort(t)
	api := fmt.Sprintf("http://127.0.0.1:%d/api/v1/", port)
	e2e.StartServer(t, port, prometheus,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port))

	type sample struct {
		Metric map[string]string `json:"metric"`
		Value  [2]any            `json:"value"`
	}
	query := func(q string) ([]sample, error) {
		var out struct {
			Status string `json:"status"`
			Data   struct {
				Result []sample `json:"result"`
			} `json:"data"`
		}
		err := getJSON(client, api+"query?query="+url.QueryEscape(q), &out)
		return out.Data.Result, err
	}
	byInstance := func(q string) (map[string]string, error) {
		res, err := query(q)
		m := map[string]string{}
		for _, s := range res {
			m[s.Metric["instance"]] = fmt.Sprint(s.Value[1])
		}
		return m, err
	}

	want := map[string]string{passing: "1", disorder: "0", refused: "0"}
	poll(t, "chainscope_probe_success 1, 0, 0 in Prometheus", func() (bool, string) {
		got, err := byInstance(`chainscope_probe_success{job="chainscope"}`)
		return err == nil && fmt.Sprint(got) == fmt.Sprint(want), fmt.Sprintf("%v %v", got, err)
	})
	res, err := query(`chainscope_check_status{job="chainscope",status="fail"}`)
	if err != nil {
		t.Fatal(err)
	}
	failing := map[string][]string{}
	for _, s := range res {
		failing[s.Metric["instance"]] = append(failing[s.Metric["instance"]], s.Metric["check"])
	}
	if got := failing[disorder]; !slices.Equal(got, []string{"chain.order"}) || len(failing) != 1 {
		t.Errorf("failing checks in Prometheus = %v, want only chain.order of %s", failing, disorder)
	}
	// The same verdicts and failing checks as the command line's --json
	// on the same targets.
	for _, target := range []string{passing, disorder, refused} {
		stdout, stderr, _ := runCLI(t, "", "--json", "--roots", rootsFile, target)
		var r struct {
			Verdict string `json:"verdict"`
			Checks  []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"checks"`
		}
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("chainscope --json %s: %v\n%s%s", target, err, stdout, stderr)
		}
		var cliFailing []string
		for _, c := range r.Checks {
			if c.Status == "fail" {
				cliFailing = append(cliFailing, c.ID)
			}
		}
		slices.Sort(cliFailing)
		slices.Sort(failing[target])
		if (r.Verdict == "pass") != (want[target] == "1") || !slices.Equal(cliFailing, failing[target]) {
			t.Errorf("%s: chainscope --json says %s failing %v; the probe %s failing %v", target, r.Verdict, cliFailing, want[target], failing[target])
		}
	}
	got, err := byInstance(`chainscope_probe_inspected{job="chainscope"}`)
	if fmt.Sprint(got) != fmt.Sprint(map[string]string{passing: "1", disorder: "1", refused: "0"}) || err != nil {
		t.Errorf("chainscope_probe_inspected = %v (%v), want 1 1 0", got, err)
	}

	// The sample alerts, pending (their "for" is minutes long) or firing.
	type alert struct {
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
		State       string            `json:"state"`
	}
	wantAlerts := map[string]string{
		"SenderWouldDropDeliveries " + disorder:    "Failing checks: chain.order.",
		"SenderWouldDropDeliveries " + refused:     "could not be inspected",
		"SenderCertificateExpiresSoon " + disorder: "CN=localhost,O=chainscope test (leaf, position 0) expires in 9d",
	}
	poll(t, "the sample alerts for the failing endpoints", func() (bool, string) {
		var out struct {
			Data struct {
				Alerts []alert `json:"alerts"`
			} `json:"data"`
		}
		if err := getJSON(client, api+"alerts", &out); err != nil {
			return false, err.Error()
		}
		got := map[string]string{}
		for _, a := range out.Data.Alerts {
			got[a.Labels["alertname"]+" "+a.Labels["instance"]] = a.Annotations["description"]
		}
		if len(got) != len(wantAlerts) {
			return false, fmt.Sprint(got)
		}
		for k, w := range wantAlerts {
			if !strings.Contains(got[k], w) {
				return false, fmt.Sprint(got)
			}
		}
		return true, ""
	})
	// And the server's own metrics, scraped by the second job.
	poll(t, "chainscope serve's own metrics in Prometheus", func() (bool, string) {
		got, err := byInstance(`sum by (instance) (chainscope_serve_probes_total{job="chainscope_serve"}) > 0`)
		return err == nil && len(got) == 1, fmt.Sprintf("%v %v", got, err)
	})
}

// readExample reads a file of examples/.
func readExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func getJSON(c *http.Client, u string, v any) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// poll calls ok until it holds, for at most two minutes (Prometheus scrapes
// every two seconds here; the bound is for a loaded machine), and fails the
// test with ok's last words otherwise.
func poll(t *testing.T, what string, ok func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		done, last := ok()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never saw %s; last: %s", what, last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestREADMEServeExamples: the README shows the sample scrape job and rules
// exactly as they are in examples/, which the tests run.
func TestREADMEServeExamples(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"prometheus.yml", "chainscope-rules.yml"} {
		if !strings.Contains(string(readme), "```yaml\n"+readExample(t, name)+"```") {
			t.Errorf("README.md does not show examples/%s as it is", name)
		}
	}
}
