package inspect

import (
	"context"
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
	if opts.ServerName, err = ASCIIName(opts.ServerName); err != nil {
		err = fmt.Errorf("--servername: %w", err)
		return errorReport(t, opts, err), err
	}
	var r Report
	switch t.Kind {
	case TargetFile, TargetStdin:
		r, err = inspectFile(t, opts)
	default:
		if opts.AsClient {
			err = fmt.Errorf("%s: a client chain is judged from a file; to see the chain a client presents, run chainscope listen and point the client at it", t.Arg)
			break
		}
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
			return Report{}, errors.New("standard input (-): none was given")
		}
		f, err = certfile.Read("standard input", opts.Stdin)
	} else {
		f, err = readFile(t.Path)
	}
	if err != nil {
		return Report{}, err
	}
	r := newReport(t, opts, SourceFile, opts.ServerName)
	r.Notes = f.Skipped
	if opts.AsClient {
		return r, judgeClient(&r, f.Certificates, opts)
	}
	judge(&r, f.Certificates, opts, chainFacts{keyAt: -1})
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
