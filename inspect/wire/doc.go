// Package wire speaks the clear-text opening of a TLS handshake itself, as
// a client, without crypto/tls.
//
// It builds ClientHello messages that offer any cipher-suite code point,
// including the DHE, static ECDH, anonymous, EXPORT, RC4, NULL, CAMELLIA,
// ARIA and CCM suites that crypto/tls cannot negotiate, and reads the
// server's answer up to the point where encryption would start: in TLS 1.2
// and earlier ServerHello through ServerHelloDone (RFC 5246 §7.3), in TLS 1.3
// only the ServerHello or HelloRetryRequest (RFC 8446 §4.1.3). It never
// derives keys or completes a handshake; the caller closes the connection.
//
// Everything read from the server is bounded by Limits, and every field the
// server sends is checked against what the ClientHello offered, so a
// ServerFlight that comes back without error describes a server that
// answered the hello correctly.
//
// The package also carries the IANA registries the rest of chainscope needs
// to name what it sees: cipher suites (Suites, SuiteByID, SuiteByName),
// protocol versions, named groups, signature schemes, extensions and alerts.
package wire
