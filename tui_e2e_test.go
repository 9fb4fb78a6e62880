package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// binary builds chainscope once per test binary, into a directory that
// outlives the tests that use it.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "chainscope-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "chainscope")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// tmuxSession is a shell command running in a tmux window of its own
// server, read with capture-pane as a person would see it.
type tmuxSession struct {
	t      *testing.T
	server string
}

var sessionSeq struct {
	sync.Mutex
	n int
}

// startTmux runs script in a w×h tmux window, in the repository, with
// chainscope on PATH as $CS. The script's exit status is printed as
// "exit=N" when it ends, and the window stays until the test ends.
func startTmux(t *testing.T, w, h int, script string) *tmuxSession {
	t.Helper()
	e2e.NeedTool(t, "tmux")
	bin := binary(t)
	sessionSeq.Lock()
	sessionSeq.n++
	server := fmt.Sprintf("chainscope-e2e-%d-%d", os.Getpid(), sessionSeq.n)
	sessionSeq.Unlock()
	s := &tmuxSession{t: t, server: server}
	full := fmt.Sprintf("export CS=%s; printf 'before\\n'; %s; echo exit=$?; sleep 120", bin, script)
	cmd := exec.Command("tmux", "-L", server, "-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "-c", mustGetwd(t), full)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", server, "kill-server").Run() })
	return s
}

// screen is what the window shows now.
func (s *tmuxSession) screen() string {
	out, err := exec.Command("tmux", "-L", s.server, "capture-pane", "-p", "-t", "main").CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux capture-pane: %v\n%s", err, out)
	}
	return string(out)
}

// waitFor polls the screen until ok holds (at most 20 s) and returns it.
func (s *tmuxSession) waitFor(what string, ok func(string) bool) string {
	s.t.Helper()
	var scr string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(40 * time.Millisecond) {
		if scr = s.screen(); ok(scr) {
			return scr
		}
	}
	s.t.Fatalf("the screen never showed %s:\n%s", what, scr)
	return ""
}

// waitText waits until the screen shows every one of the texts.
func (s *tmuxSession) waitText(texts ...string) string {
	s.t.Helper()
	return s.waitFor(strings.Join(texts, ", "), func(scr string) bool {
		for _, x := range texts {
			if !strings.Contains(scr, x) {
				return false
			}
		}
		return true
	})
}

// keys types keys into the window (tmux send-keys names).
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"-L", s.server, "send-keys", "-t", "main"}, keys...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("tmux send-keys: %v\n%s", err, out)
	}
}

var exitLine = regexp.MustCompile(`(?m)^exit=(\d+)`)

// exit waits for the command to end and returns its exit status.
func (s *tmuxSession) exit() string {
	s.t.Helper()
	scr := s.waitFor("the exit status", exitLine.MatchString)
	return exitLine.FindStringSubmatch(scr)[1]
}

const bing = "--at 2026-03-01 testdata/real-bing.com-2026-out-of-order.pem"

