package wire

import (
	"bytes"
	"testing"
)

// TestServerHelloOnly: with Limits.ServerHelloOnly the reader stops after
// the ServerHello, so bytes after it are never read; without it the same
// bytes are an error.
func TestServerHelloOnly(t *testing.T) {
	t.Parallel()
	stream := cat(rec(recordHandshake, tls12SH().msg()), []byte("garbage that is no record"))
	fl, err := ReadServerFlight(bytes.NewReader(stream), tls12Hello(), Limits{ServerHelloOnly: true})
	if err != nil {
		t.Fatalf("ReadServerFlight(ServerHelloOnly) error = %v", err)
	}
	if fl.Version != VersionTLS12 || fl.CipherSuite != 0xC02F || fl.Complete {
		t.Errorf("flight = version %s suite %s complete %v, want TLS 1.2, 0xC02F, false", VersionName(fl.Version), SuiteName(fl.CipherSuite), fl.Complete)
	}
	if _, err := ReadServerFlight(bytes.NewReader(stream), tls12Hello(), Limits{}); err == nil {
		t.Errorf("ReadServerFlight() without ServerHelloOnly read garbage without error")
	}
}
