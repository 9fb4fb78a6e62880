package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2/tree"

	"chainscope/inspect"
)

// nameWidth caps a certificate name on a tree line; the details show it whole.
const nameWidth = 64

// nodeKind says what a node of the chain tree stands for.
type nodeKind int

const (
	nodeCert      nodeKind = iota // a presented certificate
	nodeStoreRoot                 // the store root the path ends at, not presented
	nodeMissing                   // the issuer the path stops at: neither presented nor in the store
	nodeExtra                     // a presented duplicate or unrelated certificate
)

// chainNode is one node of the chain tree; pos is the certificate's
// position on the wire, -1 for nodes that were not presented.
type chainNode struct {
	kind nodeKind
	pos  int
}

// chainNodes lists the nodes of the chain tree in the order they are drawn
// (and selected): the presented certificates in presented order, then the
// end of the path (the store root or the missing issuer), then the
// duplicates and unrelated certificates.
func chainNodes(r *inspect.Report) []chainNode {
	var nodes, extras []chainNode
	for i, c := range r.Chain {
		if isExtra(c) {
			extras = append(extras, chainNode{kind: nodeExtra, pos: i})
			continue
		}
		nodes = append(nodes, chainNode{kind: nodeCert, pos: i})
	}
	switch {
	case r.Trust.RootSubject != "" && !r.Trust.RootPresented:
		nodes = append(nodes, chainNode{kind: nodeStoreRoot, pos: -1})
	case r.Trust.MissingIssuer != "":
		nodes = append(nodes, chainNode{kind: nodeMissing, pos: -1})
	}
	return append(nodes, extras...)
}

func isExtra(c inspect.Certificate) bool {
	return c.Role == "duplicate" || c.Role == "unrelated"
}

// chainTree draws the chain of r as a tree, for the text report and the
// interface alike. Each presented certificate shows its position, role,
// name and expiry, and under it the link to its issuer: ✓ when the next
// certificate issued it, ✗ when not. The store root ends the path, dimmed
// and marked "(in store, not presented)" when the server did not send it;
// duplicates and unrelated certificates hang off a branch of their own.
//
// selected is the index into chainNodes of the node to highlight, or -1
// for none (the text report); the interface passes its selection and gets
// a "▸" marker in front of it, which shows the selection without colour.
func chainTree(r *inspect.Report, st styles, selected int) *tree.Tree {
	t := tree.New().
		EnumeratorStyle(st.dim.PaddingRight(1)).
		IndenterStyle(st.dim.PaddingRight(1))
	var extra *tree.Tree
	for i, n := range chainNodes(r) {
		lines := nodeLines(r, st, n)
		if selected >= 0 {
			for j := range lines {
				switch {
				case j > 0:
					lines[j] = "  " + lines[j]
				case i == selected:
					// Highlight the plain text: inner colours would end
					// the reverse video at their first reset.
					lines[j] = "▸ " + st.selected.Render(nodeLines(r, styles{}, n)[0])
				default:
					lines[j] = "  " + lines[j]
				}
			}
		}
		item := strings.Join(lines, "\n")
		if n.kind == nodeExtra {
			if extra == nil {
				extra = tree.Root(st.dim.Render("not on the path"))
			}
			extra.Child(item)
			continue
		}
		t.Child(item)
	}
	if extra != nil {
		t.Child(extra)
	}
	return t
}

