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

// Fetch gets one caIssuers URL (http or https; RFC 5280 names ldap too,
// which is not fetched) and returns the certificates it holds.
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
			DialContext:            dialer.DialContext,
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
		return fmt.Errorf("scheme %q: only http and https are fetched", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("no host")
	}
	return nil
}
