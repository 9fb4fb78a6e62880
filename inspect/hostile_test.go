package inspect

import (
	"context"
	"errors"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
	"chainscope/inspect/wire"
	"chainscope/internal/hostile"
	"chainscope/internal/testpki"
)

// hostileCases says how an inspection of each hostile server ends. None of
// these servers shows a certificate chain. Most inspections end in an
// error, one line that names the address; what differs is which error:
//
//   - The server never sends a valid ServerHello (oversized-record,
//     unknown-version, unknown-suite, dribble, reset-mid-message, sslv2,
//     http): no probe reached a TLS server, and the error is the sender's
//     own handshake's.
//   - The ServerHello is valid and chainscope's own reading bounds stop
//     the rest (endless-records, thousand-certificates): the flight may be
//     valid for all anyone knows, no handshake showed a chain, and the
//     error is the full handshake's.
//   - alert-storm: the sixth warning ends the flight (OpenSSL's limit),
//     and no chain came either; hello-retry: the TLS 1.3 probe takes the HelloRetryRequest as
//     an answer, crypto/tls refuses the second one. Both end like the
//     previous group.
//
// The others send a valid ServerHello, then what the sender itself refuses
// (huge-message, over its 256 KiB message size; zero-length-certificate;
// garbage-after-serverhello): a finding, not an error (sender-model.md
// section 3). The report fails tls.handshake with finding in its detail.
//
// flight is what stops the sender's own handshake at the wire level: the
// bound or the check that ends the read, so that it is never a timeout
// standing in for a missing limit (dribble alone is meant to time out).
var hostileCases = []struct {
	name   string
	flight []string // the policy handshake's error contains one of these
	msg    []string // the inspection's error contains one of these
	is     error    // when set, errors.Is(inspection error, is)
	// finding, when set, is in the detail of a failing tls.handshake: the
	// inspection ends in a report, not an error.
	finding string
}{
	{name: "endless-records", flight: []string{"record: more than 256 records"}, msg: []string{"no handshake showed a certificate chain"}},
	{name: "oversized-record", flight: []string{"record: length 18433 exceeds limit 18432"}, msg: []string{"record: length 18433 exceeds limit 18432"}},
	{name: "huge-message", flight: []string{"certificate: message length 16777215 exceeds limit 262144"}, finding: "certificate message is 16,777,215 bytes"},
	{name: "thousand-certificates", flight: []string{"certificate: more than 64 certificates"}, msg: []string{"no handshake showed a certificate chain"}},
	{name: "zero-length-certificate", flight: []string{"certificate: entry 1 is empty"}, finding: "certificate: entry 1 is empty"},
	{name: "garbage-after-serverhello", flight: []string{"record: version 0xADBE"}, finding: "record: version 0xADBE"},
	{name: "unknown-version", flight: []string{"server_hello: unknown version 0x0305"}, msg: []string{"unknown version 0x0305"}},
	{name: "unknown-suite", flight: []string{"cipher suite 0x1337, which the client did not offer"}, msg: []string{"cipher suite 0x1337, which the client did not offer"}},
	{name: "alert-storm", flight: []string{"server sent warning alert unrecognized_name (112)"}, msg: []string{"no handshake showed a certificate chain"}},
	{name: "dribble", flight: []string{"deadline exceeded"}, msg: []string{"no complete ServerHello within the"}, is: os.ErrDeadlineExceeded},
	// Whether the half record is read before the reset arrives is up to
	// the kernel: a reset, or a record cut short.
	{name: "reset-mid-message", flight: []string{"connection reset", "EOF"}, msg: []string{"connection reset", "EOF"}},
	{name: "sslv2", flight: []string{"server answered with SSLv2"}, msg: []string{"server answered with SSLv2"}, is: wire.ErrSSLv2},
	{name: "http", flight: []string{"not TLS: server answered with HTTP"}, msg: []string{"not TLS"}, is: wire.ErrNotTLS},
	{name: "hello-retry", flight: []string{"server selected TLS 1.3, which the client did not offer"}, msg: []string{"no handshake showed a certificate chain"}},
}

