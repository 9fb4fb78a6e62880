// Package hostile serves misbehaving TLS servers on 127.0.0.1, as fixtures
// for the live inspection's tests and for bench/hostile.sh.
//
// Each [Scenario] answers a ClientHello the way one broken or malicious
// server would: a record or message header claiming more than any limit,
// records that never end, a flight of a thousand certificates, another
// protocol altogether. Up to the point where the hostility starts, the
// answer is valid for the hello it replies to: the ServerHello echoes the
// session id, picks a version and a cipher suite the client offered, and
// carries a usable key share when only TLS 1.3 was offered, so a client
// fails on the hostile part and not on an earlier mistake of the fixture.
//
// Every server is bounded: it stops writing when the peer goes away, each
// write has a deadline, and the stop function of [Listen] ends every
// connection.
//
// The package sits outside inspect/ so that bench/hostile-server, a
// separate command, may import it too (Go's internal rule).
package hostile

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"slices"
	"sync"
	"time"

	"golang.org/x/crypto/cryptobyte"
)

// Scenario is one misbehaving server.
type Scenario struct {
	// Name identifies the scenario on the command line: "endless-records".
	Name string
	// Description says what the server does, in one sentence.
	Description string
	// Serve answers one connection whose ClientHello, the whole handshake
	// message with its four-byte header, has been read already. It returns
	// when it is done or the peer is gone; the connection is closed after.
	Serve func(conn net.Conn, hello []byte)
}

// Bounds of every server.
const (
	// helloTimeout bounds the wait for the client's first flight, and for
	// the second ClientHello after a HelloRetryRequest.
	helloTimeout = 5 * time.Second
	// writeTimeout bounds each write, so that a peer that stops reading
	// without closing does not hold a server forever.
	writeTimeout = 5 * time.Second
	// lingerTimeout bounds the wait for the peer to go away once the
	// hostile bytes are written.
	lingerTimeout = 30 * time.Second
	// maxHello bounds the ClientHello read, records and message alike.
	maxHello = 64 << 10
)

// Protocol numbers (RFC 5246 §6.2.1, §7.4; RFC 8446 §4, §4.2).
const (
	recordChangeCipherSpec = 20
	recordAlert            = 21
	recordHandshake        = 22

	typeHelloRequest    = 0
	typeClientHello     = 1
	typeServerHello     = 2
	typeCertificate     = 11
	typeServerHelloDone = 14

	extSupportedGroups     = 10
	extSignatureAlgorithms = 13
	extSupportedVersions   = 43
	extCookie              = 44
	extKeyShare            = 51

	versionTLS10 = 0x0301
	versionTLS12 = 0x0303
	versionTLS13 = 0x0304

	groupX25519    = 0x001D
	groupSecp256r1 = 0x0017
	groupSecp384r1 = 0x0018

	// maxRecordPlaintext is 2^14, the largest fragment (RFC 5246 §6.2.1).
	maxRecordPlaintext = 1 << 14
)

// helloRetryRandom is SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
var helloRetryRandom = []byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}

// Scenarios returns every scenario, in a fixed order.
func Scenarios() []Scenario {
	return []Scenario{
		{"endless-records", "a valid ServerHello, then empty HelloRequest records without end, until the client goes away", serveEndlessRecords},
		{"oversized-record", fmt.Sprintf("a handshake record of %d bytes, one more than the TLSCiphertext bound of RFC 5246 §6.2.3", maxRecordPlaintext+2048+1), serveOversizedRecord},
		{"huge-message", "a valid ServerHello, then a Certificate message header claiming 16 MiB, its body streamed until the client goes away", serveHugeMessage},
		{"thousand-certificates", "a valid ServerHello, then a Certificate message of 1,000 entries", serveThousandCertificates},
		{"zero-length-certificate", "a valid ServerHello, then a Certificate whose second entry is zero bytes long", serveZeroLengthCertificate},
		{"garbage-after-serverhello", "a valid ServerHello record, then bytes that are no TLS record", serveGarbageAfterServerHello},
		{"unknown-version", "a ServerHello with server_version 0x0305", serveUnknownVersion},
		{"unknown-suite", "an otherwise valid ServerHello selecting cipher suite 0x1337, which no client offers", serveUnknownSuite},
		{"alert-storm", "500 warning unrecognized_name alerts instead of a ServerHello", serveAlertStorm},
		{"dribble", "a valid ServerHello written one byte per second", serveDribble},
		{"reset-mid-message", "half a ServerHello, then a TCP reset", serveResetMidMessage},
		{"sslv2", "an SSL 2.0 SERVER-HELLO", serveSSLv2},
		{"http", "an HTTP/1.1 400 Bad Request response", serveHTTP},
		{"hello-retry", "a TLS 1.3 HelloRetryRequest to every ClientHello, the retried one too and those that offer no TLS 1.3", serveHelloRetry},
	}
}

