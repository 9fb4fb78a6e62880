package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"chainscope/inspect"
	"chainscope/inspect/policy"
)

// clientReport judges a client chain of testdata/ with the test sender's
// policy, as chainscope listen does for each client.
func clientReport(t *testing.T, file, as string) inspect.Report {
	t.Helper()
	pol, err := policy.Load("../testdata/policy-test-sender.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := inspect.InspectArg(context.Background(), "../testdata/"+file, inspect.Options{
		Policy: pol, AsClient: true, At: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	r.Target = as // what listen names a client by: its address
	return r
}

// TestFeed: listen mode's live list — empty, it says what it waits for;
// each fed report joins the list with its verdict; o and r are off; a
// client opens with enter and esc goes back even with one.
func TestFeed(t *testing.T) {
	t.Parallel()
	feed := make(chan inspect.Report)
	m := NewModel(context.Background(), Config{Feed: feed, Waiting: "listening on 127.0.0.1:8443: waiting for clients (point the sender at https://127.0.0.1:8443/)", Policy: "test-sender"})
	t.Cleanup(m.cancel)
	if cmd := m.Init(); cmd == nil {
		t.Fatal("Init() = nil, want a command that waits for the feed")
	}
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	if f := frame(m); !strings.Contains(f, "listening on 127.0.0.1:8443: waiting for clients") {
		t.Errorf("empty list does not say what it waits for:\n%s", f)
	}
	// At 60 columns the whole message is read, wrapped (it names where
	// to point the sender), and the header's tally has no colon before
	// nothing.
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 20})
	f60 := frame(m)
	if got := strings.Join(strings.Fields(f60), " "); !strings.Contains(got, "listening on 127.0.0.1:8443: waiting for clients") || strings.Contains(f60, "…") {
		t.Errorf("at 60 columns the empty list cuts what it waits for:\n%s", f60)
	}
	if first := strings.SplitN(f60, "\n", 2)[0]; !strings.Contains(first, "0 targets") || strings.Contains(first, "targets:") {
		t.Errorf("empty header = %q, want \"0 targets\" without a colon", first)
	}
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	_, cmd := m.Update(feedMsg{report: clientReport(t, "client-webhooks.test.pem", "127.0.0.1:40001"), ok: true})
	if cmd == nil {
		t.Error("a fed report returns no command: the feed would not be read again")
	}
	m.Update(feedMsg{report: clientReport(t, "client-evil-suffix.pem", "127.0.0.1:40002"), ok: true})
	if _, cmd := m.Update(feedMsg{ok: false}); cmd != nil {
		t.Error("a closed feed is waited on again")
	}
	f := frame(m)
	golden(t, "tui-listen-100x24", []byte(f))
	for _, want := range []string{"PASS", "127.0.0.1:40001", "FAIL 1", "127.0.0.1:40002", "client.subject"} {
		if !strings.Contains(f, want) {
			t.Errorf("list lacks %q:\n%s", want, f)
		}
	}
	press(m, "o")
	if m.prompt.active() {
		t.Error("o opened a prompt in listen mode")
	}
	press(m, "enter")
	if m.state != stateTarget || m.cur != 0 {
		t.Fatalf("enter: state %v, target %d; want the first client open", m.state, m.cur)
	}
	if f := frame(m); !strings.Contains(f, "client.issuer") {
		t.Errorf("the open client does not show its client checks:\n%s", f)
	}
	press(m, "esc")
	if m.state != stateList {
		t.Errorf("esc: state %v, want the list", m.state)
	}
}

// TestFeedClientScreens: a client that sent no SNI shows its TLS version
// alone on the second header line (not " · TLS 1.3"), and the error
// screen of a client whose handshake failed offers only esc (listen
// inspects nothing itself: r and o are off).
func TestFeedClientScreens(t *testing.T) {
	t.Parallel()
	feed := make(chan inspect.Report)
	m := NewModel(context.Background(), Config{Feed: feed, Waiting: "listening", Policy: "test-sender"})
	t.Cleanup(m.cancel)
	m.Init()
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	noSNI := *passingReport(t)
	noSNI.ServerName = ""
	m.Update(feedMsg{report: noSNI, ok: true})
	m.Update(feedMsg{report: failedReport("127.0.0.1:40003", "the client connected and closed without a ClientHello: it never began TLS"), ok: true})
	press(m, "enter")
	if second := strings.Split(frame(m), "\n")[1]; !strings.HasPrefix(second, "TLS 1.") {
		t.Errorf("header of a client without SNI = %q, want it to start with its TLS version", second)
	}
	press(m, "esc", "j", "enter")
	f := frame(m)
	if !strings.Contains(f, "the client connected and closed without a ClientHello") || !strings.Contains(f, "esc shows all targets") {
		t.Errorf("the client's error screen lacks its error or esc:\n%s", f)
	}
	for _, dead := range []string{"r inspects again", "o inspects another target"} {
		if strings.Contains(f, dead) {
			t.Errorf("the client's error screen offers %q, which does nothing in listen:\n%s", dead, f)
		}
	}
}