// treeLines renders chainTree as lines without trailing blanks (a tree
// pads multi-line nodes to their widest line).
func treeLines(r *inspect.Report, st styles, selected int) []string {
	lines := strings.Split(chainTree(r, st, selected).String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return lines
}

// nodeLines is the text of one tree node: for a certificate on the path a
// name line, then its link to its issuer and its expiry; one line for the
// others.
func nodeLines(r *inspect.Report, st styles, n chainNode) []string {
	switch n.kind {
	case nodeStoreRoot:
		return []string{st.dim.Render(fmt.Sprintf("root  %s  (in store, not presented)", shortName(r.Trust.RootSubject, nameWidth)))}
	case nodeMissing:
		where := "not presented, not in store"
		if fr := r.Trust.FormerRoot; fr != nil {
			where = "not presented, dropped from Mozilla's list by " + fr.RemovedDate.Format(time.DateOnly)
		}
		return []string{st.fail.Render(fmt.Sprintf("%s missing  %s  (%s)",
			statusSymbol(inspect.StatusFail), shortName(r.Trust.MissingIssuer, nameWidth), where))}
	}
	c := r.Chain[n.pos]
	name := fmt.Sprintf("%s %s  %s", st.title.Render(fmt.Sprintf("#%d", n.pos)), sanitize(c.Role, 24), shortName(c.Subject, nameWidth))
	v, vs := validity(c.NotBefore, c.NotAfter, r.EvaluatedAt)
	if vs != inspect.StatusPass {
		v = st.status(vs).Render(v)
	}
	if n.kind == nodeExtra {
		if d := duplicateOf(r, n.pos); d >= 0 && c.Role == "duplicate" {
			return []string{fmt.Sprintf("%s  (same as #%d)", name, d)}
		}
		return []string{fmt.Sprintf("%s  (%s)", name, v)}
	}
	ls, link := linkStatus(r, n.pos)
	return []string{name, st.mark(ls) + " " + link + st.dim.Render(" · ") + v}
}

// linkStatus says how the certificate at position i links to its issuer.
func linkStatus(r *inspect.Report, i int) (inspect.Status, string) {
	c := r.Chain[i]
	hasNext := i+1 < len(r.Chain)
	if pathEnd(r, i) {
		switch {
		case r.Trust.Trusted && r.Trust.RootPresented && c.SelfSigned:
			return inspect.StatusPass, "self-signed root, in store"
		case r.Trust.Trusted && r.Trust.RootPresented:
			return inspect.StatusPass, "in store"
		case r.Trust.Trusted:
			return inspect.StatusPass, "issued by store root"
		case r.Trust.FormerRoot != nil && r.Trust.MissingIssuer != "":
			return inspect.StatusFail, "issued by a root Mozilla's list dropped"
		case r.Trust.MissingIssuer != "":
			return inspect.StatusFail, "issuer not presented, not in store"
		case r.Trust.FormerRoot != nil && c.SelfSigned:
			return inspect.StatusFail, "self-signed, a root Mozilla's list dropped"
		case c.SelfSigned:
			return inspect.StatusFail, "self-signed, not in store"
		}
		return inspect.StatusFail, "no issuer found"
	}
	if hasNext && c.IssuedByNext {
		return inspect.StatusPass, fmt.Sprintf("issued by #%d", i+1)
	}
	j := pathIssuer(r, i)
	switch {
	case hasNext && j >= 0:
		return inspect.StatusFail, fmt.Sprintf("not issued by #%d (issued by #%d)", i+1, j)
	case hasNext:
		return inspect.StatusFail, fmt.Sprintf("not issued by #%d", i+1)
	case j >= 0:
		return inspect.StatusFail, fmt.Sprintf("issued by #%d, which is sent before it", j)
	}
	return inspect.StatusFail, "issuer not presented"
}

// pathEnd reports whether position i is the last presented certificate on
// the trust path (the one a store root or a missing issuer would sign).
func pathEnd(r *inspect.Report, i int) bool {
	if p := r.Trust.Path; len(p) > 0 {
		return p[len(p)-1] == i
	}
	// No path was recorded: take the last certificate that is not extra.
	for j := len(r.Chain) - 1; j >= 0; j-- {
		if !isExtra(r.Chain[j]) {
			return j == i
		}
	}
	return false
}

// pathIssuer returns the position of the certificate that issued the one at
// position i along the trust path, or -1.
func pathIssuer(r *inspect.Report, i int) int {
	k := slices.Index(r.Trust.Path, i)
	if k < 0 || k+1 >= len(r.Trust.Path) {
		return -1
	}
	return r.Trust.Path[k+1]
}

// duplicateOf returns the position of the first earlier certificate with
// the same fingerprint, or -1.
func duplicateOf(r *inspect.Report, i int) int {
	for j := range i {
		if r.Chain[j].SHA256 != "" && r.Chain[j].SHA256 == r.Chain[i].SHA256 {
			return j
		}
	}
	return -1
}