// Lookup returns the scenario called name.
func Lookup(name string) (Scenario, bool) {
	for _, s := range Scenarios() {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// Listen serves s on 127.0.0.1:0 until stop is called; every connection
// reads the client's first flight (bounded, with a deadline), then calls
// Serve. stop closes the listener and every open connection and waits for
// the goroutines; it may be called more than once.
func Listen(s Scenario) (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("hostile %s: listen: %w", s.Name, err)
	}
	srv := &server{ln: ln, scenario: s, conns: map[net.Conn]struct{}{}}
	srv.wg.Add(1)
	go srv.accept()
	return ln.Addr().String(), sync.OnceFunc(srv.stop), nil
}

// server is one listening scenario and its open connections.
type server struct {
	ln       net.Listener
	scenario Scenario
	wg       sync.WaitGroup
	mu       sync.Mutex
	closed   bool
	conns    map[net.Conn]struct{}
}

func (srv *server) accept() {
	defer srv.wg.Done()
	for {
		c, err := srv.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of descriptors, say: the peer may retry.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if !srv.track(c) {
			c.Close()
			return
		}
		srv.wg.Add(1)
		go srv.handle(c)
	}
}

func (srv *server) track(c net.Conn) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.closed {
		return false
	}
	srv.conns[c] = struct{}{}
	return true
}

func (srv *server) handle(c net.Conn) {
	defer srv.wg.Done()
	defer func() {
		srv.mu.Lock()
		delete(srv.conns, c)
		srv.mu.Unlock()
		c.Close()
	}()
	hello, err := readClientHello(c)
	if err != nil {
		return
	}
	srv.scenario.Serve(c, hello)
}

func (srv *server) stop() {
	srv.mu.Lock()
	srv.closed = true
	srv.ln.Close()
	for c := range srv.conns {
		c.Close() // unblocks the connection's pending read or write
	}
	srv.mu.Unlock()
	srv.wg.Wait()
}

// readClientHello reads records until one handshake message is complete
// and returns it, header included. Change_cipher_spec records are skipped:
// a TLS 1.3 client sends one before its second ClientHello (RFC 8446 §D.4).
func readClientHello(c net.Conn) ([]byte, error) {
	if err := c.SetReadDeadline(time.Now().Add(helloTimeout)); err != nil {
		return nil, err
	}
	defer c.SetReadDeadline(time.Time{})
	var msg []byte
	for records := 0; records < 16; records++ {
		var hdr [5]byte
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			return nil, fmt.Errorf("record header: %w", err)
		}
		n := int(hdr[3])<<8 | int(hdr[4])
		if n > maxRecordPlaintext {
			return nil, fmt.Errorf("record of %d bytes", n)
		}
		frag := make([]byte, n)
		if _, err := io.ReadFull(c, frag); err != nil {
			return nil, fmt.Errorf("record body: %w", err)
		}
		switch hdr[0] {
		case recordChangeCipherSpec:
			continue
		case recordHandshake:
		default:
			return nil, fmt.Errorf("record type %d", hdr[0])
		}
		msg = append(msg, frag...)
		if len(msg) >= 4 {
			size := int(msg[1])<<16 | int(msg[2])<<8 | int(msg[3])
			if msg[0] != typeClientHello || size > maxHello {
				return nil, fmt.Errorf("handshake message type %d of %d bytes", msg[0], size)
			}
			if len(msg) >= 4+size {
				return msg[:4+size], nil
			}
		}
	}
	return nil, errors.New("client hello spans too many records")
}

