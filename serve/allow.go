package serve

import (
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"

	"chainscope/inspect"
)

// Bounds of an allow-list file.
const (
	maxAllowBytes   = 4 << 20
	maxAllowEntries = 100_000
)

// AllowList is the set of endpoints a probe may inspect (--targets-allow),
// so that the server is not an open scanner. An entry is a target as the
// command line takes it — host, host:port, [ipv6]:port or an https URL,
// port 443 when absent — one per line, # starting a comment. A probe's
// target is allowed when its host and port equal an entry's: host names
// compared without case and without a final dot, IP addresses in their
// canonical form. Names are not resolved: list the name Prometheus scrapes.
type AllowList struct {
	endpoints map[string]bool
}

// LoadAllowList reads an allow-list file. It fails on a line that is no
// target, naming the file and the line, and on a file over 4 MiB or
// 100,000 entries.
func LoadAllowList(path string) (*AllowList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAllowBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > maxAllowBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxAllowBytes)
	}
	a, err := ParseAllowList(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// ParseAllowList reads the lines of an allow-list; see [AllowList].
func ParseAllowList(data []byte) (*AllowList, error) {
	a := &AllowList{endpoints: map[string]bool{}}
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		t, err := inspect.ParseHostTarget(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if len(a.endpoints) == maxAllowEntries {
			return nil, fmt.Errorf("line %d: more than %d entries", i+1, maxAllowEntries)
		}
		a.endpoints[endpointKey(t)] = true
	}
	return a, nil
}

// Allows reports whether a probe may inspect t.
func (a *AllowList) Allows(t inspect.Target) bool { return a.endpoints[endpointKey(t)] }

// Len returns the number of distinct endpoints listed.
func (a *AllowList) Len() int { return len(a.endpoints) }

// endpointKey is host:port with the host in a canonical form.
func endpointKey(t inspect.Target) string {
	host := strings.ToLower(strings.TrimSuffix(t.Host, "."))
	if ip, err := netip.ParseAddr(host); err == nil {
		host = ip.Unmap().String()
	}
	return net.JoinHostPort(host, t.Port)
}
