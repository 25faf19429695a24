// A page of audit events, newest first, with previous/next (the API gives 100 a page, no total).
import { Badge, Button, Group, Table, Text } from '@mantine/core';
import type { AuditEvent } from '../common/api';
import { strings } from '../common/strings';
import { auditKindName } from './auditKinds';
import { Address, DateCell, ScrollTable } from './common';
import { AUDIT_PAGE_SIZE } from './logic';

const s = strings.admin.audit;
const breakable = { overflowWrap: 'anywhere' } as const;

interface Props {
  items: AuditEvent[];
  page: number;
  onPage: (page: number) => void;
  /** Leave out the Account column (the account's own trail). */
  hideAccount?: boolean;
  /** Whether a next page exists; by default when the API's page was full. */
  hasNext?: boolean;
}

export function AuditTable({ items, page, onPage, hideAccount, hasNext = items.length >= AUDIT_PAGE_SIZE }: Props) {
  return (
    <>
      {items.length === 0 ? (
        <Text py="lg" ta="center" c="dimmed" data-testid="audit-empty">
          {s.empty}
        </Text>
      ) : (
        <ScrollTable label={s.tableLabel} minWidth={720}>
          <Table striped verticalSpacing="xs" fz="sm" aria-label={s.tableLabel}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{s.at}</Table.Th>
                <Table.Th>{s.actor}</Table.Th>
                {!hideAccount && <Table.Th>{s.account}</Table.Th>}
                <Table.Th>{s.kind}</Table.Th>
                <Table.Th>{s.outcome}</Table.Th>
                <Table.Th>{s.reasonAndIp}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e, i) => (
                <Table.Tr key={`${e.at}-${i}`} data-testid="audit-row">
                  <DateCell iso={e.at} />
                  {/* Addresses break after the @ (at 1280 px, unbroken ones pushed Reason out of sight). */}
                  <Table.Td>
                    <Address email={e.actor} />
                  </Table.Td>
                  {!hideAccount && (
                    <Table.Td>
                      <Address email={e.account} />
                    </Table.Td>
                  )}
                  <Table.Td data-testid="audit-kind" data-kind={e.kind}>
                    {auditKindName(e.kind)}
                  </Table.Td>
                  <Table.Td>
                    <Badge miw="max-content" variant="light" radius="sm" color={e.outcome === 'success' ? 'teal' : 'red'}>
                      {s.outcomes[e.outcome]}
                    </Badge>
                  </Table.Td>
                  <Table.Td miw={200} style={breakable}>
                    {e.reason}
                    {e.clientIp && (
                      <Text size="xs" c="dimmed" ff="monospace">
                        {e.clientIp}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {(page > 1 || hasNext) && (
        <Group justify="center" gap="sm" mt="md">
          <Button variant="default" size="xs" disabled={page <= 1} onClick={() => onPage(page - 1)}>
            {s.previous}
          </Button>
          <Text size="sm">{s.pageN(page)}</Text>
          <Button variant="default" size="xs" disabled={!hasNext} onClick={() => onPage(page + 1)}>
            {s.next}
          </Button>
        </Group>
      )}
    </>
  );
}
