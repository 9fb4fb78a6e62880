// Package otpsender runs the sender's own TLS stack: an Erlang/OTP ssl
// client (Debian's erlang-base and erlang-ssl, run as an escript)
// configured as shared/spec/sender-model.md section 6 says — TLS 1.2 only,
// the seed's cipher suites passed explicitly, verify_peer against a CA
// file, SNI, the HTTPS host-name match, and a client certificate presented
// whenever a server asks — followed by one HEAD / over the connection, as
// a delivery meets an HTTP-level refusal. Tests compare chainscope's
// verdicts with it.
package otpsender

import (
	"context"
	_ "embed"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

//go:embed sender.escript
var script []byte

// WriteScript writes the escript into dir and returns its path.
func WriteScript(dir string) (string, error) {
	p := filepath.Join(dir, "sender.escript")
	return p, os.WriteFile(p, script, 0o700)
}

// Options are one connection's settings.
type Options struct {
	// Addr is the server's host:port.
	Addr string
	// ServerName is sent as SNI and matched against the certificate.
	ServerName string
	// CAFile is the PEM file of roots the client trusts.
	CAFile string
	// CertFile (the chain, leaf first) and KeyFile are the client
	// certificate presented when asked; empty for none.
	CertFile, KeyFile string
	// Suites are IANA cipher suite names, in order.
	Suites []string
	// Timeout bounds the handshake, and the request after it.
	Timeout time.Duration
}

// Result is what the client saw.
type Result struct {
	// Delivered is true when the handshake completed and the request over
	// it was not refused (an answer, or none in time, from a server that
	// speaks no HTTP).
	Delivered bool
	// Protocol and Suite are the negotiated version ("tlsv1.2") and suite,
	// when the handshake completed.
	Protocol, Suite string
	// HTTP is the response's status line, or "none".
	HTTP string
	// Reason is why the delivery failed: OTP's error term.
	Reason string
	// Line is the script's whole answer.
	Line string
}

// Run connects once with the escript at path. The error is for a script
// that could not run or answered nothing that parses; a refused delivery is
// a Result.
func Run(ctx context.Context, path string, o Options) (Result, error) {
	host, port, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return Result{}, err
	}
	cert, key := o.CertFile, o.KeyFile
	if cert == "" {
		cert, key = "-", "-"
	}
	args := append([]string{path, host, port, o.ServerName, o.CAFile, cert, key, fmt.Sprint(o.Timeout.Milliseconds())}, o.Suites...)
	out, err := exec.CommandContext(ctx, "escript", args...).Output()
	var line string
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "ok" || f[0] == "refused" || f[0] == "error") {
			line = strings.TrimSpace(l)
		}
	}
	if line == "" {
		return Result{}, fmt.Errorf("escript: no answer (%v): %q", err, out)
	}
	r := Result{Line: line}
	f := strings.Fields(line)
	switch f[0] {
	case "ok":
		if len(f) < 5 {
			return Result{}, fmt.Errorf("escript: %q", line)
		}
		r.Delivered, r.Protocol, r.Suite, r.HTTP = true, f[1], f[2], strings.Join(f[4:], " ")
		if refusing(r.HTTP) {
			r.Delivered, r.Reason = false, "HTTP "+r.HTTP
		}
	case "refused":
		if len(f) < 4 {
			return Result{}, fmt.Errorf("escript: %q", line)
		}
		r.Protocol, r.Suite, r.Reason = f[1], f[2], strings.Join(f[3:], " ")
	default:
		r.Reason = strings.TrimPrefix(line, "error ")
	}
	return r, nil
}

// refusing reports a status line that refuses the request for want of an
// acceptable client certificate: 400 (nginx's answer), 403, 495, 496.
func refusing(status string) bool {
	f := strings.Fields(status)
	if len(f) < 2 {
		return false
	}
	switch f[1] {
	case "400", "403", "495", "496":
		return true
	}
	return false
}
