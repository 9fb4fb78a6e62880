package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chainscope/internal/e2e"
)

// serveChainOK serves testdata/chain-ok.pem with crypto/tls on 127.0.0.1.
func serveChainOK(t *testing.T) string {
	t.Helper()
	kp, err := tls.LoadX509KeyPair("testdata/chain-ok.pem", "testdata/leaf.key")
	if err != nil {
		t.Fatal(err)
	}
	return e2e.ServeTLS(t, "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{kp}})
}

// TestTUIInTmux starts the real binary in tmux against a local server,
// reads the screen, presses keys and checks that q exits with the terminal
// restored.
func TestTUIInTmux(t *testing.T) {
	e2e.NeedTool(t, "tmux")
	dir := t.TempDir()
	bin := filepath.Join(dir, "chainscope")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := serveChainOK(t)
	session := fmt.Sprintf("chainscope-e2e-%d", os.Getpid())
	exitFile := filepath.Join(dir, "exit")
	script := fmt.Sprintf("printf 'before\\n'; %s --roots testdata/root.pem --servername example.test --at 2026-06-01 %s; echo $? > %s; sleep 60",
		bin, addr, exitFile)
	tmux := func(args ...string) string {
		out, err := exec.Command("tmux", append([]string{"-L", session}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "-c", mustGetwd(t), script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", session, "kill-server").Run() })
	screen := func() string { return tmux("capture-pane", "-p", "-t", session) }
	waitFor := func(what string, ok func(string) bool) string {
		t.Helper()
		var s string
		for i := 0; i < 300; i++ {
			if s = screen(); ok(s) {
				return s
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("screen never showed %s:\n%s", what, s)
		return ""
	}
	s := waitFor("the report", func(s string) bool { return strings.Contains(s, "chain.order") && strings.Contains(s, "PASS") })
	if !strings.Contains(s, "#0 leaf") || !strings.Contains(s, "CN=example.test") {
		t.Errorf("first screen lacks the chain:\n%s", s)
	}
	tmux("send-keys", "-t", session, "j")
	waitFor("certificate #1 selected", func(s string) bool { return strings.Contains(s, "Certificate #1") })
	tmux("send-keys", "-t", session, "p")
	waitFor("the PEM", func(s string) bool { return strings.Contains(s, "BEGIN CERTIFICATE") })
	tmux("send-keys", "-t", session, "q")
	waitFor("the shell again", func(s string) bool {
		_, err := os.Stat(exitFile)
		return err == nil && strings.Contains(s, "before")
	})
	s = screen()
	if strings.Contains(s, "chain.order") {
		t.Errorf("the interface is still on screen after q:\n%s", s)
	}
	code, _ := os.ReadFile(exitFile)
	if strings.TrimSpace(string(code)) != "0" {
		t.Errorf("exit status after q = %q, want 0", code)
	}

	// A failing chain: q exits with the headless status for it, 1.
	failSession := session + "-fail"
	failExit := filepath.Join(dir, "exit-fail")
	script = fmt.Sprintf("%s --roots testdata/root.pem --at 2026-06-01 testdata/chain-out-of-order.pem; echo $? > %s; sleep 60", bin, failExit)
	if out, err := exec.Command("tmux", "-L", session, "new-session", "-d", "-s", failSession, "-x", "100", "-y", "30", "-c", mustGetwd(t), script).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	for i := 0; i < 300; i++ {
		out, _ := exec.Command("tmux", "-L", session, "capture-pane", "-p", "-t", failSession).Output()
		if strings.Contains(string(out), "FAIL") && strings.Contains(string(out), "chain.order") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = exec.Command("tmux", "-L", session, "send-keys", "-t", failSession, "q").Run()
	for i := 0; i < 300; i++ {
		if code, err := os.ReadFile(failExit); err == nil && len(code) > 0 {
			if got := strings.TrimSpace(string(code)); got != "1" {
				t.Errorf("exit status after q on a failing chain = %q, want 1", got)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("the interface did not exit after q on the failing chain")
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}
