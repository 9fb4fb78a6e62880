package aia

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

func readCerts(t testing.TB) (inter, root *x509.Certificate, p7c []byte) {
	t.Helper()
	get := func(name string) *x509.Certificate {
		data, err := os.ReadFile("../../testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := pem.Decode(data)
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	p7c, err := os.ReadFile("../../testdata/intermediate.p7c")
	if err != nil {
		t.Fatal(err)
	}
	return get("intermediate.pem"), get("root.pem"), p7c
}

// pkcs7 builds a certs-only SignedData around the given elements.
func pkcs7(elems ...[]byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier([]int{1, 2, 840, 113549, 1, 7, 2})
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, func(*cryptobyte.Builder) {})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier([]int{1, 2, 840, 113549, 1, 7, 1})
				})
				b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
					for _, e := range elems {
						b.AddBytes(e)
					}
				})
				b.AddASN1(cbasn1.SET, func(*cryptobyte.Builder) {})
			})
		})
	})
	return b.BytesOrPanic()
}

func TestParseCertificates(t *testing.T) {
	t.Parallel()
	inter, root, p7c := readCerts(t)
	pemBoth := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: inter.Raw}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw})...)
	// An attribute certificate ([2] IMPLICIT) in the set is skipped.
	attr := []byte{0xa2, 0x00}
	tooMany := make([][]byte, MaxCertificates+1)
	for i := range tooMany {
		tooMany[i] = inter.Raw
	}
	tests := []struct {
		name string
		in   []byte
		want []*x509.Certificate
		err  error // errors.Is target, or nil for any error when want is nil
	}{
		{"DER", inter.Raw, []*x509.Certificate{inter}, nil},
		{"PEM", pemBoth, []*x509.Certificate{inter, root}, nil},
		{"PKCS#7 from openssl crl2pkcs7", p7c, []*x509.Certificate{inter, root}, nil},
		{"PKCS#7 built", pkcs7(root.Raw, attr, inter.Raw), []*x509.Certificate{root, inter}, nil},
		{"PKCS#7 without certificates", pkcs7(), nil, ErrFormat},
		{"PKCS#7 with trailing bytes", append(pkcs7(inter.Raw), 0), nil, ErrFormat},
		{"PKCS#7 too many", pkcs7(tooMany...), nil, nil},
		{"PKCS#7 truncated", p7c[:len(p7c)-10], nil, ErrFormat},
		{"PEM key only", []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), nil, ErrFormat},
		{"HTML error page", []byte("<html>404</html>"), nil, ErrFormat},
		{"empty", nil, nil, ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCertificates(tt.in)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("ParseCertificates() = %d certificates, want an error", len(got))
				}
				if tt.err != nil && !errors.Is(err, tt.err) {
					t.Errorf("ParseCertificates() error = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ParseCertificates() = %d certificates, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if !got[i].Equal(tt.want[i]) {
					t.Errorf("certificate %d = %s, want %s", i, got[i].Subject, tt.want[i].Subject)
				}
			}
		})
	}
}

func TestFetch(t *testing.T) {
	t.Parallel()
	inter, _, p7c := readCerts(t)
	mux := http.NewServeMux()
	mux.HandleFunc("/int.der", func(w http.ResponseWriter, _ *http.Request) { w.Write(inter.Raw) })
	mux.HandleFunc("/int.p7c", func(w http.ResponseWriter, _ *http.Request) { w.Write(p7c) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/int.der", http.StatusFound) })
	mux.HandleFunc("/loop/", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path+"x", http.StatusFound) })
	mux.HandleFunc("/to-ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.test/int.der", http.StatusFound)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, _ *http.Request) { w.Write(bytes.Repeat([]byte("A"), MaxSize+1)) })
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, _ *http.Request) {
		for range 100 {
			w.Write(bytes.Repeat([]byte("A"), 1024))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	tests := []struct {
		path string
		want int    // certificates
		err  string // substring of the error
	}{
		{"/int.der", 1, ""},
		{"/int.p7c", 2, ""},
		{"/moved", 1, ""},
		{"/loop/", 0, "more than 3 redirects"},
		{"/to-ftp", 0, `scheme "ftp"`},
		{"/big", 0, "larger than the bound"},
		{"/big-chunked", 0, "larger than the bound"},
		{"/slow", 0, "no answer within"},
		{"/gone", 0, "404"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			// Generous bounds on a loaded machine; only /slow must run out.
			f := Fetcher{Timeout: time.Minute}
			if tt.path == "/slow" {
				f.Timeout = time.Second
			}
			got, err := f.Fetch(context.Background(), srv.URL+tt.path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Fetch(%s) error = %v, want %q", tt.path, err, tt.err)
				}
				if !strings.Contains(err.Error(), srv.URL+tt.path) {
					t.Errorf("error %q does not name the URL", err)
				}
				return
			}
			if err != nil || len(got) != tt.want {
				t.Fatalf("Fetch(%s) = %d certificates, %v, want %d", tt.path, len(got), err, tt.want)
			}
		})
	}
	for _, u := range []string{"ldap://ldap.example.test/cn=ca", "file:///etc/passwd", "/relative"} {
		if _, err := (Fetcher{}).Fetch(context.Background(), u); err == nil {
			t.Errorf("Fetch(%q) = nil error, want a refusal", u)
		}
	}
}

