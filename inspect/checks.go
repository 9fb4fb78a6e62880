package inspect

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
	CheckProtocol:    "Protocol version the policy allows",
	CheckCipher:      "Cipher suite from the policy's list",
	CheckOrder:       "Chain presented in order",
	CheckComplete:    "Chain complete up to a trusted root",
	CheckExtra:       "No duplicate or unrelated certificates",
	CheckRoot:        "Root in the trust store",
	CheckValidity:    "Certificates within their validity",
	CheckHostname:    "Leaf covers the server name",
	CheckClientAuth:  "Client certificate request (mutual TLS)",
	CheckStrength:    "Keys and signatures strong enough",
	CheckHandshake:   "Server's flight as the sender reads it",
	CheckKeyExchange: "Key exchange the sender accepts",
	CheckOCSP:        "Stapled OCSP response",
}