// clientHello is what a scenario needs of a ClientHello.
type clientHello struct {
	version   uint16
	random    []byte
	sessionID []byte
	suites    []uint16
	versions  []uint16 // supported_versions; nil when not sent
	groups    []uint16 // supported_groups
	shares    []uint16 // the groups of the key_share entries
	sigAlgs   []uint16 // signature_algorithms
}

// parseClientHello decodes a ClientHello message (RFC 5246 §7.4.1.2,
// RFC 8446 §4.1.2), header included.
func parseClientHello(msg []byte) (*clientHello, error) {
	s := cryptobyte.String(msg)
	var typ uint8
	var body cryptobyte.String
	if !s.ReadUint8(&typ) || typ != typeClientHello || !s.ReadUint24LengthPrefixed(&body) || !s.Empty() {
		return nil, errors.New("not a client hello")
	}
	ch := &clientHello{}
	var sid, suites, compression cryptobyte.String
	if !body.ReadUint16(&ch.version) || !body.ReadBytes(&ch.random, 32) ||
		!body.ReadUint8LengthPrefixed(&sid) ||
		!body.ReadUint16LengthPrefixed(&suites) ||
		!body.ReadUint8LengthPrefixed(&compression) {
		return nil, errors.New("client hello: truncated")
	}
	ch.sessionID = bytes.Clone(sid)
	var err error
	if ch.suites, err = readUint16s(suites); err != nil {
		return nil, fmt.Errorf("client hello: cipher_suites: %w", err)
	}
	if body.Empty() {
		return ch, nil // no extensions (RFC 5246 §7.4.1.2)
	}
	var exts cryptobyte.String
	if !body.ReadUint16LengthPrefixed(&exts) || !body.Empty() {
		return nil, errors.New("client hello: extensions: truncated")
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return nil, errors.New("client hello: extension: truncated")
		}
		if err := ch.decodeExtension(typ, data); err != nil {
			return nil, fmt.Errorf("client hello: extension %d: %w", typ, err)
		}
	}
	return ch, nil
}

func (ch *clientHello) decodeExtension(typ uint16, data cryptobyte.String) error {
	var list cryptobyte.String
	var err error
	switch typ {
	case extSupportedVersions:
		if !data.ReadUint8LengthPrefixed(&list) {
			return errors.New("truncated")
		}
		ch.versions, err = readUint16s(list)
		if ch.versions == nil {
			ch.versions = []uint16{}
		}
	case extSupportedGroups:
		if !data.ReadUint16LengthPrefixed(&list) {
			return errors.New("truncated")
		}
		ch.groups, err = readUint16s(list)
	case extSignatureAlgorithms:
		if !data.ReadUint16LengthPrefixed(&list) {
			return errors.New("truncated")
		}
		ch.sigAlgs, err = readUint16s(list)
	case extKeyShare:
		if !data.ReadUint16LengthPrefixed(&list) {
			return errors.New("truncated")
		}
		for !list.Empty() {
			var g uint16
			var key cryptobyte.String
			if !list.ReadUint16(&g) || !list.ReadUint16LengthPrefixed(&key) {
				return errors.New("key share entry: truncated")
			}
			ch.shares = append(ch.shares, g)
		}
	}
	return err
}

func readUint16s(s cryptobyte.String) ([]uint16, error) {
	var out []uint16
	for !s.Empty() {
		var v uint16
		if !s.ReadUint16(&v) {
			return nil, errors.New("odd length")
		}
		out = append(out, v)
	}
	return out, nil
}

