package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chainscope/inspect"
	"chainscope/inspect/serverconf"
	"chainscope/ui"
)

const configUsage = `Usage: chainscope config nginx|apache [flags] TARGET

Prints a complete, commented nginx server block (for inside http { }) or
Apache VirtualHost that makes TARGET pass the policy: the repaired chain as
the certificate file, the policy's protocols and cipher suites in the
server's syntax, server order as the policy needs, and DH parameters (the
RFC 7919 ffdhe2048 group) when a DHE suite is listed. TARGET is inspected
first; a header says which failing checks the block changes.

Examples:
  chainscope config nginx --fix-chain /etc/nginx/hooks.pem hooks.example.com
  chainscope config apache --fix-chain chain.pem --fetch-intermediates \
      --key /etc/ssl/private/hooks.key --dhparam /etc/ssl/ffdhe2048.pem hooks.example.com:443

Flags:
  --fix-chain FILE       write the repaired chain to FILE; the block names it
  --intermediates FILE   PEM bundle to take missing intermediates from
  --fetch-intermediates  fetch a missing intermediate from its caIssuers URL
  --cert PATH            certificate file path in the block  [the --fix-chain FILE,
                         else /etc/ssl/NAME/chain.pem]
  --key PATH             private key path in the block      [/etc/ssl/private/NAME.key]
  --dhparam FILE         write the ffdhe2048 parameters to FILE; the block names it
                         [without: /etc/ssl/ffdhe2048.pem, its line commented out]
  --listen ADDR          port or address:port to listen on  [443]
  --policy, --roots, --servername, --at, --timeout, --per-host
                         as for the inspection (chainscope --help)

Exit status:
  0  the block was printed and the chain file, if asked for, written
  1  the block was printed, but the repaired chain still fails: not written
  2  bad usage; nothing was done
  3  TARGET could not be inspected, or a file could not be written
`

// runConfig is "chainscope config nginx|apache [flags] TARGET".
func runConfig(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return usageFail(stderr, "config: want nginx or apache", "run chainscope config --help for usage")
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, configUsage)
		return exitPass
	}
	server, err := serverconf.ParseServer(args[0])
	if err != nil {
		return usageFail(stderr, "config: "+err.Error(), "run chainscope config --help for usage")
	}
	cfg := &config{}
	var certPath, keyPath, dhFile, listen, at string
	fs := flag.NewFlagSet("chainscope config", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&cfg.policy, "policy", "pagerduty", "")
	fs.StringVar(&cfg.roots, "roots", "", "")
	fs.StringVar(&cfg.serverName, "servername", "", "")
	fs.StringVar(&at, "at", "", "")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Second, "")
	fs.IntVar(&cfg.perHost, "per-host", 3, "")
	fs.Func("fix-chain", "", outputFile(&cfg.fixChain))
	fs.StringVar(&cfg.intermediates, "intermediates", "", "")
	fs.BoolVar(&cfg.fetchIntermediates, "fetch-intermediates", false, "")
	fs.StringVar(&certPath, "cert", "", "")
	fs.StringVar(&keyPath, "key", "", "")
	fs.Func("dhparam", "", outputFile(&dhFile))
	fs.StringVar(&listen, "listen", "443", "")
	targets, err := parseInterspersed(fs, args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, configUsage)
		return exitPass
	case err != nil:
		return usageFail(stderr, err.Error(), "run chainscope config --help for usage")
	case len(targets) != 1:
		return usageFail(stderr, fmt.Sprintf("config: want one TARGET, got %d", len(targets)), "run chainscope config --help for usage")
	case cfg.timeout <= 0 || cfg.perHost < 1:
		return usageFail(stderr, "--timeout must be positive and --per-host at least 1", "")
	case (cfg.intermediates != "" || cfg.fetchIntermediates) && cfg.fixChain == "":
		return usageFail(stderr, "--intermediates and --fetch-intermediates complete the chain of --fix-chain FILE", "")
	}
	// A malformed target or a directory is bad usage, before anything is
	// inspected, as for the inspection itself.
	if _, err := parseTargets(targets); err != nil {
		return usageFailed(stderr, err)
	}
	if at != "" {
		if cfg.at, err = parseTime(at); err != nil {
			return usageFail(stderr, err.Error(), "")
		}
	}
	opts, err := buildOptions(cfg)
	if err != nil {
		return usageFail(stderr, err.Error(), "")
	}
	opts.Stdin = stdin
	ro, err := repairOptions(cfg)
	if err != nil {
		return usageFail(stderr, err.Error(), "")
	}
	r, err := inspect.InspectArg(ctx, targets[0], opts)
	if err != nil {
		fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(r.Error))
		for _, h := range ui.Hints(err) {
			fmt.Fprintf(stderr, "chainscope: hint: %s\n", h)
		}
		return exitError
	}
	code := exitPass
	var fixErr error
	if cfg.fixChain != "" {
		fixErr = fixChain(ctx, cfg.fixChain, opts, ro, &r)
		if fixErr != nil {
			fmt.Fprintf(stderr, "chainscope: error: %s\n", ui.Sanitize(fixErr.Error()))
			for _, h := range fixChainHints(fixErr, ro) {
				fmt.Fprintf(stderr, "chainscope: hint: %s\n", h)
			}
			code = exitFail
			if r.FixedChain == nil || r.FixedChain.Written || errors.As(fixErr, new(*os.PathError)) {
				code = exitError
			}
		}
	}
	name := siteName(&r)
	if certPath == "" {
		certPath = cfg.fixChain
		if certPath != "" {
			if abs, err := filepath.Abs(certPath); err == nil {
				certPath = abs
			}
		} else {
			certPath = "/etc/ssl/" + fileSafe(name) + "/chain.pem"
		}
	}
	if keyPath == "" {
		keyPath = "/etc/ssl/private/" + fileSafe(name) + ".key"
	}
	t := inspect.ServerTLS(&r, opts.Policy)
	site := serverconf.Site{
		ServerName: name, Listen: listen, Policy: opts.Policy.Name,
		CertFile: certPath, KeyFile: keyPath,
		Header: configHeader(server, &r, t, cfg.fixChain, fixErr, dhFile == ""),
	}
	dhPath, dhOff := "/etc/ssl/ffdhe2048.pem", dhFile == ""
	if dhFile != "" {
		dhPath = dhFile
		if abs, err := filepath.Abs(dhFile); err == nil {
			dhPath = abs
		}
		if t.DHE {
			if err := os.WriteFile(dhFile, serverconf.FFDHE2048, 0o644); err != nil {
				fmt.Fprintf(stderr, "chainscope: error: --dhparam %v\n", err)
				return exitError
			}
		}
	}
	site.DHParamFile, site.DHParamOff = dhPath, dhOff
	if _, err := io.WriteString(stdout, serverconf.Render(server, site.Nodes(server, t)...)); err != nil {
		fmt.Fprintf(stderr, "chainscope: error: write configuration: %v\n", err)
		return exitError
	}
	return code
}

