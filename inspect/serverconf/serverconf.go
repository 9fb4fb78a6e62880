// Package serverconf writes server configuration: the TLS settings a
// policy asks for, in the syntax of the servers operators run — nginx's
// ngx_http_ssl_module and Apache httpd's mod_ssl, which both hand them to
// OpenSSL — and whole commented blocks (an nginx server, an Apache
// VirtualHost) built from them.
//
// The vocabulary is small: a [Node] is a directive or a block of nodes,
// [Render] writes nodes in one [Server]'s syntax, and [ForPolicy] turns a
// policy into [TLS] settings whose methods return the nodes that set them.
// Callers that add their own directives (client-certificate verification,
// locations) build more nodes and render them together.
package serverconf

import (
	"fmt"
	"strings"
)

// Server is a server program whose configuration syntax is written.
type Server string

// The servers whose syntax is known.
const (
	Nginx  Server = "nginx"
	Apache Server = "apache"
)

// Servers lists the known servers, for usage texts.
var Servers = []Server{Nginx, Apache}

// ParseServer reads a server name: "nginx", or "apache" (also "httpd",
// "apache2").
func ParseServer(name string) (Server, error) {
	switch strings.ToLower(name) {
	case "nginx":
		return Nginx, nil
	case "apache", "apache2", "httpd":
		return Apache, nil
	}
	return "", fmt.Errorf("server %q: want nginx or apache", name)
}

// Node is one element of a configuration: a directive (Name and Args) or,
// when Block is true, a block holding Children ("server { … }" for nginx,
// "<VirtualHost *:443> … </VirtualHost>" for Apache). Comment lines, without
// their "#", come above it; Blank puts an empty line before them; Off
// writes a directive commented out, for the operator to enable.
type Node struct {
	Comment  []string
	Name     string
	Args     []string
	Block    bool
	Children []Node
	Blank    bool
	Off      bool
}

// Directive returns a directive node.
func Directive(name string, args ...string) Node { return Node{Name: name, Args: args} }

// Commented returns n with comment lines above it.
func (n Node) Commented(lines ...string) Node {
	n.Comment = append(append([]string(nil), n.Comment...), lines...)
	return n
}

// Spaced returns n with an empty line before it.
func (n Node) Spaced() Node {
	n.Blank = true
	return n
}

// Render writes nodes in the server's syntax, four spaces per level, a
// newline after each line. Arguments holding white space or the syntax's
// own punctuation are double-quoted.
func Render(s Server, nodes ...Node) string {
	var b strings.Builder
	render(&b, s, nodes, 0)
	return b.String()
}

func render(b *strings.Builder, s Server, nodes []Node, depth int) {
	indent := strings.Repeat("    ", depth)
	for i, n := range nodes {
		if n.Blank && i > 0 {
			b.WriteString("\n")
		}
		for _, c := range n.Comment {
			if c == "" {
				b.WriteString(indent + "#\n")
				continue
			}
			b.WriteString(indent + "# " + c + "\n")
		}
		if n.Name == "" {
			continue // a comment alone
		}
		line := n.Line(s)
		switch {
		case !n.Block && n.Off:
			b.WriteString(indent + "# " + line + "\n")
		case !n.Block:
			b.WriteString(indent + line + "\n")
		case s == Apache:
			b.WriteString(indent + "<" + line + ">\n")
			render(b, s, n.Children, depth+1)
			b.WriteString(indent + "</" + n.Name + ">\n")
		default:
			b.WriteString(indent + line + " {\n")
			render(b, s, n.Children, depth+1)
			b.WriteString(indent + "}\n")
		}
	}
}

// Line returns the node's own line: "ssl_protocols TLSv1.2 TLSv1.3;" for
// an nginx directive, "SSLProtocol -all +TLSv1.2" for Apache; for a block,
// its opening words without the punctuation around them.
func (n Node) Line(s Server) string {
	parts := []string{n.Name}
	for _, a := range n.Args {
		parts = append(parts, quote(s, a))
	}
	line := strings.Join(parts, " ")
	if s == Nginx && !n.Block {
		line += ";"
	}
	return line
}

// quote double-quotes an argument that the syntax would otherwise split or
// misread: white space anywhere, and for nginx ; { } # too.
func quote(s Server, a string) string {
	special := " \t\n\"'"
	if s == Nginx {
		special += ";{}#"
	}
	if a != "" && !strings.ContainsAny(a, special) {
		return a
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(a) + `"`
}
