import { describe, expect, it } from 'vitest';
import { settingsText } from './MailSettings';

const fp = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');

describe('settingsText', () => {
  it('puts every server, the username and the self-signed fingerprint on its own line', () => {
    const text = settingsText({
      username: 'erin@example.com',
      servers: [
        { protocol: 'imap', host: 'mail.example.com', port: 993, security: 'tls', username: 'erin@example.com' },
        { protocol: 'smtp', host: 'mail.example.com', port: 587, security: 'starttls', username: 'erin@example.com' },
      ],
      certificate: { selfSigned: true, sha256: fp },
      dav: 'https://mail.example.com/dav/',
    });
    expect(text).toBe(
      [
        'Username: erin@example.com',
        'Password: your application passcode',
        'IMAP (incoming): server mail.example.com, port 993, SSL/TLS',
        'SMTP (outgoing): server mail.example.com, port 587, STARTTLS',
        'CalDAV and CardDAV: https://mail.example.com/dav/',
        `Certificate SHA-256 fingerprint: ${fp}`,
        '',
      ].join('\n'),
    );
  });

  it('leaves out the fingerprint of a certificate an authority signed', () => {
    const text = settingsText({
      username: 'erin@example.com',
      servers: [{ protocol: 'pop3', host: 'mail.example.com', port: 995, security: 'tls', username: 'erin@example.com' }],
      certificate: { selfSigned: false, sha256: fp },
      dav: null,
    });
    expect(text).not.toContain('CalDAV');
    expect(text).not.toContain('fingerprint');
    expect(text).toContain('POP3 (incoming): server mail.example.com, port 995, SSL/TLS');
  });
});
