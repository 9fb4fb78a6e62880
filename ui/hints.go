package ui

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"syscall"

	"chainscope/inspect"
	"chainscope/inspect/certfile"
	"chainscope/inspect/wire"
)

// Hints says what to try after the inspection of a target could not run,
// for stderr ("chainscope: hint: …") and the interface's error screen. It
// branches on the errors' types and sentinels (errors.Is, errors.As), never
// on their text: the engine keeps each cause reachable through its
// wrapping.
func Hints(err error) []string {
	var dns *net.DNSError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ECONNREFUSED):
		return []string{"nothing listens there: check the host and port, and that the server runs"}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return []string{"no route to that address: check the address, your network and any VPN"}
	case errors.Is(err, syscall.ECONNRESET):
		return []string{"the server closed the connection at once: a firewall, or a server that refuses the client's address"}
	case errors.Is(err, inspect.ErrTimeout), errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return []string{"the server did not answer in time: check firewalls, or raise --timeout"}
	case errors.As(err, &dns) && dns.IsNotFound:
		return []string{"the name does not resolve, and no file has that name: check its spelling and your DNS"}
	case errors.As(err, &dns):
		return []string{"the name could not be resolved: check your DNS, or give an IP address"}
	case errors.Is(err, inspect.ErrNotTLS):
		return []string{"the port does not speak TLS: is it the HTTP port? HTTPS is usually 443"}
	case errors.Is(err, wire.ErrSSLv2):
		return []string{"the server speaks only SSL 2.0, which no sender accepts: enable TLS 1.2"}
	case errors.Is(err, inspect.ErrNoChain):
		return []string{"the server answers TLS but completed no handshake that shows its certificates: check that TLS 1.2 is enabled, and give --client-cert if it requires a client certificate"}
	case errors.Is(err, certfile.ErrPrivateKey):
		return []string{"give the certificate file that goes with this key: the file your server's certificate setting names (ssl_certificate, SSLCertificateFile)"}
	case errors.Is(err, certfile.ErrFormat):
		return []string{"the file should hold PEM blocks (-----BEGIN CERTIFICATE-----) or DER certificates"}
	case errors.Is(err, inspect.ErrMalformedTarget):
		return []string{"a target is host, host:port, [ipv6]:port, https://host[:port]/path, a certificate file, or - for standard input"}
	case errors.Is(err, inspect.ErrDirectory):
		return []string{"give a certificate file in it (.pem, .crt, .cer, .der), not the directory"}
	case errors.Is(err, fs.ErrNotExist):
		return []string{"no such file: check the path (an argument with a / or a certificate extension is always a file)"}
	case errors.Is(err, fs.ErrPermission):
		return []string{"the file cannot be read: check its permissions"}
	}
	return nil
}