// siteName is the name the block answers for: --servername or the target's
// host, else the leaf's first DNS name.
func siteName(r *inspect.Report) string {
	if r.ServerName != "" {
		return r.ServerName
	}
	for _, c := range r.Chain {
		if c.Role == "leaf" && len(c.DNSNames) > 0 {
			return strings.TrimPrefix(c.DNSNames[0], "*.")
		}
	}
	return "localhost"
}

// fileSafe keeps a name usable in a placeholder path.
func fileSafe(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '_'
	}, name)
}

// changedBy names what in the block changes each check it can fix.
var changedBy = map[string]string{
	inspect.CheckProtocol:    "the protocols line",
	inspect.CheckCipher:      "the suites lines",
	inspect.CheckKeyExchange: "the groups and DH parameters",
	inspect.CheckOrder:       "the certificate file (the repaired chain)",
	inspect.CheckComplete:    "the certificate file (the repaired chain)",
	inspect.CheckExtra:       "the certificate file (the repaired chain)",
}

// configHeader says what the block is for and which failing checks it
// changes; checks no server setting fixes are named with their fix (the
// suites too, when none of the policy's fits the certificate: t.NoSuite).
//
// dhOff says the DH parameters line is written commented out (no
// --dhparam): when every suite the block enables is DHE and the sender
// speaks no TLS 1.3, nginx then serves none of them, and the header says
// so (Apache picks a group by the key's size and serves them).
func configHeader(s serverconf.Server, r *inspect.Report, t serverconf.TLS, fixFile string, fixErr error, dhOff bool) []string {
	h := []string{
		fmt.Sprintf("chainscope config %s: %s for the policy %s", s, ui.Sanitize(r.Target), r.Policy),
		fmt.Sprintf("Trust store %s; judged at %s.", ui.Sanitize(r.Trust.Store), r.EvaluatedAt.Format(time.RFC3339)),
	}
	chainReady := fixFile != "" && fixErr == nil
	// The repaired chain, judged again, may still warn where the chain
	// did (two intermediates below the root stay two): such a check is
	// not changed by the certificate file.
	still := map[string]inspect.Check{}
	if r.FixedChain != nil {
		for _, c := range r.FixedChain.Checks {
			if c.Status == inspect.StatusFail || c.Status == inspect.StatusWarn {
				still[c.ID] = c
			}
		}
	}
	var fixed, other []string
	for _, c := range r.Checks {
		if c.Status != inspect.StatusFail && c.Status != inspect.StatusWarn {
			continue
		}
		what, ok := changedBy[c.ID]
		if ok && strings.HasPrefix(what, "the certificate file") {
			if sc, bad := still[c.ID]; chainReady && bad {
				verb := map[inspect.Status]string{inspect.StatusWarn: "warns", inspect.StatusFail: "fails"}[sc.Status]
				other = append(other, fmt.Sprintf("  %s %s: the repaired chain %s too: %s", c.ID, c.Status, verb, ui.Sanitize(sc.Fix)))
				continue
			}
			ok = chainReady
		}
		if c.ID == inspect.CheckCipher && t.NoSuite != "" {
			ok = false
		}
		if ok {
			fixed = append(fixed, fmt.Sprintf("  %s %s: %s", c.ID, c.Status, what))
		} else {
			other = append(other, fmt.Sprintf("  %s %s: %s", c.ID, c.Status, ui.Sanitize(c.Fix)))
		}
	}
	if len(fixed) > 0 {
		h = append(h, "", "What this block changes:")
		h = append(h, fixed...)
	}
	if len(other) > 0 {
		h = append(h, "", "Not changed by this block:")
		h = append(h, other...)
	}
	if s == serverconf.Nginx && dhOff && t.OnlyDHE() {
		h = append(h, "", "The DH parameters are NOT set: every suite below is DHE, and nginx serves none without",
			"them; give --dhparam FILE to write the RFC 7919 ffdhe2048 group and enable its line.")
	}
	switch {
	case fixErr != nil:
		h = append(h, "", "The certificate file is NOT ready: "+ui.Sanitize(fixErr.Error()))
	case fixFile == "":
		h = append(h, "", "Write the certificate file with --fix-chain FILE (the leaf, then each issuer).")
	}
	return h
}
