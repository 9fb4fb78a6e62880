package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"chainscope/internal/e2e"
)

// TestServeUsage: chainscope serve refuses bad usage with status 2 before
// listening, and status 3 when it cannot listen.
func TestServeUsage(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	badAllow := filepath.Join(t.TempDir(), "allow")
	if err := os.WriteFile(badAllow, []byte("ok.example:443\nnot a host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"serve", "--help"}, exitPass, "Usage: chainscope serve", ""},
		{"unknown flag", []string{"serve", "--bogus"}, exitUsage, "", "chainscope: error: unknown flag --bogus"},
		{"a target", []string{"serve", "example.com"}, exitUsage, "", `unexpected argument "example.com"`},
		{"bad timeout", []string{"serve", "--timeout", "0s"}, exitUsage, "", "--timeout must be positive"},
		{"bad concurrency", []string{"serve", "--concurrency", "0"}, exitUsage, "", "--concurrency must be at least 1"},
		{"unknown policy", []string{"serve", "--policy", "nope"}, exitUsage, "", "--policy nope"},
		{"missing roots", []string{"serve", "--roots", "no/such.pem"}, exitUsage, "", "no/such.pem"},
		{"bad allow-list", []string{"serve", "--targets-allow", badAllow}, exitUsage, "", "allow: line 2:"},
		{"missing allow-list", []string{"serve", "--targets-allow", "no/such/file"}, exitUsage, "", "--targets-allow open no/such/file"},
		{"address in use", []string{"serve", "--roots", "testdata/root.pem", "--listen", busy.Addr().String()}, exitError, "",
			"chainscope: error: cannot listen on " + busy.Addr().String() + ": the port is in use by another program\nchainscope: hint: choose another address with --listen, or stop"},
		{"port out of range", []string{"serve", "--listen", "127.0.0.1:99999"}, exitUsage, "", `chainscope: error: --listen "127.0.0.1:99999": port 99999: want a number from 0 to 65535`},
		{"no port", []string{"serve", "--listen", "9219"}, exitUsage, "", `--listen "9219": no port; for port 9219 on every address give :9219`},
		{"unclosed bracket", []string{"serve", "--listen", "[::1"}, exitUsage, "", `--listen "[::1": not HOST:PORT`},
		{"not an IP", []string{"serve", "--listen", "256.0.0.1:9219"}, exitUsage, "", "256.0.0.1 is not an IP address"},
		{"unknown service", []string{"serve", "--listen", ":nosuchservice"}, exitUsage, "", `port "nosuchservice": not a number, nor a service name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runCLI(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("chainscope %s = %d\nstdout %q\nstderr %q\nwant %d, stdout with %q, stderr with %q",
					strings.Join(tt.args, " "), code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

// TestServeSIGTERM: chainscope serve stops on SIGTERM (what systemd,
// Docker and Kubernetes send) as on an interrupt: the probe in flight,
// against a server that never answers, still gets its answer, and the
// exit status is 0.
func TestServeSIGTERM(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	go func() {
		var conns []net.Conn
		for {
			c, err := silent.Accept()
			if err != nil {
				for _, c := range conns {
					c.Close()
				}
				return
			}
			conns = append(conns, c)
		}
	}()
	listen := fmt.Sprintf("127.0.0.1:%d", e2e.FreePort(t))
	cmd := exec.Command(bin, "serve", "--listen", listen, "--roots", "testdata/root.pem")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	client := &http.Client{Timeout: time.Minute}
	poll(t, "chainscope serve answers /healthz", func() (bool, string) {
		resp, err := client.Get("http://" + listen + "/healthz")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})

	type answer struct {
		code int
		body string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		req, _ := http.NewRequest("GET", "http://"+listen+"/probe?target="+silent.Addr().String(), nil)
		// Long enough to be seen in flight on a loaded machine.
		req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", "10")
		resp, err := client.Do(req)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		answered <- answer{resp.StatusCode, string(b), err}
	}()
	poll(t, "the probe in flight", func() (bool, string) {
		_, body := getBody(client, "http://"+listen+"/metrics")
		return strings.Contains(body, "\nchainscope_serve_probes_in_flight 1\n"), body
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	a := <-answered
	if a.err != nil || a.code != http.StatusOK || !strings.Contains(a.body, "\nchainscope_probe_inspected 0\n") {
		t.Errorf("the probe in flight at SIGTERM = %d %v\n%s\nwant 200 with chainscope_probe_inspected 0", a.code, a.err, a.body)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("chainscope serve after SIGTERM: %v, want exit status 0\n%s", err, stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatalf("chainscope serve still runs a minute after SIGTERM\n%s", stderr.String())
	}
}

// getBody GETs u and returns its status and body ("" on an error).
func getBody(c *http.Client, u string) (int, string) {
	resp, err := c.Get(u)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestListenAddressInUse: listen on a port another program holds could not
// run (3), said once in plain words with what to do.
func TestListenAddressInUse(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	addr := busy.Addr().String()
	_, stderr, code := runCLI(t, "", "listen", addr, "--cert", "testdata/chain-ok.pem", "--key", "testdata/leaf.key", "--json")
	want := "chainscope: error: cannot listen on " + addr + ": the port is in use by another program\nchainscope: hint: choose another address, or stop the program that holds it (ss -ltnp shows it)\n"
	if code != exitError || stderr != want {
		t.Errorf("chainscope listen %s (in use) = %d, stderr %q\nwant %d, stderr %q", addr, code, stderr, exitError, want)
	}
}
