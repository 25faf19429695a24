// A domain's DNS records as zone file lines (the admin copies them into their DNS).
import type { DNSRecord } from '../common/api';

/** One line a record, tab-separated, the purpose as a comment; a final newline. */
export const zoneText = (rs: DNSRecord[]) => rs.map((r) => `${r.name}\tIN\t${r.type}\t${r.value}\t; ${r.purpose}`).join('\n') + '\n';
