import { describe, expect, it } from 'vitest';
import { zoneText } from './dnsZone';

describe('zoneText', () => {
  it('writes one zone file line a record, the purpose as a comment', () => {
    expect(
      zoneText([
        { name: '_imaps._tcp.example.com.', type: 'SRV', value: '0 1 993 mail.example.com.', purpose: 'IMAP over TLS' },
        { name: '_caldavs._tcp.example.com.', type: 'TXT', value: '"path=/dav/"', purpose: 'CalDAV' },
      ]),
    ).toBe('_imaps._tcp.example.com.\tIN\tSRV\t0 1 993 mail.example.com.\t; IMAP over TLS\n_caldavs._tcp.example.com.\tIN\tTXT\t"path=/dav/"\t; CalDAV\n');
  });
});
