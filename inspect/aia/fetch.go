package aia

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// The bounds of a fetch: a CA's .crt or .p7c is a few KiB.
const (
	// MaxSize bounds a response body.
	MaxSize = 64 << 10
	// Timeout bounds one fetch, redirects included.
	Timeout = 10 * time.Second
	// MaxRedirects bounds the redirects followed.
	MaxRedirects = 3
)

// Dialer opens the TCP connections of a fetch; *net.Dialer is one.
type Dialer interface {
	DialContext(ctx context.Context, network, address string) (net.Conn, error)
}

// Fetcher fetches caIssuers URLs. The zero value uses the bounds above
// and a *net.Dialer.
type Fetcher struct {
	// Dialer opens connections; nil means a *net.Dialer.
	Dialer Dialer
	// Timeout, MaxSize and MaxRedirects override the bounds when
	// positive.
	Timeout      time.Duration
	MaxSize      int64
	MaxRedirects int
}

// ErrTooLarge is wrapped by the error of a response larger than the bound.
var ErrTooLarge = errors.New("response larger than the bound")

// ErrScheme is wrapped by the error of a URL that is not fetched for its
// scheme (ldap, file…): no request was made.
var ErrScheme = errors.New("only http and https are fetched")

// ErrAddress is wrapped by the error of a fetch refused for the address it
// would connect to: no request was sent.
var ErrAddress = errors.New("address not fetched from")

// metadata are the cloud metadata services outside the link-local ranges:
// AWS's IPv6 endpoint and Alibaba Cloud's.
var metadata = []net.IP{net.ParseIP("fd00:ec2::254"), net.ParseIP("100.100.100.200")}

// refused says why a fetch must not connect to ip, or "". A caIssuers URL
// is chosen by whoever issued the certificate — for a live target, the
// server inspected — so link-local addresses (169.254.0.0/16, fe80::/10:
// the cloud metadata services at 169.254.169.254), the other metadata
// addresses, multicast and unspecified ones are refused. Loopback and
// private addresses are not: a private CA serves its AIA there.
func refused(ip net.IP) string {
	switch {
	case ip == nil:
		return ""
	case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		return "link-local (cloud metadata services answer there)"
	case ip.IsMulticast():
		return "multicast"
	case ip.IsUnspecified():
		return "unspecified"
	}
	for _, m := range metadata {
		if ip.Equal(m) {
			return "a cloud metadata service"
		}
	}
	return ""
}

// guarded refuses the connections [refused] names: an IP literal before
// dialing, a name after it resolved (the connection is closed before a
// byte is sent), so a redirect or a name pointing there is refused too.
type guarded struct{ d Dialer }

func (g guarded) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	if host, _, err := net.SplitHostPort(address); err == nil {
		if why := refused(net.ParseIP(host)); why != "" {
			return nil, fmt.Errorf("%s is %s: %w", host, why, ErrAddress)
		}
	}
	conn, err := g.d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	if a, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		if why := refused(a.IP); why != "" {
			conn.Close()
			return nil, fmt.Errorf("%s resolves to %s, %s: %w", address, a.IP, why, ErrAddress)
		}
	}
	return conn, nil
}

// Fetch gets one caIssuers URL (http or https; RFC 5280 names ldap too,
// which is not fetched: [ErrScheme]) and returns the certificates it
// holds. Link-local, metadata, multicast and unspecified addresses are
// not connected to ([ErrAddress]).
func (f Fetcher) Fetch(ctx context.Context, rawURL string) ([]*x509.Certificate, error) {
	timeout, maxSize, maxRedirects := f.Timeout, f.MaxSize, f.MaxRedirects
	if timeout <= 0 {
		timeout = Timeout
	}
	if maxSize <= 0 {
		maxSize = MaxSize
	}
	if maxRedirects <= 0 {
		maxRedirects = MaxRedirects
	}
	if err := checkURL(rawURL); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var dialer Dialer = &net.Dialer{}
	if f.Dialer != nil {
		dialer = f.Dialer
	}
	client := &http.Client{
		Transport: &http.Transport{
			DialContext:            guarded{dialer}.DialContext,
			Proxy:                  nil,
			DisableKeepAlives:      true,
			MaxResponseHeaderBytes: 16 << 10,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			return checkURL(req.URL.String())
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", "chainscope (AIA caIssuers fetch)")
	resp, err := client.Do(req)
	if err != nil {
		var ne net.Error
		if ctx.Err() != nil || (errors.As(err, &ne) && ne.Timeout()) {
			return nil, fmt.Errorf("fetch %s: no answer within %s", rawURL, timeout)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", rawURL, resp.Status)
	}
	if resp.ContentLength > maxSize {
		return nil, fmt.Errorf("fetch %s: %d bytes: %w (%d)", rawURL, resp.ContentLength, ErrTooLarge, maxSize)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSize+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fetch %s: no answer within %s", rawURL, timeout)
		}
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if int64(len(body)) > maxSize {
		return nil, fmt.Errorf("fetch %s: %w (%d bytes)", rawURL, ErrTooLarge, maxSize)
	}
	certs, err := ParseCertificates(body)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	return certs, nil
}

// checkURL accepts absolute http and https URLs only.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q: %w", u.Scheme, ErrScheme)
	}
	if u.Host == "" {
		return errors.New("no host")
	}
	return nil
}
