package inspect

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
)

// TestClientOutcomeRefused: what mtls check counts as the server refusing
// a client — the handshake failing, an alert or the connection closed
// without an answer during the request, a refusing status — and what it
// counts as letting the client in: any other answer, or a request that
// ran out of time (nothing says the server refused it).
func TestClientOutcomeRefused(t *testing.T) {
	t.Parallel()
	alert := &net.OpError{Op: "remote error", Err: errors.New("tls: bad certificate")}
	tests := []struct {
		name string
		o    clientOutcome
		want bool
	}{
		{"handshake failed", clientOutcome{err: errors.New("remote error: tls: unknown certificate authority")}, true},
		{"alert during the request", clientOutcome{httpErr: alert}, true},
		{"closed without an answer (nginx return 444)", clientOutcome{httpErr: io.EOF}, true},
		{"closed within a record", clientOutcome{httpErr: fmt.Errorf("read: %w", io.ErrUnexpectedEOF)}, true},
		{"reset", clientOutcome{httpErr: &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}}, true},
		{"400", clientOutcome{status: "400 Bad Request"}, true},
		{"403", clientOutcome{status: "403 Forbidden"}, true},
		{"200", clientOutcome{status: "200 OK"}, false},
		{"405 from the application", clientOutcome{status: "405 Method Not Allowed"}, false},
		{"timed out", clientOutcome{httpErr: os.ErrDeadlineExceeded}, false},
		{"not HTTP", clientOutcome{httpErr: errors.New(`not an HTTP response: "SSH-2.0"`)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.o.refused(); got != tt.want {
				t.Errorf("refused() = %v, want %v (%s)", got, tt.want, tt.o.how("/webhook"))
			}
		})
	}
}
