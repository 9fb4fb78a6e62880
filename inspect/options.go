package inspect

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"time"

	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
)

// Dialer opens the TCP connections of a live inspection. *net.Dialer is one;
// tests pass their own.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Options carries everything an inspection takes from outside: the rules,
// the trust store, the clock, the network and the bounds. The zero value of
// each field has a documented default, so Options{} inspects with the
// pagerduty policy against the embedded Mozilla roots at the current time.
type Options struct {
	// Policy holds the rules to evaluate; nil means [policy.PagerDuty].
	Policy *policy.Policy
	// Store is the trust store; nil means the embedded Mozilla roots.
	Store *trust.Store
	// ServerName overrides the name sent as SNI and checked against the
	// leaf. For files it enables the hostname check.
	ServerName string
	// At is the instant validity is evaluated at; zero means Now().
	At time.Time
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Timeout bounds each connection and each handshake; zero means 10s.
	Timeout time.Duration
	// Dialer opens connections; nil means a *net.Dialer.
	Dialer Dialer
	// Ciphers asks for every accepted cipher suite to be enumerated.
	Ciphers bool
	// PerHost bounds the connections open at once to one endpoint; zero
	// means 3, the first round of the default inspection (the policy's
	// handshake, one full handshake, one probe for TLS 1.1 and below), so
	// that it costs one round trip: measured in bench/perhost.sh, a bound
	// under the round's connections adds a round trip each time, while
	// per-client limits of servers and load balancers are often 4 or 5. A
	// silent server costs one timeout whatever the bound.
	PerHost int
	// ClientCertificate is presented when the server asks for one.
	ClientCertificate *tls.Certificate
	// AsClient judges a file's certificates as a client's chain against
	// the policy's client chains (the client.* checks) instead of a
	// server's.
	AsClient bool
	// Stdin is read for the target "-"; nil means no standard input.
	Stdin io.Reader
	// Progress, when set, is told about each step of a live inspection. It
	// is called from the inspecting goroutines and must be safe for
	// concurrent use.
	Progress func(Progress)
}

// Progress is one step of an inspection in flight, for front ends that show
// work as it happens.
type Progress struct {
	// Target is the target as given.
	Target string
	// Step names what is running: "resolving example.com",
	// "handshakes", "policy handshake, again", "TLS 1.2 probe", "cipher
	// suites".
	Step string
	// Done and Total count the probes of a step with several; both are zero
	// otherwise (Total is zero too while the count is open-ended).
	Done, Total int
	// Waiting says what the step waits for at this moment, from the
	// connections really being dialled and open: "a connection to
	// 192.0.2.1:443", "the server's answer on 2 connections"; empty when it
	// waits for nothing outside.
	Waiting string
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

// evaluationTime is the instant validity is judged at, in whole seconds:
// certificates encode validity in seconds (RFC 5280 §4.1.2.5) and the
// sender reads its clock in seconds (OTP's calendar:universal_time).
func (o *Options) evaluationTime() time.Time {
	if !o.At.IsZero() {
		return o.At.UTC().Truncate(time.Second)
	}
	return o.now().Truncate(time.Second)
}

func (o *Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return 10 * time.Second
}

func (o *Options) perHost() int {
	if o.PerHost > 0 {
		return o.PerHost
	}
	return 3
}

func (o *Options) progress(p Progress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}
