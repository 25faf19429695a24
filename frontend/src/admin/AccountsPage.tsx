// Administration › Accounts: search by part of the address, filter by one of the domains the
// admin administers, a page of 50, a row opens the account.
import { Anchor, Button, Group, Pagination, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { api } from '../common/api';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { LoadError, Loading, useLoad } from '../common/load';
import { Forbidden, isForbidden, PasswordChangeBadge, ReadOnlyBadge, RoleBadge, StatusBadge } from './common';
import { DateCell, ScrollTable } from './common';
import { pageCount } from './logic';

const s = strings.admin.accounts;

export function accountPath(email: string): string {
  return `/admin/accounts/${encodeURIComponent(email)}`;
}

export function AccountsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const domain = params.get('domain') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [typed, setTyped] = useState(q);
  const navigate = useNavigate();
  const { me } = useSession();
  const { state, reload } = useLoad(() => api.admin.accounts({ q: q || undefined, domain: domain || undefined, page }), [q, domain, page]);
  // A global admin filters by any domain; a domain admin by the domains they administer.
  const global = me?.role === 'global_admin';
  const domains = useLoad(
    () => (global ? api.admin.domains().then((ds) => ds.map((d) => d.name)) : Promise.resolve(me?.adminDomains ?? [])),
    [global, me?.adminDomains?.join(',')],
  ).state;
  const domainOptions = domains.status === 'ready' ? domains.data : [];

  const go = (next: { q?: string; domain?: string; page?: number }) => {
    const p = new URLSearchParams();
    const nq = next.q ?? q;
    const nd = next.domain ?? domain;
    if (nq) p.set('q', nq);
    if (nd) p.set('domain', nd);
    if ((next.page ?? 1) > 1) p.set('page', String(next.page));
    setParams(p);
  };

  if (state.status === 'error' && isForbidden(state.error)) return <Forbidden error={state.error} />;

  return (
    <>
      <SectionHeader title={s.title} intro={s.intro} />
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            go({ q: typed.trim(), page: 1 });
          }}
        >
          <Group align="flex-end" gap="sm" mb="md">
            <TextInput
              label={s.search}
              placeholder={s.searchPlaceholder}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              type="search"
              style={{ flex: 1, maxWidth: 420 }}
            />
            {(domainOptions.length > 1 || domain !== '') && (
              <Select
                label={s.domain}
                placeholder={s.allDomains}
                data={domainOptions}
                value={domain || null}
                onChange={(v) => go({ domain: v ?? '', page: 1 })}
                clearable
                clearButtonProps={{ 'aria-label': s.clearDomain }}
                w={220}
                data-testid="accounts-domain"
              />
            )}
            <Button type="submit">{s.searchButton}</Button>
          </Group>
        </form>
        {state.status === 'loading' && <Loading />}
        {state.status === 'error' && <LoadError error={state.error} onRetry={() => reload()} />}
        {state.status === 'ready' && (
          <>
            <Text size="sm" c="dimmed" mb="xs" data-testid="accounts-total">
              {s.total(state.data.total)}
            </Text>
            {state.data.items.length === 0 ? (
              <Text py="lg" ta="center" c="dimmed" data-testid="accounts-empty">
                {s.empty}
              </Text>
            ) : (
              <ScrollTable label={s.tableLabel} minWidth={640}>
                <Table highlightOnHover verticalSpacing="sm" aria-label={s.tableLabel}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{s.email}</Table.Th>
                      <Table.Th>{s.role}</Table.Th>
                      <Table.Th>{s.status}</Table.Th>
                      <Table.Th>{s.cos}</Table.Th>
                      <Table.Th>{s.lastLogin}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {state.data.items.map((acct) => (
                      <Table.Tr
                        key={acct.id}
                        data-testid="account-row"
                        style={{ cursor: 'pointer' }}
                        onClick={() => navigate(accountPath(acct.email))}
                      >
                        <Table.Td>
                          <Anchor component={Link} to={accountPath(acct.email)} fw={600} onClick={(e) => e.stopPropagation()}>
                            {acct.email}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={6} wrap="nowrap">
                            <RoleBadge role={acct.role} />
                            {!acct.manageable && <ReadOnlyBadge />}
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={6} wrap="nowrap">
                            <StatusBadge status={acct.status} />
                            {acct.mustChangePassword && <PasswordChangeBadge />}
                          </Group>
                        </Table.Td>
                        <Table.Td>{acct.cos ?? strings.admin.noCos}</Table.Td>
                        <DateCell iso={acct.lastLoginAt} empty={strings.admin.never} />
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            )}
            {pageCount(state.data.total, state.data.pageSize) > 1 && (
              <Group justify="center" mt="md">
                <Pagination
                  total={pageCount(state.data.total, state.data.pageSize)}
                  value={state.data.page}
                  onChange={(p) => go({ page: p })}
                  aria-label={s.pagination}
                />
              </Group>
            )}
          </>
        )}
      </Paper>
    </>
  );
}