// FuzzParseCertificates: any response bytes parse or fail cleanly, never
// panic, and never return more than MaxCertificates.
func FuzzParseCertificates(f *testing.F) {
	inter, root, p7c := readCerts(f)
	f.Add(inter.Raw)
	f.Add(p7c)
	f.Add(pkcs7(root.Raw, []byte{0xa2, 0x00}))
	f.Add(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: root.Raw}))
	f.Add([]byte{0x30, 0x80, 0x06, 0x09})
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, err := ParseCertificates(data)
		if err == nil && (len(certs) == 0 || len(certs) > MaxCertificates) {
			t.Fatalf("ParseCertificates() = %d certificates and no error", len(certs))
		}
		if ders, err := ParsePKCS7(data); err == nil && (len(ders) == 0 || len(ders) > MaxCertificates) {
			t.Fatalf("ParsePKCS7() = %d certificates and no error", len(ders))
		}
	})
}

// fakeRemote is a connection that says it reached another address.
type fakeRemote struct {
	net.Conn
	remote net.Addr
}

func (c fakeRemote) RemoteAddr() net.Addr { return c.remote }

// remoteDialer connects to a test server but reports the remote address
// a name resolved to.
type remoteDialer struct {
	addr   string
	remote net.IP
	dials  *atomic.Int32
}

func (d remoteDialer) DialContext(ctx context.Context, network, _ string) (net.Conn, error) {
	d.dials.Add(1)
	c, err := (&net.Dialer{}).DialContext(ctx, network, d.addr)
	if err != nil {
		return nil, err
	}
	return fakeRemote{c, &net.TCPAddr{IP: d.remote, Port: 80}}, nil
}

// TestFetchRefusedAddresses: a caIssuers URL names whatever its issuer
// (for a live target, the server) chose: the cloud metadata services
// (169.254.169.254, fd00:ec2::254), link-local, multicast and unspecified
// addresses are never sent a request, whether named as a literal, reached
// by a redirect or by a name that resolves there; loopback and private
// addresses are fetched (a private CA's AIA lives there).
func TestFetchRefusedAddresses(t *testing.T) {
	t.Parallel()
	inter, _, _ := readCerts(t)
	var requests atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/int.der", func(w http.ResponseWriter, _ *http.Request) { requests.Add(1); w.Write(inter.Raw) })
	mux.HandleFunc("/to-metadata", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")

	for _, u := range []string{"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/ca.crt", "http://[fd00:ec2::254]/",
		"http://0.0.0.0/ca.crt", "http://224.0.0.1/ca.crt", "https://100.100.100.200/"} {
		var dials atomic.Int32
		_, err := Fetcher{Dialer: remoteDialer{host, nil, &dials}}.Fetch(context.Background(), u)
		if !errors.Is(err, ErrAddress) || dials.Load() != 0 {
			t.Errorf("Fetch(%s) = %v after %d dials, want ErrAddress and none", u, err, dials.Load())
		}
	}
	// A redirect there: the first request only.
	if _, err := (Fetcher{Timeout: time.Minute}).Fetch(context.Background(), srv.URL+"/to-metadata"); !errors.Is(err, ErrAddress) {
		t.Errorf("Fetch(/to-metadata) = %v, want ErrAddress", err)
	}
	// A name resolving there: connected, closed before the request.
	before := requests.Load()
	var dials atomic.Int32
	_, err := Fetcher{Dialer: remoteDialer{host, net.ParseIP("169.254.169.254"), &dials}, Timeout: time.Minute}.Fetch(context.Background(), "http://metadata.example.test/int.der")
	if !errors.Is(err, ErrAddress) || requests.Load() != before {
		t.Errorf("Fetch(a name resolving to 169.254.169.254) = %v, %d requests, want ErrAddress and none", err, requests.Load()-before)
	}
	// Loopback and private addresses are fetched.
	for _, ip := range []string{"127.0.0.1", "10.1.2.3", "192.168.1.1"} {
		var dials atomic.Int32
		got, err := Fetcher{Dialer: remoteDialer{host, net.ParseIP(ip), &dials}, Timeout: time.Minute}.Fetch(context.Background(), "http://ca.example.test/int.der")
		if err != nil || len(got) != 1 {
			t.Errorf("Fetch(a name resolving to %s) = %d certificates, %v, want 1", ip, len(got), err)
		}
	}
}