// isGREASE reports a GREASE value of RFC 8701 §2: 0x0A0A, 0x1A1A, …
func isGREASE(v uint16) bool { return v&0x0F0F == 0x0A0A && v>>8 == v&0xFF }

// offers13 reports whether TLS 1.3 was offered (RFC 8446 §4.2.1).
func (ch *clientHello) offers13() bool { return slices.Contains(ch.versions, versionTLS13) }

// legacyVersion returns the highest version up to TLS 1.2 the hello
// offers, or 0 when it offers only TLS 1.3.
func (ch *clientHello) legacyVersion() uint16 {
	if ch.versions == nil {
		return min(ch.version, versionTLS12)
	}
	best := uint16(0)
	for _, v := range ch.versions {
		if v >= 0x0300 && v <= versionTLS12 {
			best = max(best, v)
		}
	}
	return best
}

// classicSuites are suites valid from SSL 3.0 or TLS 1.0 on, neither
// export-grade nor tied to TLS 1.2, for answers below TLS 1.2.
var classicSuites = []uint16{0xC013, 0xC014, 0xC009, 0xC00A, 0x002F, 0x0035, 0x0033, 0x0039, 0x000A}

// suiteFor picks the first offered cipher suite that may be negotiated at
// version v: a TLS 1.3 suite for TLS 1.3; below TLS 1.2 one of
// classicSuites when offered, so that a suite only TLS 1.2 allows or an
// export suite (RFC 4346 §A.5) does not end the handshake before the
// hostility starts. Signaling values and GREASE are skipped.
func (ch *clientHello) suiteFor(v uint16) uint16 {
	is13 := func(s uint16) bool { return s>>8 == 0x13 }
	usable := func(s uint16) bool {
		return !isGREASE(s) && s != 0x00FF && s != 0x5600 && is13(s) == (v == versionTLS13)
	}
	if v < versionTLS12 {
		for _, s := range ch.suites {
			if slices.Contains(classicSuites, s) {
				return s
			}
		}
	}
	for _, s := range ch.suites {
		if usable(s) {
			return s
		}
	}
	if v == versionTLS13 {
		return 0x1301 // TLS_AES_128_GCM_SHA256, which every TLS 1.3 client has
	}
	return 0x002F // TLS_RSA_WITH_AES_128_CBC_SHA
}

// answer is the version, record version and ServerHello a scenario sends
// before its hostility; suite replaces the pick when non-zero. Scenarios
// send the ServerHello in a record of its own, as TLS 1.3 requires
// (RFC 8446 §5.1), and the hostility after it.
func (ch *clientHello) answer(suite uint16) (version, recVersion uint16, msg []byte) {
	version = ch.legacyVersion()
	if version == 0 && ch.offers13() {
		// Only TLS 1.3 was offered.
		return ch.answer13(suite)
	}
	if version == 0 {
		version = versionTLS12 // nothing offered that we know: say TLS 1.2
	}
	if suite == 0 {
		suite = ch.suiteFor(version)
	}
	// A fresh session id: echoing the client's would claim a resumption
	// (RFC 5246 §7.4.1.3). No extensions: nothing the client could object
	// to (RFC 5246 §7.4.1.4).
	return version, version, serverHello(version, randomBytes(32), randomBytes(32), suite, nil)
}

// answer13 is a TLS 1.3 ServerHello with a key share for a group the
// client sent one for (RFC 8446 §4.2.8); suite replaces the pick when
// non-zero.
func (ch *clientHello) answer13(suite uint16) (version, recVersion uint16, msg []byte) {
	if suite == 0 {
		suite = ch.suiteFor(versionTLS13)
	}
	var ext cryptobyte.Builder
	addExtension(&ext, extSupportedVersions, func(b *cryptobyte.Builder) { b.AddUint16(versionTLS13) })
	group, share := keyShare(ch.shares)
	addExtension(&ext, extKeyShare, func(b *cryptobyte.Builder) {
		b.AddUint16(group)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(share) })
	})
	return versionTLS13, versionTLS12, serverHello(versionTLS12, randomBytes(32), ch.sessionID, suite, ext.BytesOrPanic())
}