// TestHostileServers inspects every hostile server: each inspection ends,
// within its bounds, in a one-line error naming the address, and leaves no
// goroutine behind.
//
// Not parallel, nor are its subtests: the goroutine count is the process's,
// and only a test running alone can compare it before and after. (Top-level
// parallel tests wait until the sequential ones are done.)
func TestHostileServers(t *testing.T) {
	var names []string
	for _, s := range hostile.Scenarios() {
		names = append(names, s.Name)
	}
	for _, tt := range hostileCases {
		if !slices.Contains(names, tt.name) {
			t.Errorf("case %s: no such scenario", tt.name)
		}
		names = slices.DeleteFunc(names, func(n string) bool { return n == tt.name })
	}
	if len(names) > 0 {
		t.Errorf("scenarios without a case: %v", names)
	}

	for _, tt := range hostileCases {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := hostile.Lookup(tt.name)
			if !ok {
				t.Skipf("no scenario %s", tt.name)
			}
			before := runtime.NumGoroutine()
			addr, stop, err := hostile.Listen(s)
			if err != nil {
				t.Fatal(err)
			}
			defer stop()

			if err := policyHandshake(addr); err == nil || !containsAny(err.Error(), tt.flight) {
				t.Errorf("policy handshake with %s: error = %v, want one containing one of %q", tt.name, err, tt.flight)
			}
			r, err := inspectHostile(t, addr)
			stop()
			noGoroutinesLeft(t, before)

			if tt.finding != "" {
				c, _ := r.Check(CheckHandshake)
				if err != nil || r.Verdict != VerdictFail || c.Status != StatusFail || !strings.Contains(c.Detail, tt.finding) {
					t.Errorf("Inspect(%s) = verdict %s, error %v, tls.handshake %s %q; want a report failing tls.handshake with %q",
						tt.name, r.Verdict, err, c.Status, c.Detail, tt.finding)
				}
				return
			}
			if err == nil {
				t.Fatalf("Inspect(%s) = verdict %s, want an error", tt.name, r.Verdict)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\r\n") {
				t.Errorf("Inspect(%s) error = %q, want one line", tt.name, msg)
			}
			if !strings.Contains(msg, addr) {
				t.Errorf("Inspect(%s) error = %q, want it to name %s", tt.name, msg, addr)
			}
			if !containsAny(msg, tt.msg) {
				t.Errorf("Inspect(%s) error = %q, want it to contain one of %q", tt.name, msg, tt.msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Inspect(%s) error = %v, want errors.Is %v", tt.name, err, tt.is)
			}
			if r.Verdict != VerdictError || r.Error != msg || r.TLS != nil || len(r.Checks) != len(CheckIDs) {
				t.Errorf("Inspect(%s) report = verdict %s, error %q, tls %v, %d checks; want an error report saying %q",
					tt.name, r.Verdict, r.Error, r.TLS, len(r.Checks), msg)
			}
		})
	}
}

// inspectHostile inspects addr with a 1.5 s timeout under a generous outer
// deadline, and fails the test when the deadline was what ended it, or when
// Inspect did not return at all.
func inspectHostile(t *testing.T, addr string) (Report, error) {
	t.Helper()
	target, err := ParseTarget(addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type result struct {
		r   Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := Inspect(ctx, target, Options{
			Timeout:    1500 * time.Millisecond,
			At:         testpki.Now,
			ServerName: "hostile.test",
			Store:      trust.New("test", "v1", nil),
		})
		done <- result{r, err}
	}()
	select {
	case res := <-done:
		if ctx.Err() != nil {
			t.Errorf("Inspect(%s) ran into the outer 30s deadline: %v", addr, res.err)
		}
		return res.r, res.err
	case <-time.After(45 * time.Second):
		t.Fatalf("Inspect(%s) did not return 15s after its context's deadline", addr)
	}
	return Report{}, nil
}

// policyHandshake sends the pagerduty policy's ClientHello to addr and
// returns the error reading the server's flight.
func policyHandshake(addr string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = wire.Handshake(ctx, conn, policyHello(policy.PagerDuty(), "hostile.test"), wire.Limits{})
	return err
}

// noGoroutinesLeft waits up to five seconds for the goroutine count to fall
// back to before, and fails with every stack when it does not.
func noGoroutinesLeft(t *testing.T, before int) {
	t.Helper()
	n := 0
	for wait := time.Now().Add(5 * time.Second); time.Now().Before(wait); time.Sleep(20 * time.Millisecond) {
		if n = runtime.NumGoroutine(); n <= before {
			return
		}
	}
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	t.Errorf("goroutines = %d after the inspection, want at most %d as before:\n%s", n, before, buf)
}

func containsAny(s string, subs []string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}
