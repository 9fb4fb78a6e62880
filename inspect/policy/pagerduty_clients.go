package policy

import (
	"crypto/x509"
	"embed"
	"encoding/pem"
	"fmt"
	"slices"
	"sync"
	"time"
)

// clientCerts holds the public certificates of the sender's client chains;
// clientcerts/README.md says where each comes from.
//
//go:embed clientcerts/*.pem
var clientCerts embed.FS

// The sources of the client chains: PagerDuty's developer documentation,
// github.com/PagerDuty/developer-docs, docs/webhooks/08-Certificates.md
// ("Public Certificates") and 03-Mutual-TLS.md, by commit.
const (
	srcSeed = "seed (shared/seed/pagerduty-webhooks-mutual-tls.md): CN=webhooks.pagerduty.com issued by DigiCert SHA2 Secure Server CA under DigiCert Global Root CA; " +
		"still the text of 03-Mutual-TLS.md in developer-docs f322993 (2021-04-28). The leaf was never published where we could read it"
	src2021 = "developer-docs f322993 (2021-04-28), 08-Certificates.md: the 2021 certificate, \"current as of December 8th, 2020\", expiring January 8th, 2022, " +
		"intermediate DigiCert TLS RSA SHA256 2020 CA1 (expires September 23, 2030), root DigiCert Global Root CA; rotation on January 5th, 2022 (cb956cc). " +
		"The leaf (2021_webhooks_pagerduty_com.pem) was only linked, never in the repository"
	src2022 = "developer-docs cb956cc/8b8f81e (2021-12), 1d5ba65 (2022-01-05): the 2022 certificates, US and EU, current from January 5th, 2022, expiring January 8th, 2023, " +
		"intermediate DigiCert TLS RSA SHA256 2020 CA1 (expires April 13, 2031), root DigiCert Global Root CA. Leaves only linked"
	src2023 = "developer-docs 5f8c1ec (2022-12-09) and cfe5c4c^ (2023-11-30): rotation on January 6th, 2023, certificates valid until January 5th, 2024, " +
		"intermediate DigiCert TLS RSA SHA256 2020 CA1 (expires April 13th, 2031), root DigiCert Global Root CA. Leaves only linked"
	src2024 = "developer-docs baa3d63 (PR #92, 2023-12-20) announced the 2024 chain under DigiCert Global Root G2, a8c3637 (PR #94, 2024-01-05): rotation on January 4th, 2024; " +
		"ce79259 (PR #102, 2024-02-23) points the mutual-TLS steps to it. Leaf from assets/certificates in bd23a5b (PR #113, 2024-12-05)"
	src2025 = "developer-docs 8a9e13e (PR #113, 2024-12-05) and 9558896 (PR #118, 2024-12-19): current from December 18th, 2024; " +
		"ca1f352 (PR #132): replaced on December 16th, 2025. Leaf from assets/certificates in bd23a5b"
	src2026 = "developer-docs ca1f352 (PR #132, 2025-11-14) and 6949721 (PR #133, 2025-12-16): current from December 16th, 2025, until \"October 2026\"; " +
		"sender-model.md section 4 cites PR #151 for an end in early December 2026 (not in the stored copy of the repository). " +
		"The leaf (2026_webhooks_*.pem) is only linked from developer.pagerduty.com, so it is not here"
)

// pagerDutyClientChains lists the sender's client chains, oldest first, as
// its documentation published them. Dates are the documented rotations, at
// 00:00 UTC. The certificates are parsed once and shared: treat them as
// read-only.
func pagerDutyClientChains() []ClientChain { return slices.Clone(parsedClientChains()) }

