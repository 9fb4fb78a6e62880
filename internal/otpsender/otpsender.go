// Package otpsender runs the sender's own TLS stack: an Erlang/OTP ssl
// client (Debian's erlang-base and erlang-ssl, run as an escript)
// configured as shared/spec/sender-model.md section 6 says — TLS 1.2 only,
// the seed's cipher suites passed explicitly, the signature schemes of
// section 2 (OTP 25 adds RSA-PSS to them), verify_peer against a CA
// file, SNI, the HTTPS host-name match, and a client certificate presented
// whenever a server asks — followed by one HEAD / over the connection, as
// a delivery meets an HTTP-level refusal. Tests compare chainscope's
// verdicts with it.
//
// One Erlang VM ([Start]) serves every connection of a test, each in its
// own Erlang process: a VM takes about a second of a loaded machine to
// boot, so one per connection made tests time out on a busy CI runner.
package otpsender

import (
	"bufio"
	"context"
	_ "embed"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed sender.escript
var script []byte

// Client is one Erlang VM running the sender's client. Its methods are
// safe for concurrent use.
type Client struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed when the VM's output ends

	mu      sync.Mutex
	next    int
	pending map[int]chan string
	ready   chan struct{} // closed when the VM said "ready"
	err     error         // why the VM stopped, once done
	stderr  strings.Builder
}

// Start writes the escript into dir and starts its VM; the VM boots in the
// background and the first [Client.Connect] waits for it. Close stops it.
func Start(dir string) (*Client, error) {
	path := filepath.Join(dir, "sender.escript")
	if err := os.WriteFile(path, script, 0o700); err != nil {
		return nil, err
	}
	c := &Client{cmd: exec.Command("escript", path), done: make(chan struct{}), ready: make(chan struct{}), pending: map[int]chan string{}}
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c.cmd.Stderr = &lockedWriter{mu: &c.mu, w: &c.stderr}
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start escript: %w", err)
	}
	go c.read(stdout)
	return c, nil
}

// read hands each answer line to the request waiting for it.
func (c *Client) read(stdout io.Reader) {
	defer close(c.done)
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "ready" {
			close(c.ready)
			continue
		}
		id, rest, _ := strings.Cut(line, " ")
		n, err := strconv.Atoi(id)
		if err != nil {
			continue // the VM's own chatter
		}
		c.mu.Lock()
		ch := c.pending[n]
		delete(c.pending, n)
		c.mu.Unlock()
		if ch != nil {
			ch <- rest
		}
	}
	err := c.cmd.Wait()
	c.mu.Lock()
	c.err = fmt.Errorf("escript stopped (%v): %s", err, strings.TrimSpace(c.stderr.String()))
	c.mu.Unlock()
}

// Close ends the VM's input, waits for it to stop, and returns once its
// output is read to the end. Connections still under way are cut.
func (c *Client) Close() error {
	_ = c.stdin.Close()
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
	return nil
}

// lockedWriter writes to w under mu.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
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

// Connect makes one connection and one request, bounded by ctx (the VM's
// boot included) and by o.Timeout inside the VM. The error is for a VM
// that stopped, a request that could not be sent or an answer that does
// not parse; a refused delivery is a Result.
func (c *Client) Connect(ctx context.Context, o Options) (Result, error) {
	host, port, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return Result{}, err
	}
	cert, key := o.CertFile, o.KeyFile
	if cert == "" {
		cert, key = "-", "-"
	}
	fields := append([]string{host, port, o.ServerName, o.CAFile, cert, key, fmt.Sprint(o.Timeout.Milliseconds())}, o.Suites...)
	for _, f := range fields {
		if f == "" || strings.ContainsAny(f, "\t\r\n") {
			return Result{}, fmt.Errorf("otpsender: request field %q is empty or holds a tab or newline", f)
		}
	}
	select {
	case <-c.ready:
	case <-c.done:
		return Result{}, c.stopped()
	case <-ctx.Done():
		return Result{}, fmt.Errorf("otpsender: the Erlang VM did not start: %w", ctx.Err())
	}
	ch := make(chan string, 1)
	c.mu.Lock()
	c.next++
	id := c.next
	c.pending[id] = ch
	_, err = fmt.Fprintf(c.stdin, "%d\t%s\n", id, strings.Join(fields, "\t"))
	c.mu.Unlock()
	if err != nil {
		return Result{}, fmt.Errorf("otpsender: write request: %w", err)
	}
	select {
	case line := <-ch:
		return parse(line)
	case <-c.done:
		return Result{}, c.stopped()
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return Result{}, fmt.Errorf("otpsender: no answer from the Erlang VM: %w", ctx.Err())
	}
}

func (c *Client) stopped() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// parse reads one answer line, its id removed.
func parse(line string) (Result, error) {
	r := Result{Line: line}
	f := strings.Fields(line)
	if len(f) == 0 {
		return Result{}, fmt.Errorf("otpsender: empty answer")
	}
	switch f[0] {
	case "ok":
		if len(f) < 5 {
			return Result{}, fmt.Errorf("otpsender: %q", line)
		}
		r.Delivered, r.Protocol, r.Suite, r.HTTP = true, f[1], f[2], strings.Join(f[4:], " ")
		if refusing(r.HTTP) {
			r.Delivered, r.Reason = false, "HTTP "+r.HTTP
		}
	case "refused":
		if len(f) < 4 {
			return Result{}, fmt.Errorf("otpsender: %q", line)
		}
		r.Protocol, r.Suite, r.Reason = f[1], f[2], strings.Join(f[3:], " ")
	case "error":
		r.Reason = strings.TrimPrefix(line, "error ")
	default:
		return Result{}, fmt.Errorf("otpsender: %q", line)
	}
	return r, nil
}

// TimedOut reports whether the connection failed for want of an answer in
// time (OTP's timeout), not for a refusal.
func (r Result) TimedOut() bool {
	return !r.Delivered && strings.HasPrefix(r.Reason, "timeout")
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
