package inspect

import (
	"crypto/x509"

	"chainscope/inspect/trust"
)

// newReport starts the report of one target: everything but the findings.
func newReport(t Target, opts Options, src Source, serverName string) Report {
	r := Report{
		Schema:            Schema,
		Target:            t.Arg,
		Source:            src,
		ServerName:        serverName,
		ServerNameUnicode: unicodeName(serverName),
		EvaluatedAt:       opts.evaluationTime(),
		Chain:             []Certificate{},
		Trust:             Trust{Path: []int{}},
		Checks:            []Check{},
	}
	// An error report may come before the policy or the store exist.
	if opts.Policy != nil {
		r.Policy = opts.Policy.Name
	}
	if opts.Store != nil {
		r.Trust.Store = opts.Store.Label()
		si := DescribeStore(opts.Store)
		r.Trust.StoreInfo = &si
	}
	return r
}

// judge analyses the presented certificates, fills the chain, the trust
// summary and every check, and sets the verdict. Checks already in r (from
// the handshakes) are kept; the rest are added in [CheckIDs] order.
func judge(r *Report, certs []*x509.Certificate, opts Options, facts chainFacts) {
	have := map[string]Check{}
	for _, c := range r.Checks {
		have[c.ID] = c
	}
	if len(certs) > 0 {
		ch := analyzeChain(certs, opts.Store, r.EvaluatedAt, facts)
		for _, c := range chainChecks(ch, opts.Policy, storePhrase(opts.Store), r.ServerName, r.EvaluatedAt) {
			have[c.ID] = c
		}
		if fr, cert := formerRoot(ch, opts.Store); fr != nil {
			r.Trust.FormerRoot = fr
			explainFormerRoot(have, ch, fr, cert, storePhrase(opts.Store))
		}
		have[CheckStrength] = strengthCheck(ch)
		missing := ch.missing >= 0 && r.Trust.FormerRoot == nil
		// A server that sends a CA certificate first needs its own
		// certificate and key configured: --fix-chain, which starts the
		// path where the server does, writes no file for it.
		if !ch.live || ch.endEntity == ch.leaf {
			chainFixes(have, r.Target, missing, missing && len(ch.certs[ch.missing].IssuingCertificateURL) > 0)
		}
		root := have[CheckRoot]
		r.Chain = make([]Certificate, 0, len(certs))
		for i := range certs {
			var c Certificate
			if d := ch.duplicateOf[i]; d >= 0 {
				// A copy shares its original's description (a file of
				// thousands of copies stays small).
				c = r.Chain[d]
				c.Position, c.Role, c.IssuedByNext = i, ch.role(i), ch.issuedByNext[i]
			} else {
				c = describe(ch, i, r.EvaluatedAt)
			}
			c.IssuedBy = linkOf(ch, i, root, r.Trust.FormerRoot)
			c.Note = offPathNote(ch, i, storePhrase(opts.Store))
			r.Chain = append(r.Chain, c)
		}
		r.Trust.Path = append([]int{}, ch.path...)
		r.Trust.OtherPaths = otherPaths(ch, storePhrase(opts.Store))
		if ch.anchor != nil {
			a := ch.anchor.Cert
			r.Trust.RootSubject = a.Subject.String()
			r.Trust.RootName = shortName(a)
			r.Trust.RootPresented = ch.anchorAt >= 0
			r.Trust.RootSHA256 = sha256Hex(a.Raw)
			na := a.NotAfter.UTC()
			r.Trust.RootNotAfter = &na
			e := expiryOf(a.NotBefore, a.NotAfter, r.EvaluatedAt)
			r.Trust.RootExpiry = &e
			r.Trust.RootStatus = StatusPass
			if root.Status == StatusFail {
				r.Trust.RootStatus, r.Trust.RootReason = StatusFail, root.Detail
			}
		}
		if ch.missing >= 0 {
			m := ch.certs[ch.missing]
			r.Trust.MissingIssuer = m.Issuer.String()
			r.Trust.MissingIssuerName = issuerName(m)
		}
		r.Trust.Trusted = ch.anchor != nil && root.Status == StatusPass && !ch.refusedSignature()
	} else {
		for _, id := range []string{CheckOrder, CheckComplete, CheckExtra, CheckRoot, CheckValidity, CheckHostname, CheckStrength} {
			if _, ok := have[id]; !ok {
				have[id] = skipCheck(id, "no certificate was presented")
			}
		}
	}
	if r.TLS != nil {
		tlsFixes(have, opts.Policy, r)
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

func skipReason(r *Report, id string) string {
	if r.Source == SourceFile {
		switch id {
		case CheckProtocol, CheckCipher, CheckClientAuth, CheckHandshake, CheckKeyExchange, CheckOCSP:
			return "a file has no handshake; inspect the live endpoint to judge this"
		}
	}
	return "not applicable"
}

// DescribeStore describes a trust store as data, for [Trust.StoreInfo].
func DescribeStore(s *trust.Store) StoreInfo {
	si := StoreInfo{Name: s.Name, Roots: s.Len(), Skipped: s.Skipped, Date: s.Date, File: s.File}
	switch s.Name {
	case "mozilla":
		si.Module, si.Version = s.Module, s.ModuleVersion
	case "system":
	default:
		si.Date = "" // a file's date says nothing about its roots
	}
	return si
}
