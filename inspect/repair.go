package inspect

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"chainscope/inspect/aia"
)

// RepairOptions says where the issuers a server left out may come from
// when the chain is repaired.
type RepairOptions struct {
	// Intermediates are more certificates to build the path from (a PEM
	// bundle given with --intermediates); Source names them in the report,
	// e.g. "--intermediates bundle.pem".
	Intermediates []*x509.Certificate
	Source        string
	// Fetch allows fetching a missing issuer from the caIssuers URL of the
	// certificate it issued (RFC 5280 §4.2.2.1), over HTTP, bounded by
	// Fetcher. Never on by default: it makes requests to URLs a
	// certificate names.
	Fetch   bool
	Fetcher aia.Fetcher
}

// maxFetches bounds the caIssuers fetches of one repair: each adds at most
// one level to the path, and no public path has more than four.
const maxFetches = 4

// StillFailsError is returned by [Repair] when the repaired chain, judged
// again, still fails: it is not to be written.
type StillFailsError struct {
	// Checks are the failing check ids, in report order; Detail is the
	// first one's detail.
	Checks []string
	Detail string
	// MissingIssuer names the issuer the repaired path stops at ("CN=…")
	// when none was found; FormerRoot names the root Mozilla's list
	// dropped that the path ends at, when it does. Both empty: nothing is
	// missing (a self-signed leaf, a root outside the store, an expired
	// certificate), and no more intermediates would help.
	MissingIssuer string
	FormerRoot    string
}

func (e *StillFailsError) Error() string {
	return fmt.Sprintf("the repaired chain still fails %s: %s", strings.Join(e.Checks, ", "), e.Detail)
}

// ErrNothingToRepair is returned by [Repair] for a report without
// certificates (an error report).
var ErrNothingToRepair = errors.New("no certificate to repair")

