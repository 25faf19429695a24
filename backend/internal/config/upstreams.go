package config

import "net"

// MailProxyUpstreams is where nginx's auth_http answer sends a logged-in client. When
// TESSERA_MAIL_UPSTREAMS is not set, a protocol whose plain door (IMAP, POP3, submission) is
// configured with an IP address goes to that door: nginx terminates TLS and needs an address,
// and Tessera's own listener holds the mail. A door on 0.0.0.0 or :: is reached on loopback.
// The other protocols keep the built-in defaults.
func (c *Config) MailProxyUpstreams() map[string]string {
	out := make(map[string]string, len(c.MailUpstreams))
	for p, a := range c.MailUpstreams {
		out[p] = a
	}
	if c.mailUpstreamsSet {
		return out
	}
	for proto, listen := range map[string]string{"imap": c.IMAPListen, "pop3": c.POP3Listen, "smtp": c.SubmissionListen} {
		host, port, err := net.SplitHostPort(listen)
		ip := net.ParseIP(host)
		if err != nil || ip == nil || port == "" || port == "0" {
			continue
		}
		if ip.IsUnspecified() {
			ip = net.IPv4(127, 0, 0, 1)
			if host == "::" {
				ip = net.IPv6loopback
			}
		}
		out[proto] = net.JoinHostPort(ip.String(), port)
	}
	return out
}
