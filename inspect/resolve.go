package inspect

import (
	"context"
	"net"
	"net/netip"
)

// serverNameFor is the name sent as SNI and checked against the leaf.
func serverNameFor(t Target, opts Options) string {
	if opts.ServerName != "" {
		return opts.ServerName
	}
	return t.Host
}

// sniFor is the server_name a ClientHello carries for name: none for an IP
// literal (RFC 6066 §3).
func sniFor(name string) string {
	if net.ParseIP(name) != nil {
		return ""
	}
	return name
}

// resolve returns the address every probe dials: the target's first IPv4
// address (else its first address), so all probes reach the same server.
func resolve(ctx context.Context, t Target, opts Options) (string, error) {
	if _, err := netip.ParseAddr(t.Host); err == nil || opts.Dialer != nil {
		return t.Address(), nil
	}
	opts.progress(Progress{Target: t.Arg, Step: "resolving " + t.Host, Waiting: "the name servers"})
	rctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(rctx, "ip", t.Host)
	if err != nil {
		return "", &ResolveError{Host: t.Host, Err: markTimeout(err)}
	}
	best := ips[0]
	for _, ip := range ips {
		if ip.Unmap().Is4() {
			best = ip.Unmap()
			break
		}
	}
	return net.JoinHostPort(best.String(), t.Port), nil
}