// TestTUIInTmux starts the real binary in tmux as a person would, reads the
// screen, presses keys and checks what stays when it quits: one test per
// thing a terminal shows.
func TestTUIInTmux(t *testing.T) {
	e2e.NeedTool(t, "tmux")
	t.Parallel()

	// The first frame of a failing chain holds its fix, at 80×24 and at
	// 60×20; the footer keeps help and quit and offers the one-key fix.
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		t.Run(fmt.Sprintf("fix on the first frame at %dx%d", size[0], size[1]), func(t *testing.T) {
			t.Parallel()
			s := startTmux(t, size[0], size[1], "$CS "+bing)
			first := s.waitText("FAIL")
			for _, want := range []string{"▸ ✗ chain.order", "fix: put the intermediate CN=Microsoft TLS G2 RSA", "e write fixed chain", "? help • q quit",
				"store Mozilla 2026-10-30 (117 roots)", "↓ "} {
				if !strings.Contains(first, want) {
					t.Errorf("the first frame lacks %q:\n%s", want, first)
				}
			}
			s.keys("q")
			if code := s.exit(); code != "1" {
				t.Errorf("exit status after q on a failing chain = %s, want 1", code)
			}
		})
	}

	// At 120 columns the tree is whole, and the fix reads across the
	// screen under the checks in a few lines, its command on one line;
	// a certificate's details sit beside the tree.
	t.Run("panes sized to content at 120x40", func(t *testing.T) {
		t.Parallel()
		s := startTmux(t, 120, 40, "$CS "+bing)
		scr := s.waitText("FAIL", "── Check chain.order ──")
		lines := strings.Split(scr, "\n")
		fix := -1
		for i, l := range lines {
			if strings.HasPrefix(l, "── Check chain.order") && fix < 0 {
				fix = i
			}
		}
		if fix < 0 {
			t.Fatalf("the details of chain.order are not across the screen:\n%s", scr)
		}
		n := 0
		for _, l := range lines[fix:] {
			if strings.HasPrefix(l, "fix: ") || (n > 0 && strings.HasPrefix(l, "     ") && strings.TrimSpace(l) != "") {
				n++
			}
		}
		if n == 0 || n > 5 {
			t.Errorf("the fix takes %d lines, want 1 to 5:\n%s", n, scr)
		}
		if !strings.Contains(scr, "`chainscope --fix-chain chain.pem testdata/real-bing.com-2026-out-of-order.pem`") {
			t.Errorf("the fix's command is not whole on one line:\n%s", scr)
		}
		if !strings.Contains(scr, "✗ issued by #1, which is sent before it · expires 2029-06-03, 1190 days") {
			t.Errorf("the tree's link lines are not whole:\n%s", scr)
		}
		// The chain focused: the certificate's details beside the tree,
		// whose lines are not cut.
		s.keys("BTab")
		scr = s.waitText("│── Certificate #0")
		col := -1
		for _, l := range strings.Split(scr, "\n") {
			if i := strings.Index(l, "│── Certificate"); i >= 0 {
				col = len([]rune(l[:i]))
			}
		}
		for _, l := range strings.Split(scr, "\n") {
			if r := []rune(l); col > 0 && len(r) > col && strings.Contains(string(r[:col]), "…") {
				t.Errorf("a line of the left column is cut: %q", string(r[:col]))
			}
		}
		s.keys("q")
		s.exit()
	})

	// The progress line of a redirected run names the target the output
	// waits for and what that target waits for.
	t.Run("progress names what it waits for", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		go func() { // accepts, reads the ClientHello, answers nothing
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					_ = c.SetDeadline(time.Now().Add(10 * time.Second))
					buf := make([]byte, 1<<16)
					for {
						if _, err := c.Read(buf); err != nil {
							return
						}
					}
				}()
			}
		}()
		s := startTmux(t, 160, 10, fmt.Sprintf("$CS --json --timeout 3s testdata/chain-ok.pem %s >/dev/null", ln.Addr()))
		// The first step may still be the dial ("waiting for a connection
		// to …") on a loaded machine; the line must come to say that the
		// connections are open and the server does not answer.
		s.waitText("chainscope: 1/2 done · "+ln.Addr().String()+": handshakes", "waiting for the server's answer on")
		if code := s.exit(); code != "3" {
			t.Errorf("exit status = %s, want 3", code)
		}
	})

	// A PEM piped into the interface: keys come from the terminal, q quits,
	// and the verdict with its fix stays on the screen.
	t.Run("pipe a PEM in, quit with q", func(t *testing.T) {
		t.Parallel()
		s := startTmux(t, 100, 30, "cat testdata/real-bing.com-2026-out-of-order.pem | $CS --at 2026-03-01 -")
		s.waitText("FAIL", "fix: put the intermediate")
		s.keys("BTab") // keys reach the interface: shift+tab gives the chain the focus
		s.waitText("Certificate #0")
		s.keys("q")
		code := s.exit()
		scr := s.screen()
		if code != "1" || !strings.Contains(scr, "✗ FAIL 1  -  chain.order: put the intermediate") || strings.Contains(scr, "Certificate #0") {
			t.Errorf("after q: exit %s, screen:\n%s\nwant exit 1, the interface gone and one line with the verdict and the fix", code, scr)
		}
	})

	// Standard input at /dev/null: the keys still come from the terminal.
	t.Run("stdin at /dev/null", func(t *testing.T) {
		t.Parallel()
		s := startTmux(t, 100, 30, "$CS "+bing+" </dev/null")
		s.waitText("FAIL", "fix: put the intermediate")
		s.keys("q")
		if code := s.exit(); code != "1" {
			t.Errorf("exit status = %s, want 1", code)
		}
	})

	// No terminal to read keys from at all: the text report, with a note.
	t.Run("no terminal for keys", func(t *testing.T) {
		t.Parallel()
		e2e.NeedTool(t, "setsid")
		errFile := filepath.Join(t.TempDir(), "stderr")
		s := startTmux(t, 100, 30, fmt.Sprintf("setsid -w sh -c '$CS %s </dev/null 2>%s'; cat %s", bing, errFile, errFile))
		scr := s.waitText("exit=")
		if !strings.Contains(scr, "chainscope: note: no terminal to read keys from") || !strings.Contains(scr, "✓ cert.strength") {
			t.Errorf("without a terminal for keys:\n%s\nwant the text report and the note", scr)
		}
	})

	// chainscope listen: the empty list says, whole, where to point the
	// sender; a client that presents the test sender's certificate joins
	// the list; after q its line stays, as after an inspection.
	t.Run("listen, a client, quit", func(t *testing.T) {
		t.Parallel()
		addr := fmt.Sprintf("127.0.0.1:%d", e2e.FreePort(t))
		s := startTmux(t, 80, 24, fmt.Sprintf("$CS listen %s --cert testdata/chain-ok.pem --key testdata/leaf.key --policy testdata/policy-test-sender.json --at 2026-06-01", addr))
		s.waitText("0 targets", "point the sender at", "https://"+addr+"/")
		kp, err := tls.LoadX509KeyPair("testdata/client-webhooks.test.pem", "testdata/client-webhooks.test.key")
		if err != nil {
			t.Fatal(err)
		}
		conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true, Certificates: []tls.Certificate{kp}})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "HEAD / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", addr)
		_, _ = conn.Read(make([]byte, 512))
		conn.Close()
		s.waitText("1 target: ✓ 1 pass", "PASS")
		s.keys("q")
		code := s.exit()
		if scr := s.screen(); code != "0" || !regexp.MustCompile(`(?m)^✓ PASS  127\.0\.0\.1:\d+$`).MatchString(scr) {
			t.Errorf("after q: exit %s, screen:\n%s\nwant exit 0 and the client's line", code, scr)
		}
	})

	// A target that cannot be inspected: the error and its hint, large.
	t.Run("error target shows its hint", func(t *testing.T) {
		t.Parallel()
		port := e2e.FreePort(t)
		s := startTmux(t, 80, 24, fmt.Sprintf("$CS 127.0.0.1:%d", port))
		scr := s.waitText("ERROR")
		for _, want := range []string{"connection refused", "hint: nothing listens there", "r inspect again"} {
			if !strings.Contains(scr, want) {
				t.Errorf("the error screen lacks %q:\n%s", want, scr)
			}
		}
		if strings.Contains(scr, "tls.protocol") {
			t.Errorf("the error screen lists the checks that did not run:\n%s", scr)
		}
		s.keys("q")
		if code := s.exit(); code != "3" {
			t.Errorf("exit status = %s, want 3", code)
		}
	})

	// A live passing server: the chain, a certificate, its PEM in a view of
	// its own, and a clean terminal after q.
	t.Run("live server, PEM view, clean quit", func(t *testing.T) {
		t.Parallel()
		addr := serveChainOK(t)
		s := startTmux(t, 120, 40, fmt.Sprintf("$CS --roots testdata/root.pem --servername example.test --at 2026-06-01 %s", addr))
		scr := s.waitText("PASS", "issued by store root")
		if !strings.Contains(scr, "#0 leaf") || !strings.Contains(scr, "CN=example.test") {
			t.Errorf("first screen lacks the chain:\n%s", scr)
		}
		s.keys("j")
		s.waitText("Certificate #1")
		s.keys("p")
		scr = s.waitText("BEGIN CERTIFICATE")
		if strings.Contains(scr, "│MII") {
			t.Errorf("the PEM shares the screen with another pane:\n%s", scr)
		}
		s.keys("q")
		code := s.exit()
		scr = s.screen()
		if code != "0" || !strings.Contains(scr, "before") || strings.Contains(scr, "BEGIN CERTIFICATE") || !strings.Contains(scr, "✓ PASS  "+addr) {
			t.Errorf("after q: exit %s, screen:\n%s\nwant 0, the shell back and the verdict line", code, scr)
		}
	})

	// Several targets: a list with a tally; f puts failures first.
	t.Run("list of targets", func(t *testing.T) {
		t.Parallel()
		s := startTmux(t, 100, 24, "$CS --roots testdata/root.pem --at 2026-06-01 testdata/chain-ok.pem testdata/chain-out-of-order.pem testdata/leaf-self-signed.pem")
		scr := s.waitText("3 targets: ✓ 1 pass, ✗ 2 fail")
		if !strings.Contains(scr, "✗ chain.order") {
			t.Errorf("the list does not name the failing checks:\n%s", scr)
		}
		s.keys("f")
		scr = s.waitText("Targets · 3 · failures first")
		if strings.Index(scr, "chain-out-of-order.pem") > strings.Index(scr, "chain-ok.pem") {
			t.Errorf("f did not put the failures first:\n%s", scr)
		}
		// o asks for another target in a text input with a placeholder.
		s.keys("o")
		s.waitText("inspect: host:port, URL or file")
		s.keys("testdata/chain-with-root.pem", "Enter")
		s.waitText("Chain · 3 certificates", "testdata/chain-with-root.pem")
		s.keys("Escape")
		s.waitText("4 targets")
		s.keys("q")
		s.exit()
	})

	// The text report on a terminal wraps at spaces under its text, and a
	// run of several targets ends with a tally.
	t.Run("text report on a terminal", func(t *testing.T) {
		t.Parallel()
		s := startTmux(t, 60, 200, "$CS --text --at 2026-03-01 testdata/real-bing.com-2026-missing-intermediate.pem testdata/real-bing.com-2026.pem")
		scr := s.waitText("exit=1")
		if !regexp.MustCompile(`(?m)^      fix: if CN=Microsoft TLS RSA Root G2 is an\n           intermediate,`).MatchString(scr) {
			t.Errorf("the fix does not wrap under itself:\n%s", scr)
		}
		if !strings.Contains(scr, "summary      2 targets: ✓ 1 pass, ✗ 1 fail") {
			t.Errorf("no closing tally:\n%s", scr)
		}
	})
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}