// keyShare returns a fresh public key for the first group among shares
// that it can make one for; X25519 when there is none.
func keyShare(shares []uint16) (uint16, []byte) {
	curves := map[uint16]ecdh.Curve{groupX25519: ecdh.X25519(), groupSecp256r1: ecdh.P256(), groupSecp384r1: ecdh.P384()}
	group := uint16(groupX25519)
	for _, g := range shares {
		if _, ok := curves[g]; ok {
			group = g
			break
		}
	}
	k, err := curves[group].GenerateKey(rand.Reader)
	if err != nil {
		panic(err) // crypto/rand does not fail (Go 1.24 and later)
	}
	return group, k.PublicKey().Bytes()
}

// serverHello builds a ServerHello message (RFC 5246 §7.4.1.3, RFC 8446
// §4.1.3); exts nil sends no extensions block.
func serverHello(version uint16, random, sessionID []byte, suite uint16, exts []byte) []byte {
	var b cryptobyte.Builder
	b.AddUint8(typeServerHello)
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		b.AddUint16(version)
		b.AddBytes(random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sessionID) })
		b.AddUint16(suite)
		b.AddUint8(0) // compression: null
		if exts != nil {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(exts) })
		}
	})
	return b.BytesOrPanic()
}

func addExtension(b *cryptobyte.Builder, typ uint16, data func(*cryptobyte.Builder)) {
	b.AddUint16(typ)
	b.AddUint16LengthPrefixed(data)
}

// handshake frames a handshake message (RFC 5246 §7.4).
func handshake(typ uint8, body []byte) []byte {
	return append([]byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}, body...)
}

// record frames payload as one record; payload may exceed 2^14 bytes for
// scenarios that want it to.
func record(typ uint8, version uint16, payload []byte) []byte {
	return append([]byte{typ, byte(version >> 8), byte(version), byte(len(payload) >> 8), byte(len(payload))}, payload...)
}

// certificateBody builds a Certificate body from its entries (RFC 5246 §7.4.2).
func certificateBody(entries ...[]byte) []byte {
	var b cryptobyte.Builder
	b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
		for _, e := range entries {
			b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(e) })
		}
	})
	return b.BytesOrPanic()
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// selfSigned returns the DER of a fresh self-signed ECDSA certificate.
func selfSigned() []byte {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "hostile.test"},
		DNSNames:     []string{"hostile.test"},
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	return der
}

// write writes b within writeTimeout.
func write(c net.Conn, b []byte) error {
	if err := c.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	_, err := c.Write(b)
	return err
}

// waitGone reads and drops what the peer sends for up to d and reports
// whether the peer went away (or the connection was closed) meanwhile.
func waitGone(c net.Conn, d time.Duration) bool {
	if err := c.SetReadDeadline(time.Now().Add(d)); err != nil {
		return true
	}
	var buf [512]byte
	for {
		if _, err := c.Read(buf[:]); err != nil {
			return !errors.Is(err, os.ErrDeadlineExceeded)
		}
	}
}

// sendThenWait returns a Serve that writes what build makes of the hello,
// then waits for the peer to go away, so the end of the answer is not an
// EOF the client might report instead of the hostility.
func sendThenWait(build func(ch *clientHello) []byte) func(net.Conn, []byte) {
	return func(c net.Conn, hello []byte) {
		ch, err := parseClientHello(hello)
		if err != nil {
			return
		}
		if write(c, build(ch)) != nil {
			return
		}
		waitGone(c, lingerTimeout)
	}
}

func serveEndlessRecords(c net.Conn, hello []byte) {
	ch, err := parseClientHello(hello)
	if err != nil {
		return
	}
	_, rv, sh := ch.answer(0)
	if write(c, record(recordHandshake, rv, sh)) != nil {
		return
	}
	// An empty HelloRequest, which a client in a handshake ignores
	// (RFC 5246 §7.4.1.1), nine bytes a record, about 4 KiB a write and
	// 4 MB a second: without end for a client that keeps reading. Paced,
	// because a flood left unread in the client's socket makes the kernel
	// prune its receive queue and retransmit, which stalled whole
	// inspections for up to a second on a loaded machine.
	chunk := bytes.Repeat(record(recordHandshake, rv, handshake(typeHelloRequest, nil)), 455)
	for {
		if write(c, chunk) != nil || waitGone(c, time.Millisecond) {
			return
		}
	}
}

