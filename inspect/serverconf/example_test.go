package serverconf_test

import (
	"fmt"

	"chainscope/inspect/policy"
	"chainscope/inspect/serverconf"
	"chainscope/inspect/wire"
)

func Example() {
	t := serverconf.ForPolicy(policy.PagerDuty(), serverconf.Options{KeyType: "RSA", Keep: []uint16{wire.VersionTLS13}})
	site := serverconf.Site{
		ServerName: "hooks.example.com", Listen: "443", Policy: "pagerduty",
		CertFile: "/etc/ssl/hooks.example.com/chain.pem", KeyFile: "/etc/ssl/private/hooks.example.com.key",
		DHParamFile: "/etc/ssl/ffdhe2048.pem",
	}
	fmt.Print(serverconf.Render(serverconf.Nginx, site.Nodes(serverconf.Nginx, t)...))
	fmt.Print(serverconf.Render(serverconf.Apache, site.Nodes(serverconf.Apache, t)...))
	// Output:
	// server {
	//     listen 443 ssl;
	//     server_name hooks.example.com;
	//
	//     # The certificate file: the leaf, then each issuer along the path, the root left
	//     # out (RFC 5246 §7.4.2); `chainscope --fix-chain FILE TARGET` writes it.
	//     ssl_certificate /etc/ssl/hooks.example.com/chain.pem;
	//     # The leaf's private key (never leaves the server).
	//     ssl_certificate_key /etc/ssl/private/hooks.example.com.key;
	//
	//     # Protocols: TLS 1.2 for the policy (pagerduty); TLS 1.3 kept for other clients.
	//     ssl_protocols TLSv1.2 TLSv1.3;
	//     # Suites: the policy's, in its order, as OpenSSL names them (12).
	//     # Left out: 6 suites that authenticate with an ECDSA key (the certificate's key is RSA).
	//     # Left out: 12 suites with static ECDH key exchange, which OpenSSL 1.1.0 removed.
	//     # Left out: 6 suites that authenticate with a DSA key (the certificate's key is RSA).
	//     # Server order on: the list mixes strengths, so every client gets the first it shares.
	//     ssl_ciphers ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA:DHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:DHE-RSA-AES128-SHA;
	//     ssl_prefer_server_ciphers on;
	//     # Groups for ECDHE: the policy's that OpenSSL knows, and X25519 for other clients.
	//     ssl_ecdh_curve X25519:prime256v1:secp384r1:secp521r1;
	//     # DH parameters for the DHE suites: the RFC 7919 ffdhe2048 group, never generated
	//     # on the fly; `chainscope config --dhparam FILE` writes it.
	//     ssl_dhparam /etc/ssl/ffdhe2048.pem;
	// }
	// # Listen once per address and port: leave this line out when ports.conf already has it.
	// Listen 443
	//
	// <VirtualHost *:443>
	//     ServerName hooks.example.com
	//     SSLEngine on
	//
	//     # The certificate file: the leaf, then each issuer along the path, the root left
	//     # out (RFC 5246 §7.4.2); `chainscope --fix-chain FILE TARGET` writes it.
	//     SSLCertificateFile /etc/ssl/hooks.example.com/chain.pem
	//     # The leaf's private key (never leaves the server).
	//     SSLCertificateKeyFile /etc/ssl/private/hooks.example.com.key
	//
	//     # Protocols: TLS 1.2 for the policy (pagerduty); TLS 1.3 kept for other clients.
	//     SSLProtocol -all +TLSv1.2 +TLSv1.3
	//     # Suites: the policy's, in its order, as OpenSSL names them (12).
	//     # Left out: 6 suites that authenticate with an ECDSA key (the certificate's key is RSA).
	//     # Left out: 12 suites with static ECDH key exchange, which OpenSSL 1.1.0 removed.
	//     # Left out: 6 suites that authenticate with a DSA key (the certificate's key is RSA).
	//     # Server order on: the list mixes strengths, so every client gets the first it shares.
	//     SSLCipherSuite ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA:DHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:DHE-RSA-AES128-SHA
	//     SSLHonorCipherOrder on
	//     # Groups for ECDHE: the policy's that OpenSSL knows, and X25519 for other clients.
	//     SSLOpenSSLConfCmd Curves X25519:prime256v1:secp384r1:secp521r1
	//     # DH parameters for the DHE suites: the RFC 7919 ffdhe2048 group, never generated
	//     # on the fly; `chainscope config --dhparam FILE` writes it.
	//     SSLOpenSSLConfCmd DHParameters /etc/ssl/ffdhe2048.pem
	// </VirtualHost>
}
