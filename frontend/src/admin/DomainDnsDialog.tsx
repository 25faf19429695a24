// The DNS records a domain publishes so that clients set themselves up from an address
// (Autodiscover, autoconfig, RFC 6186/6764 SRV): read-only, computed by the server from the
// public URL and the mail doors, with the lines to paste into a zone file.
import { Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { api } from '../common/api';
import { LoadError, Loading, useLoad } from '../common/load';
import { strings } from '../common/strings';
import { CopySecret } from '../credentials/SecretView';
import { ScrollTable } from './common';
import { zoneText } from './dnsZone';

const s = strings.admin.orgs.dns;


function Records({ name }: { name: string }) {
  const { state, reload } = useLoad(() => api.admin.domainDns(name), [name]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={() => reload()} />;
  const rs = state.data.records;
  return (
    <Stack gap="md">
      <ScrollTable label={s.title(name)} minWidth={880}>
        <Table verticalSpacing="xs" aria-label={s.title(name)} data-testid="dns-records">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{s.name}</Table.Th>
              <Table.Th>{s.type}</Table.Th>
              <Table.Th>{s.value}</Table.Th>
              <Table.Th>{s.purpose}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rs.map((r) => (
              <Table.Tr key={`${r.name} ${r.type}`} data-testid="dns-record">
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {r.name}
                </Table.Td>
                <Table.Td>{r.type}</Table.Td>
                <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {r.value}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {r.purpose}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <CopySecret text={zoneText(rs)} label={s.copy} variant="light" statusId="dns-copy-status" />
    </Stack>
  );
}

export function DomainDnsDialog({ name, onClose }: { name: string | null; onClose: () => void }) {
  return (
    <Modal opened={name !== null} onClose={onClose} title={s.title(name ?? '')} centered size={1000}>
      <Stack gap="md">
        <Text size="sm">{s.intro}</Text>
        {name !== null && <Records name={name} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {s.close}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