func serveOversizedRecord(c net.Conn, hello []byte) {
	sendThenWait(func(ch *clientHello) []byte {
		_, rv, _ := ch.answer(0)
		// The whole body is sent: a client must refuse the header, not
		// time out waiting for bytes that never come.
		return record(recordHandshake, rv, make([]byte, maxRecordPlaintext+2048+1))
	})(c, hello)
}

func serveHugeMessage(c net.Conn, hello []byte) {
	ch, err := parseClientHello(hello)
	if err != nil {
		return
	}
	_, rv, sh := ch.answer(0)
	const claimed = 1<<24 - 1 // the largest uint24: 16 MiB
	if write(c, record(recordHandshake, rv, sh)) != nil ||
		write(c, record(recordHandshake, rv, []byte{typeCertificate, 0xFF, 0xFF, 0xFF})) != nil {
		return
	}
	// The body, 16 KiB a record and 16 MB a second at most, paced like
	// serveEndlessRecords.
	body := record(recordHandshake, rv, make([]byte, maxRecordPlaintext))
	for sent := 0; sent < claimed; sent += maxRecordPlaintext {
		if write(c, body) != nil || waitGone(c, time.Millisecond) {
			return
		}
	}
	waitGone(c, lingerTimeout)
}

func serveThousandCertificates(c net.Conn, hello []byte) {
	sendThenWait(func(ch *clientHello) []byte {
		_, rv, sh := ch.answer(0)
		// Small entries, so the message stays within any message size
		// limit and only a bound on the count stops the client.
		entries := make([][]byte, 1000)
		for i := range entries {
			entries[i] = []byte{0x30, 0x03, 0x02, 0x01, byte(i)} // SEQUENCE { INTEGER i }
		}
		msgs := slices.Concat(handshake(typeCertificate, certificateBody(entries...)), handshake(typeServerHelloDone, nil))
		return slices.Concat(record(recordHandshake, rv, sh), record(recordHandshake, rv, msgs))
	})(c, hello)
}

func serveZeroLengthCertificate(c net.Conn, hello []byte) {
	sendThenWait(func(ch *clientHello) []byte {
		_, rv, sh := ch.answer(0)
		// RFC 5246 §7.4.2: ASN.1Cert<1..2^24-1>; an empty entry is malformed.
		msgs := slices.Concat(handshake(typeCertificate, certificateBody(selfSigned(), nil)), handshake(typeServerHelloDone, nil))
		return slices.Concat(record(recordHandshake, rv, sh), record(recordHandshake, rv, msgs))
	})(c, hello)
}

func serveGarbageAfterServerHello(c net.Conn, hello []byte) {
	sendThenWait(func(ch *clientHello) []byte {
		_, rv, sh := ch.answer(0)
		return append(record(recordHandshake, rv, sh), bytes.Repeat([]byte{0xDE, 0xAD, 0xBE, 0xEF}, 256)...)
	})(c, hello)
}

func serveUnknownVersion(c net.Conn, hello []byte) {
	sendThenWait(func(ch *clientHello) []byte {
		sh := serverHello(0x0305, randomBytes(32), ch.sessionID, ch.suiteFor(versionTLS12), nil)
		return record(recordHandshake, versionTLS12, sh)
	})(c, hello)
}

func serveUnknownSuite(c net.Conn, hello []byte) {
	sendThenWait(func(ch *clientHello) []byte {
		_, rv, sh := ch.answer(0x1337)
		return record(recordHandshake, rv, sh)
	})(c, hello)
}