// Repair builds the chain a strict sender wants from the certificates of
// r (as presented), the intermediates of ro and, with ro.Fetch, the
// issuers fetched from caIssuers URLs: the leaf, then each issuer along
// the path to a root of opts.Store, duplicates and certificates off the
// path dropped, the root left out. The result is judged again as a file
// under opts (policy, store, time) and r's server name; when it still
// fails, Repair returns the FixedChain, no PEM, and a *StillFailsError.
// On success the PEM is the file to write.
func Repair(ctx context.Context, r *Report, opts Options, ro RepairOptions) (*FixedChain, []byte, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	var pool []*x509.Certificate
	var sources []string
	presented := map[[32]byte]int{}
	seen := map[[32]byte]bool{}
	for i, c := range r.Chain {
		b, _ := pem.Decode([]byte(c.PEM))
		if b == nil {
			return nil, nil, fmt.Errorf("repair %s: certificate #%d has no PEM", r.Target, i)
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("repair %s: certificate #%d: %w", r.Target, i, err)
		}
		sum := sha256.Sum256(cert.Raw)
		if _, ok := presented[sum]; !ok {
			presented[sum] = i
		}
		seen[sum] = true
		pool = append(pool, cert)
		sources = append(sources, fmt.Sprintf("presented #%d", i))
	}
	if len(pool) == 0 {
		return nil, nil, fmt.Errorf("repair %s: %w", r.Target, ErrNothingToRepair)
	}
	add := func(c *x509.Certificate, source string) bool {
		sum := sha256.Sum256(c.Raw)
		if seen[sum] {
			return false
		}
		seen[sum] = true
		pool = append(pool, c)
		sources = append(sources, source)
		return true
	}
	for _, c := range ro.Intermediates {
		add(c, ro.Source)
	}

	// The path starts where the report's did: a server's key belongs to
	// the certificate it sent first, so a live chain starts at #0 (a
	// self-signed copy of the leaf sent after it is no start); a file's
	// end-entity certificate is found wherever it is.
	facts := chainFacts{live: r.Source == SourceTLS, keyAt: -1}
	fc := &FixedChain{}
	ch := analyzeChain(pool, opts.Store, opts.evaluationTime(), facts)
	fetched := map[string]bool{}
	requests := 0 // fetches that made a request: an ldap URL costs none
	for range maxFetches {
		if !ro.Fetch || ch.missing < 0 {
			break
		}
		m := ch.certs[ch.missing]
		grew := false
		for _, u := range m.IssuingCertificateURL {
			if fetched[u] || requests == maxFetches {
				continue
			}
			fetched[u] = true
			f := Fetch{URL: u, For: shortName(m)}
			fr := ro.Fetcher
			if fr.Dialer == nil && opts.Dialer != nil {
				fr.Dialer = opts.Dialer
			}
			certs, err := fr.Fetch(ctx, u)
			if !errors.Is(err, aia.ErrScheme) {
				requests++
			}
			if err != nil {
				f.Error = oneLine(err.Error())
			}
			f.Got = len(certs)
			fc.Fetches = append(fc.Fetches, f)
			for _, c := range certs {
				if add(c, "caIssuers "+u) {
					grew = true
				}
			}
			if grew {
				break
			}
		}
		if !grew {
			break
		}
		ch = analyzeChain(pool, opts.Store, opts.evaluationTime(), facts)
	}

	sum := func(i int) [32]byte { return sha256.Sum256(ch.certs[i].Raw) }
	var out []*x509.Certificate
	onOut := map[[32]byte]bool{}
	for _, p := range ch.path {
		if p == ch.anchorAt || (p == ch.anchorSeen && p != ch.leaf) {
			continue // the root, or a copy of it: the sender has it
		}
		c := ch.certs[p]
		out = append(out, c)
		onOut[sum(p)] = true
		fc.Certificates = append(fc.Certificates, FixedCertificate{
			Subject: c.Subject.String(), Name: shortName(c), SHA256: sha256Hex(c.Raw),
			Source: sources[p], Presented: presentedAt(presented, sum(p)),
		})
	}
	for i := range r.Chain {
		if onOut[sum(i)] && ch.duplicateOf[i] < 0 {
			continue
		}
		d := DroppedCertificate{Position: i, Name: shortName(ch.certs[i])}
		switch {
		case ch.duplicateOf[i] >= 0:
			d.Why = fmt.Sprintf("a copy of #%d", ch.duplicateOf[i])
		case i == ch.anchorAt:
			d.Why = "the root: the sender has it in its store"
		case i == ch.anchorSeen:
			d.Why = "a copy of the store root " + shortName(ch.anchor.Cert) + ": the sender has the root itself"
		default:
			d.Why = "not on the path from the leaf"
		}
		fc.Dropped = append(fc.Dropped, d)
	}

	nr := newReport(Target{Arg: r.Target}, opts, SourceFile, r.ServerName)
	judge(&nr, out, opts, chainFacts{keyAt: -1})
	fc.Verdict = nr.Verdict
	for _, c := range nr.Checks {
		if c.Status != StatusSkip {
			fc.Checks = append(fc.Checks, c)
		}
	}
	if nr.Verdict != VerdictPass {
		e := &StillFailsError{MissingIssuer: nr.Trust.MissingIssuerName}
		if fr := nr.Trust.FormerRoot; fr != nil {
			e.FormerRoot = shortRDN(fr.Subject)
		}
		for _, c := range nr.Checks {
			if c.Status == StatusFail {
				e.Checks = append(e.Checks, c.ID)
				if e.Detail == "" {
					e.Detail = c.Detail
				}
			}
		}
		fc.Error = e.Error()
		return fc, nil, e
	}
	var b strings.Builder
	for _, c := range out {
		b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	}
	return fc, []byte(b.String()), nil
}

func presentedAt(presented map[[32]byte]int, sum [32]byte) int {
	if i, ok := presented[sum]; ok {
		return i
	}
	return -1
}
