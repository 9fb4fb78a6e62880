package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"chainscope/inspect"
	"chainscope/inspect/certfile"
)

// repairOptions builds the engine's repair options from --intermediates
// and --fetch-intermediates.
func repairOptions(cfg *config) (inspect.RepairOptions, error) {
	ro := inspect.RepairOptions{Fetch: cfg.fetchIntermediates}
	if cfg.intermediates == "" {
		return ro, nil
	}
	certs, err := loadIntermediates(cfg.intermediates)
	if err != nil {
		return ro, err
	}
	ro.Intermediates, ro.Source = certs, "--intermediates "+cfg.intermediates
	return ro, nil
}

func loadIntermediates(path string) ([]*x509.Certificate, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--intermediates %s: %w", path, withoutPath(err))
	}
	defer fh.Close()
	f, err := certfile.Read(path, io.LimitReader(fh, certfile.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("--intermediates %w", err)
	}
	return f.Certificates, nil
}

// fixChain repairs the chain of r and writes it to file when it passes
// judged again; r.FixedChain says what came of it. The error says why
// nothing was written.
func fixChain(ctx context.Context, file string, opts inspect.Options, ro inspect.RepairOptions, r *inspect.Report) error {
	fc, data, err := inspect.Repair(ctx, r, opts, ro)
	if fc != nil {
		fc.File = file
		r.FixedChain = fc
	}
	if err != nil {
		return fmt.Errorf("--fix-chain %s: not written: %w", file, err)
	}
	if err := writeFileAtomic(file, data); err != nil {
		fc.Error = err.Error()
		return fmt.Errorf("--fix-chain %s: not written: %w", file, err)
	}
	fc.Written = true
	return nil
}

// fixChainHints say what may complete a chain that still fails: more
// intermediates only when an issuer is missing and is no root Mozilla's
// list dropped; for such a root, a cross-sign; nothing when nothing is
// missing (a self-signed leaf, a root outside the store).
func fixChainHints(err error, ro inspect.RepairOptions) []string {
	var sf *inspect.StillFailsError
	if !errors.As(err, &sf) {
		return nil
	}
	switch {
	case sf.FormerRoot != "":
		return []string{fmt.Sprintf("the path ends at %s, a root Mozilla's list dropped: no intermediate is missing; only a chain to a root the list includes passes (see trust.root), e.g. an intermediate cross-signed by one, given with --intermediates FILE", sf.FormerRoot)}
	case sf.MissingIssuer == "" || !slices.Contains(sf.Checks, inspect.CheckComplete):
		return nil
	case ro.Intermediates == nil && !ro.Fetch:
		return []string{"give the missing intermediate with --intermediates FILE, or let chainscope fetch it with --fetch-intermediates"}
	case !ro.Fetch:
		return []string{"--fetch-intermediates fetches a missing intermediate from the caIssuers URL its certificate names"}
	}
	return nil
}

// fixChainUsage says what is wrong with the repair flags, or "".
func fixChainUsage(cfg *config, tui bool) string {
	switch {
	case cfg.fixChain != "" && tui:
		return "--fix-chain writes a file from --json or --text; in the interface, press e"
	case cfg.fixChain != "" && len(cfg.targets) != 1:
		return fmt.Sprintf("--fix-chain writes one chain: give one target, not %d", len(cfg.targets))
	case cfg.fixChain == "" && !tui && (cfg.intermediates != "" || cfg.fetchIntermediates):
		return "--intermediates and --fetch-intermediates complete the chain of --fix-chain FILE"
	}
	return ""
}