func serveAlertStorm(c net.Conn, hello []byte) {
	sendThenWait(func(ch *clientHello) []byte {
		// warning(1) unrecognized_name(112): the warning real servers send
		// before their ServerHello (RFC 6066 §3), five hundred times.
		rv := max(versionTLS10, ch.legacyVersion())
		return bytes.Repeat(record(recordAlert, rv, []byte{1, 112}), 500)
	})(c, hello)
}

func serveDribble(c net.Conn, hello []byte) {
	ch, err := parseClientHello(hello)
	if err != nil {
		return
	}
	_, rv, sh := ch.answer(0)
	for _, b := range record(recordHandshake, rv, sh) {
		if write(c, []byte{b}) != nil || waitGone(c, time.Second) {
			return
		}
	}
	waitGone(c, lingerTimeout)
}

func serveResetMidMessage(c net.Conn, hello []byte) {
	ch, err := parseClientHello(hello)
	if err != nil {
		return
	}
	_, rv, sh := ch.answer(0)
	rec := record(recordHandshake, rv, sh)
	if write(c, rec[:len(rec)/2]) != nil {
		return
	}
	// SO_LINGER 0: Close sends RST instead of FIN.
	if l, ok := c.(interface{ SetLinger(int) error }); ok {
		_ = l.SetLinger(0)
	}
	c.Close()
}

func serveSSLv2(c net.Conn, hello []byte) {
	// SSL 2.0 SERVER-HELLO (draft-hickman-netscape-ssl-00): msg type 4,
	// session-id-hit, certificate type X.509 (1), version 0x0002, the
	// lengths of certificate, cipher specs and connection id, then those;
	// after a two-byte record header with the high bit set.
	cert := selfSigned()
	specs := []byte{0x01, 0x00, 0x80} // SSL_CK_RC4_128_WITH_MD5
	connID := randomBytes(16)
	msg := []byte{4, 0, 1, 0x00, 0x02,
		byte(len(cert) >> 8), byte(len(cert)), byte(len(specs) >> 8), byte(len(specs)), 0, byte(len(connID))}
	msg = slices.Concat(msg, cert, specs, connID)
	rec := append([]byte{0x80 | byte(len(msg)>>8), byte(len(msg))}, msg...)
	if write(c, rec) != nil {
		return
	}
	waitGone(c, lingerTimeout)
}

func serveHTTP(c net.Conn, _ []byte) {
	// What an HTTP server says to a ClientHello on its plain-text port;
	// then it closes, as such servers do.
	_ = write(c, []byte("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 12\r\nConnection: close\r\n\r\nBad Request\n"))
}

func serveHelloRetry(c net.Conn, hello []byte) {
	// A client may retry once (RFC 8446 §4.1.4); a few more rounds are
	// allowed for clients that keep trying, then the server gives up.
	for range 4 {
		ch, err := parseClientHello(hello)
		if err != nil || write(c, record(recordHandshake, versionTLS12, helloRetryRequest(ch))) != nil {
			return
		}
		if hello, err = readClientHello(c); err != nil {
			return
		}
	}
}

// helloRetryRequest asks for a key share in a group the client supports
// but sent no share for, else for a cookie (RFC 8446 §4.1.4, §4.2.2, §4.2.8).
func helloRetryRequest(ch *clientHello) []byte {
	var ext cryptobyte.Builder
	addExtension(&ext, extSupportedVersions, func(b *cryptobyte.Builder) { b.AddUint16(versionTLS13) })
	group := uint16(0)
	for _, g := range ch.groups {
		if !isGREASE(g) && !slices.Contains(ch.shares, g) {
			group = g
			break
		}
	}
	if group != 0 {
		addExtension(&ext, extKeyShare, func(b *cryptobyte.Builder) { b.AddUint16(group) })
	} else {
		addExtension(&ext, extCookie, func(b *cryptobyte.Builder) {
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(randomBytes(16)) })
		})
	}
	return serverHello(versionTLS12, helloRetryRandom, ch.sessionID, ch.suiteFor(versionTLS13), ext.BytesOrPanic())
}
