package inspect

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"chainscope/inspect/certfile"
	"chainscope/inspect/policy"
	"chainscope/inspect/trust"
)

// Inspect inspects one target and returns its report. When the inspection
// cannot run (refused, timed out, not TLS, unreadable file) it returns the
// error and a report whose verdict is [VerdictError] saying the same in one
// line; findings about the chain are never errors.
func Inspect(ctx context.Context, t Target, opts Options) (Report, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return errorReport(t, opts, err), err
	}
	var r Report
	switch t.Kind {
	case TargetFile, TargetStdin:
		r, err = inspectFile(t, opts)
	default:
		r, err = inspectHost(ctx, t, opts)
	}
	if err != nil {
		return errorReport(t, opts, err), err
	}
	return r, nil
}

// InspectArg parses a command-line target with [ParseTarget] and inspects
// it; a target that does not parse yields an error report too.
func InspectArg(ctx context.Context, arg string, opts Options) (Report, error) {
	t, err := ParseTarget(arg)
	if err != nil {
		opts, _ = opts.withDefaults()
		return errorReport(Target{Arg: arg}, opts, err), err
	}
	return Inspect(ctx, t, opts)
}

// withDefaults fills in the policy and the store.
func (o Options) withDefaults() (Options, error) {
	if o.Policy == nil {
		o.Policy = policy.PagerDuty()
	}
	if o.Store == nil {
		s, err := trust.Mozilla()
		if err != nil {
			return o, err
		}
		o.Store = s
	}
	return o, nil
}

func inspectFile(t Target, opts Options) (Report, error) {
	var f *certfile.File
	var err error
	if t.Kind == TargetStdin {
		if opts.Stdin == nil {
			return Report{}, errors.New("-: no standard input")
		}
		f, err = certfile.Read("-", opts.Stdin)
	} else {
		f, err = readFile(t.Path)
	}
	if err != nil {
		return Report{}, err
	}
	r := newReport(t, opts, SourceFile, opts.ServerName)
	r.Notes = f.Skipped
	judge(&r, f.Certificates, opts)
	return r, nil
}

func readFile(path string) (*certfile.File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err == nil && fi.Size() > certfile.MaxSize {
		return nil, fmt.Errorf("%s: %d bytes: %w", path, fi.Size(), certfile.ErrTooLarge)
	}
	return certfile.Read(path, fh)
}

func newReport(t Target, opts Options, src Source, serverName string) Report {
	r := Report{
		Schema:      Schema,
		Target:      t.Arg,
		Source:      src,
		ServerName:  serverName,
		EvaluatedAt: opts.evaluationTime(),
		Chain:       []Certificate{},
		Trust:       Trust{Path: []int{}},
		Checks:      []Check{},
	}
	// An error report may come before the policy or the store exist.
	if opts.Policy != nil {
		r.Policy = opts.Policy.Name
	}
	if opts.Store != nil {
		r.Trust.Store = opts.Store.Label()
	}
	return r
}

func errorReport(t Target, opts Options, err error) Report {
	src, serverName := SourceFile, opts.ServerName
	if t.Kind == TargetHost {
		src, serverName = SourceTLS, serverNameFor(t, opts)
	}
	r := newReport(t, opts, src, serverName)
	r.Verdict = VerdictError
	r.Error = oneLine(err.Error())
	for _, id := range CheckIDs {
		r.Checks = append(r.Checks, skipCheck(id, "not inspected: the inspection could not run"))
	}
	return r
}

// oneLine keeps an error on one line for the report and stderr.
func oneLine(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\n' || c == '\r' {
			b[i] = ' '
		}
	}
	return string(b)
}

// judge analyses the presented certificates, fills the chain, the trust
// summary and every check, and sets the verdict. Checks already in r (from
// the handshakes) are kept; the rest are added in [CheckIDs] order.
func judge(r *Report, certs []*x509.Certificate, opts Options) {
	have := map[string]Check{}
	for _, c := range r.Checks {
		have[c.ID] = c
	}
	if len(certs) > 0 {
		ch := analyzeChain(certs, opts.Store)
		for i := range certs {
			r.Chain = append(r.Chain, describe(ch, i))
		}
		r.Trust.Path = append([]int{}, ch.path...)
		if ch.anchor != nil {
			r.Trust.RootSubject = ch.anchor.Cert.Subject.String()
			r.Trust.RootPresented = ch.anchorAt >= 0
			sum := sha256Hex(ch.anchor.Cert.Raw)
			r.Trust.RootSHA256 = sum
			na := ch.anchor.Cert.NotAfter.UTC()
			r.Trust.RootNotAfter = &na
		}
		if ch.missing >= 0 {
			r.Trust.MissingIssuer = ch.certs[ch.missing].Issuer.String()
		}
		for _, c := range chainChecks(ch, opts.Policy, storePhrase(opts.Store), r.ServerName, r.EvaluatedAt) {
			have[c.ID] = c
		}
		have[CheckStrength] = strengthCheck(ch)
		root, _ := have[CheckRoot]
		r.Trust.Trusted = ch.anchor != nil && root.Status == StatusPass
	} else {
		for _, id := range []string{CheckOrder, CheckComplete, CheckExtra, CheckRoot, CheckValidity, CheckHostname, CheckStrength} {
			if _, ok := have[id]; !ok {
				have[id] = skipCheck(id, "no certificate was presented")
			}
		}
	}
	r.Checks = r.Checks[:0]
	for _, id := range CheckIDs {
		c, ok := have[id]
		if !ok {
			c = skipCheck(id, skipReason(r, id))
		}
		r.Checks = append(r.Checks, c)
	}
	r.Verdict = VerdictPass
	if r.Failed() > 0 {
		r.Verdict = VerdictFail
	}
}

// newCheck returns the check with its id and title, status still to set.
func newCheck(id string) Check { return Check{ID: id, Title: checkTitles[id]} }

// skipCheck is a check that does not apply, and why.
func skipCheck(id, why string) Check {
	c := newCheck(id)
	c.Status, c.Detail = StatusSkip, why
	return c
}

// checkTitles are the titles of the checks, run or skipped.
var checkTitles = map[string]string{
	CheckProtocol:   "Protocol version the policy allows",
	CheckCipher:     "Cipher suite from the policy's list",
	CheckOrder:      "Chain presented in order",
	CheckComplete:   "Chain complete up to a trusted root",
	CheckExtra:      "No duplicate or unrelated certificates",
	CheckRoot:       "Root in the trust store",
	CheckValidity:   "Certificates within their validity",
	CheckHostname:   "Leaf covers the server name",
	CheckClientAuth: "Client certificate request (mutual TLS)",
	CheckStrength:   "Keys and signatures strong enough",
}

func skipReason(r *Report, id string) string {
	if r.Source == SourceFile {
		switch id {
		case CheckProtocol, CheckCipher, CheckClientAuth:
			return "a file has no handshake; inspect the live endpoint to judge this"
		}
	}
	return "not applicable"
}

// storePhrase names a store inside a sentence: "the Mozilla root store".
func storePhrase(s *trust.Store) string {
	switch s.Name {
	case "mozilla":
		return "Mozilla root store"
	case "system":
		return "system root store"
	}
	return "roots file " + s.Version
}
