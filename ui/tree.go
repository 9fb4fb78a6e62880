package ui

import (
	"fmt"
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
// others. Every status comes from the report.
func nodeLines(r *inspect.Report, st styles, n chainNode) []string {
	switch n.kind {
	case nodeStoreRoot:
		if r.Trust.RootStatus == inspect.StatusFail {
			return []string{st.fail.Render(fmt.Sprintf("%s root  %s  (in store, refused)",
				statusSymbol(inspect.StatusFail), sanitize(r.Trust.RootName, nameWidth)))}
		}
		return []string{st.dim.Render(fmt.Sprintf("root  %s  (in store, not presented)", sanitize(r.Trust.RootName, nameWidth)))}
	case nodeMissing:
		where := "not presented, not in store"
		if fr := r.Trust.FormerRoot; fr != nil {
			where = "not presented, dropped from Mozilla's list by " + fr.RemovedDate.Format(time.DateOnly)
		}
		return []string{st.fail.Render(fmt.Sprintf("%s missing  %s  (%s)",
			statusSymbol(inspect.StatusFail), sanitize(r.Trust.MissingIssuerName, nameWidth), where))}
	}
	c := r.Chain[n.pos]
	name := fmt.Sprintf("%s %s  %s", st.title.Render(fmt.Sprintf("#%d", n.pos)), sanitize(c.Role, 24), sanitize(c.Name, nameWidth))
	v, vs := expiry(c.Expiry, c.NotBefore, c.NotAfter)
	if vs != inspect.StatusPass {
		v = st.status(vs).Render(v)
	}
	if n.kind == nodeExtra {
		if c.Note != "" {
			return []string{fmt.Sprintf("%s  (%s)", name, sanitize(c.Note, 2*nameWidth))}
		}
		return []string{fmt.Sprintf("%s  (%s)", name, v)}
	}
	ls, link := linkText(c)
	return []string{name, st.mark(ls) + " " + link + st.dim.Render(" · ") + v}
}

// linkText says how a certificate links to its issuer, as the engine
// judged it: a phrase for a link that holds, the engine's reason for one
// that does not.
func linkText(c inspect.Certificate) (inspect.Status, string) {
	l := c.IssuedBy
	if l.Status != inspect.StatusPass && l.Reason != "" {
		return l.Status, Sanitize(l.Reason)
	}
	switch l.Kind {
	case inspect.LinkPresented:
		return l.Status, fmt.Sprintf("issued by #%d", l.Position)
	case inspect.LinkStore:
		return l.Status, "issued by store root"
	case inspect.LinkAnchor:
		if c.SelfSigned {
			return l.Status, "self-signed root, in store"
		}
		return l.Status, "in store"
	case inspect.LinkSelfSigned:
		return l.Status, "self-signed, not in store"
	case inspect.LinkMissing:
		return l.Status, "issuer not presented, not in store"
	}
	return l.Status, "not on the path"
}