var parsedClientChains = sync.OnceValue(func() []ClientChain {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	rootCA := mustCert("digicert-global-root-ca.pem")
	rootG2 := mustCert("digicert-global-root-g2.pem")
	sha2 := mustCert("digicert-sha2-secure-server-ca.pem")
	tls2020 := mustCert("digicert-tls-rsa-sha256-2020-ca1.pem")
	tls2020v1 := mustCert("digicert-tls-rsa-sha256-2020-ca1-1.pem")
	g2 := mustCert("digicert-global-g2-tls-rsa-sha256-2020-ca1.pem")
	const us, eu = "webhooks.pagerduty.com", "webhooks.eu.pagerduty.com"
	// The download addresses the sender's documentation gives for its roots.
	const urlCA, urlG2 = "https://cacerts.digicert.com/DigiCertGlobalRootCA.crt.pem", "https://cacerts.digicert.com/DigiCertGlobalRootG2.crt.pem"
	chains := []ClientChain{
		{Name: "seed US", Region: "US", CN: us, Until: day(2020, time.December, 8), Intermediate: sha2, Root: rootCA, Source: srcSeed},
		{Name: "2021 US", Region: "US", CN: us, From: day(2020, time.December, 8), Until: day(2022, time.January, 5), Intermediate: tls2020, Root: rootCA, Source: src2021},
		{Name: "2022 US", Region: "US", CN: us, From: day(2022, time.January, 5), Until: day(2023, time.January, 6), Intermediate: tls2020v1, Root: rootCA, Source: src2022},
		{Name: "2022 EU", Region: "EU", CN: eu, From: day(2022, time.January, 5), Until: day(2023, time.January, 6), Intermediate: tls2020v1, Root: rootCA, Source: src2022},
		{Name: "2023 US", Region: "US", CN: us, From: day(2023, time.January, 6), Until: day(2024, time.January, 4), Intermediate: tls2020v1, Root: rootCA, Source: src2023},
		{Name: "2023 EU", Region: "EU", CN: eu, From: day(2023, time.January, 6), Until: day(2024, time.January, 4), Intermediate: tls2020v1, Root: rootCA, Source: src2023},
		{Name: "2024 US", Region: "US", CN: us, From: day(2024, time.January, 4), Until: day(2024, time.December, 18), Leaf: mustCert("webhooks.pagerduty.com-2024.pem"), Intermediate: g2, Root: rootG2, Source: src2024},
		{Name: "2024 EU", Region: "EU", CN: eu, From: day(2024, time.January, 4), Until: day(2024, time.December, 18), Leaf: mustCert("webhooks.eu.pagerduty.com-2024.pem"), Intermediate: g2, Root: rootG2, Source: src2024},
		{Name: "2025 US", Region: "US", CN: us, From: day(2024, time.December, 18), Until: day(2025, time.December, 16), Leaf: mustCert("webhooks.pagerduty.com-2025.pem"), Intermediate: g2, Root: rootG2, Source: src2025},
		{Name: "2025 EU", Region: "EU", CN: eu, From: day(2024, time.December, 18), Until: day(2025, time.December, 16), Leaf: mustCert("webhooks.eu.pagerduty.com-2025.pem"), Intermediate: g2, Root: rootG2, Source: src2025},
		// The documented end differs between sources (src2026): left open.
		{Name: "2026 US", Region: "US", CN: us, From: day(2025, time.December, 16), Intermediate: g2, Root: rootG2, Source: src2026},
		{Name: "2026 EU", Region: "EU", CN: eu, From: day(2025, time.December, 16), Intermediate: g2, Root: rootG2, Source: src2026},
	}
	for i := range chains {
		if chains[i].Root == rootG2 {
			chains[i].RootURL = urlG2
		} else {
			chains[i].RootURL = urlCA
		}
	}
	return chains
})

// mustCert parses one embedded certificate; the files are checked by
// TestPagerDutyClientChains, so a failure here is a build mistake.
func mustCert(name string) *x509.Certificate {
	data, err := clientCerts.ReadFile("clientcerts/" + name)
	if err != nil {
		panic(fmt.Sprintf("policy: %s: %v", name, err))
	}
	b, _ := pem.Decode(data)
	if b == nil {
		panic(fmt.Sprintf("policy: %s: no PEM block", name))
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		panic(fmt.Sprintf("policy: %s: %v", name, err))
	}
	return c
}
