package main

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"chainscope/inspect"
	"chainscope/inspect/impostor"
	"chainscope/inspect/policy"
	"chainscope/ui"
)

// loadCA reads a CA certificate chain and the key of its first
// certificate, as mtls check's --ca-cert and --ca-key.
func loadCA(certFile, keyFile, what string) (*impostor.CA, error) {
	kp, err := loadKeyPair(what, certFile, strings.Replace(what, "-cert", "-key", 1), keyFile)
	if err != nil {
		return nil, err
	}
	key, ok := kp.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s %s: the key cannot sign", what, keyFile)
	}
	ca := &impostor.CA{Key: key}
	for i, der := range kp.Certificate {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("%s %s: certificate %d: %w", what, certFile, i+1, err)
		}
		ca.Chain = append(ca.Chain, c)
	}
	if err := ca.Check(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", what, certFile, err)
	}
	return ca, nil
}

func runMTLSCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chainscope mtls check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	caCert := fs.String("ca-cert", "", "")
	caKey := fs.String("ca-key", "", "")
	otherCert := fs.String("other-ca-cert", "", "")
	otherKey := fs.String("other-ca-key", "", "")
	polName := fs.String("policy", "pagerduty", "")
	region := fs.String("region", policy.RegionAll, "")
	serverName := fs.String("servername", "", "")
	timeout := fs.Duration("timeout", 10*time.Second, "")
	atFlag := fs.String("at", "", "")
	asJSON := fs.Bool("json", false, "")
	asText := fs.Bool("text", false, "")
	color := fs.String("color", "auto", "")
	hint := "run chainscope mtls --help for usage"
	pos, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, mtlsUsage)
		return exitPass
	case err != nil:
		return usageFail(stderr, err.Error(), hint)
	case len(pos) != 1:
		return usageFail(stderr, "mtls check takes one target: host:port or an https URL", hint)
	case *caCert == "" || *caKey == "":
		return usageFail(stderr, "mtls check needs --ca-cert and --ca-key: the stand-in CA the server trusts while testing", hint)
	case (*otherCert == "") != (*otherKey == ""):
		return usageFail(stderr, "--other-ca-cert and --other-ca-key go together", hint)
	case *asJSON && *asText:
		return usageFail(stderr, "--json and --text exclude each other", hint)
	case *color != "auto" && *color != "always" && *color != "never":
		return usageFail(stderr, fmt.Sprintf("--color %q: want auto, always or never", *color), hint)
	case *timeout <= 0:
		return usageFail(stderr, "--timeout must be positive, e.g. 10s", hint)
	}
	pol, err := loadPolicy(*polName)
	if err != nil {
		return usageFail(stderr, err.Error(), "")
	}
	opts := inspect.Options{Policy: pol, ServerName: *serverName, Timeout: *timeout}
	if *atFlag != "" {
		if opts.At, err = parseTime(*atFlag); err != nil {
			return usageFail(stderr, err.Error(), "")
		}
	}
	cc := inspect.ClientCheck{Region: *region}
	standIn, err := loadCA(*caCert, *caKey, "--ca-cert")
	if err != nil {
		return usageFail(stderr, err.Error(), "")
	}
	cc.StandIn = *standIn
	if *otherCert != "" {
		if cc.Other, err = loadCA(*otherCert, *otherKey, "--other-ca-cert"); err != nil {
			return usageFail(stderr, err.Error(), "")
		}
	}
	arg := pos[0]
	if strings.Contains(arg, "://") {
		u, err := url.Parse(arg)
		if err != nil {
			return usageFail(stderr, fmt.Sprintf("target %q: %v", arg, err), "")
		}
		cc.Path = u.EscapedPath()
	}
	t, err := inspect.ParseHostTarget(arg)
	if err != nil {
		return usageFail(stderr, err.Error(), "")
	}
	r, err := inspect.CheckClientVerification(ctx, t, opts, cc)
	code := exitPass
	switch {
	case err != nil:
		code = exitError
		fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(r.Error))
	case r.Verdict == inspect.VerdictFail:
		code = exitFail
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		err = enc.Encode(&r)
	} else {
		c := *color == "always" || *color == "auto" && isTerminal(stdout) && os.Getenv("NO_COLOR") == ""
		err = ui.WriteText(stdout, &r, ui.TextOptions{Color: c})
	}
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: write report: %v\n", err)
		return exitError
	}
	return code
}
