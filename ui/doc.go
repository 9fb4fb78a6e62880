// Package ui holds the two human front ends of chainscope: the plain-text
// report ([WriteText]) and the interactive interface ([Run], built on
// Bubble Tea). Both are renderings of an [inspect.Report]; they share one
// severity→style table (style.go) and one drawer of the chain as a tree
// (tree.go), so a symbol means the same thing everywhere: ✓ pass, ✗ fail,
// ! warn, · info, - skip.
//
// # Untrusted text
//
// Subjects, issuers, names, URLs and error messages come from certificates
// and servers that may be hostile. Every such string goes through
// [Sanitize] before it reaches a terminal, so that an escape sequence or a
// bidi override in a certificate is shown, escaped, rather than obeyed.
//
// # What ui does not do
//
// ui never dials, parses certificates or reads files: the interface calls
// the [Inspector] and the file writer it is given in [Config], and renders
// the reports they return.
//
// # The interface
//
// One root [Model] with a state (the list of targets, or one target open)
// owns the window size, the targets and their inspections, and its children,
// each a value in its own file: the target list, the chain tree, the checks,
// the details viewport and the prompt. Inspections run as commands tagged
// with a request id; progress flows back through a channel that never
// blocks the inspector, and results of superseded requests are dropped.
package ui
