package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"chainscope/inspect/mtlsconf"
	"chainscope/inspect/policy"
	"chainscope/inspect/serverconf"
	"chainscope/ui"
)

const mtlsUsage = `Usage: chainscope mtls nginx|apache [flags]
       chainscope mtls check [flags] TARGET --ca-cert FILE --ca-key FILE

The receiving side of mutual TLS: the server configuration that verifies the
sender's client certificate (the five steps of the sender's document), and a
test of a server's verification with impostor clients.

mtls nginx|apache prints the lines for the server { } block or <VirtualHost>
that receives the webhooks: the CA file, client verification required, the
verify depth in that server's own counting, and a subject test that matches
the sender's CN exactly, placed to cover every URL.

Examples:
  chainscope mtls nginx --ca-out /etc/nginx/pagerduty-client-ca.pem
  chainscope mtls apache --region eu --ca-out /etc/apache2/pagerduty-client-ca.pem
  chainscope mtls nginx --policy sender.json --region us

Flags of mtls nginx|apache:
  --policy NAME|FILE     whose client certificate (built in: pagerduty)  [pagerduty]
  --region us|eu|all     the sender's region(s) to accept                 [all]
  --ca-out FILE          write the CA file there (the sender's current roots
                         and intermediates); the configuration names it
  --ca-path PATH         the CA file path written in the configuration
                         [the --ca-out path, else /etc/nginx|apache2/NAME-client-ca.pem]
  --at TIME              choose the chains current at TIME              [now]

mtls check connects to TARGET as the sender would (TLS 1.2, then HEAD of the
URL's path) once per client: the sender's certificate, made on the fly under
a throw-away CA standing in for the sender's, which the server must trust
while testing (--ca-cert, --ca-key), and impostors it must refuse: no
certificate, another CN, the CN with an evil suffix, a look-alike CN,
another CA, one intermediate too many, an expired certificate. Each mistake
of the five steps shows as the check of the client it lets in or keeps out.

  chainscope mtls check https://staging.example.com/webhook --ca-cert standin-ca.pem --ca-key standin.key

Flags of mtls check:
  --ca-cert FILE         the stand-in CA: the issuing CA first, then its issuers up
                         to the root (a root alone: its intermediates are made here)
  --ca-key FILE          the key of the first certificate of --ca-cert
  --other-ca-cert FILE, --other-ca-key FILE
                         a CA the server trusts for something else (e.g. its own
                         certificate's CA for OCSP stapling)   [a throw-away CA]
  --policy, --region     as above: the CNs and the verify depth of the sender
  --servername NAME      SNI and Host                                    [target host]
  --timeout DURATION     bound on each connection and handshake          [10s]
  --json, --text, --color  as in chainscope --help

Exit status:
  0  the configuration was written; mtls check: every check passes
  1  mtls check: at least one check fails
  2  bad usage; nothing was written or tested
  3  the CA file could not be written; mtls check: the server could not be tested
`

// runMTLS is "chainscope mtls ...".
func runMTLS(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageFail(stderr, "mtls: want nginx, apache or check", "run chainscope mtls --help for usage")
	}
	switch args[0] {
	case "nginx", "apache":
		return runMTLSConf(serverconf.Server(args[0]), args[1:], stdout, stderr)
	case "check":
		return runMTLSCheck(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, mtlsUsage)
		return exitPass
	}
	return usageFail(stderr, fmt.Sprintf("mtls %q: want nginx, apache or check", args[0]), "run chainscope mtls --help for usage")
}

// usageFail writes an error and a hint, sanitized, and returns exitUsage.
func usageFail(stderr io.Writer, msg, hint string) int {
	fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(msg))
	if hint != "" {
		fmt.Fprintf(stderr, "chainscope: hint: %s\n", ui.Sanitize(hint))
	}
	return exitUsage
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, which it returns (parseFlags); -h and --help
// return flag.ErrHelp.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	return parseFlags(fs, args)
}

var safeName = regexp.MustCompile(`[^a-z0-9-]+`)

func runMTLSConf(server serverconf.Server, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("chainscope mtls "+string(server), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	polName := fs.String("policy", "pagerduty", "")
	region := fs.String("region", policy.RegionAll, "")
	caOut := fs.String("ca-out", "", "")
	caPath := fs.String("ca-path", "", "")
	atFlag := fs.String("at", "", "")
	hint := "run chainscope mtls --help for usage"
	pos, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, mtlsUsage)
		return exitPass
	case err != nil:
		return usageFail(stderr, err.Error(), hint)
	case len(pos) > 0:
		return usageFail(stderr, fmt.Sprintf("mtls %s takes no argument, got %q", server, pos[0]), hint)
	}
	pol, err := loadPolicy(*polName)
	if err != nil {
		return usageFail(stderr, err.Error(), "")
	}
	at := time.Now().UTC()
	if *atFlag != "" {
		if at, err = parseTime(*atFlag); err != nil {
			return usageFail(stderr, err.Error(), "")
		}
	}
	path := *caPath
	switch {
	case path != "":
	case *caOut != "":
		if path, err = filepath.Abs(*caOut); err != nil {
			return usageFail(stderr, fmt.Sprintf("--ca-out %s: %v", *caOut, err), "")
		}
	default:
		dir := "/etc/nginx"
		if server == serverconf.Apache {
			dir = "/etc/apache2"
		}
		path = fmt.Sprintf("%s/%s-client-ca.pem", dir, strings.Trim(safeName.ReplaceAllString(strings.ToLower(pol.Name), "-"), "-"))
	}
	spec, err := mtlsconf.NewSpec(pol, at, *region, path)
	if err != nil {
		return usageFail(stderr, err.Error(), "choose --region among the policy's regions, or a policy file with client_auth.chains")
	}
	if *caOut != "" {
		if err := writeFileAtomic(*caOut, mtlsconf.CAFile(spec)); err != nil {
			fmt.Fprintf(stderr, "chainscope: error: --ca-out %v\n", err)
			return exitError
		}
	}
	if err := mtlsconf.Write(stdout, server, spec); err != nil {
		fmt.Fprintf(stderr, "chainscope: error: write configuration: %v\n", err)
		return exitError
	}
	return exitPass
}

// loadPolicy returns the built-in policy of that name, or reads the file.
func loadPolicy(name string) (*policy.Policy, error) {
	if p, ok := policy.Builtin(name); ok {
		return p, nil
	}
	p, err := policy.Load(name)
	if err != nil {
		return nil, fmt.Errorf("--policy %s: %w (built in: %s)", name, withoutPath(err), strings.Join(policy.Names(), ", "))
	}
	return p, nil
}
