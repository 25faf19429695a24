// Administration › one account: who it is (role, status, COS, a domain admin's domains),
// lock/unlock, close, end its sessions; its credentials, its devices and its audit trail.
// Another administrator's account is read-only to a domain admin: marked, without actions.
import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSession } from '../auth/session';
import { api, type AccountStatus, type AdminAccount } from '../common/api';
import { formatDate } from '../common/format';
import { RecoveryEmailField } from '../common/RecoveryEmailField';
import { AlertIcon } from '../common/icons';
import { strings } from '../common/strings';
import { AdminDomainsField } from './AdminDomainsField';
import { AuditTable } from './AuditTable';
import { ACCOUNT_TRAIL_SIZE, auditHasNext, auditSlice } from './auditPaging';
import { LoadError, Loading, useLoad } from '../common/load';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { notifyDone } from '../common/notify';
import { Forbidden, isForbidden, isNotFound, NotFound, PasswordChangeBadge, ReadOnlyBadge, RoleBadge, StatusBadge } from './common';
import { CredentialsCard } from './CredentialsCard';
import { DevicesCard } from './DevicesCard';
import { AppSessionsCard, SessionsCard } from '../auth/SessionsCard';
import { NewPasswordDialog } from './NewPasswordDialog';
import { ResetPasswordDialog } from './ResetPasswordDialog';

const a = strings.admin;
const s = a.account;

type Action = 'lock' | 'unlock' | 'close' | 'endSessions';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

function AccountAudit({ email, version }: { email: string; version: number }) {
  const [page, setPage] = useState(1);
  const { apiPage, start } = auditSlice(page);
  const { state, reload } = useLoad(() => api.admin.audit({ account: email, page: apiPage > 1 ? apiPage : undefined }), [email, apiPage, version]);
  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mt="lg" data-testid="admin-account-audit">
      <Title order={2} size="h4" mb="sm">
        {a.audit.accountTitle}
      </Title>
      {state.status === 'loading' && <Loading />}
      {state.status === 'error' && <LoadError error={state.error} onRetry={() => reload()} />}
      {state.status === 'ready' && (
        <AuditTable
          items={state.data.items.slice(start, start + ACCOUNT_TRAIL_SIZE)}
          page={page}
          onPage={setPage}
          hasNext={auditHasNext(page, state.data.items.length)}
          hideAccount
        />
      )}
    </Paper>
  );
}

export function AccountPage() {
  const email = useParams().email ?? '';
  const { state, reload, setState } = useLoad(() => api.admin.account(email), [email]);
  const [action, setAction] = useState<Action | null>(null);
  const [version, setVersion] = useState(0);
  const [resetOpened, setResetOpened] = useState(false);
  const [newPassword, setNewPassword] = useState<{ password: string; requireChange: boolean } | null>(null);
  const { me } = useSession();
  const bump = () => setVersion((v) => v + 1);

  useEffect(() => {
    document.title = strings.pageTitle(email);
  }, [email]);

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    if (isForbidden(state.error)) return <Forbidden error={state.error} />;
    if (isNotFound(state.error)) return <NotFound email={email} />;
    return <LoadError error={state.error} onRetry={() => reload()} />;
  }
  const acct: AdminAccount = state.data;

  const setStatus = async (status: AccountStatus, done: string) => {
    const updated = await api.admin.patchAccount(email, { status });
    setState({ status: 'ready', data: updated });
    notifyDone(done);
    bump();
  };

  const dialogs: Record<Action, { title: string; body: string; run: () => Promise<void>; danger?: boolean }> = {
    lock: { title: s.lockTitle(email), body: s.lockBody, danger: true, run: () => setStatus('locked', s.locked(email)) },
    unlock: { title: s.unlockTitle(email), body: s.unlockBody, run: () => setStatus('active', s.unlocked(email)) },
    close: { title: s.closeTitle(email), body: s.closeBody, danger: true, run: () => setStatus('closed', s.closed(email)) },
    endSessions: {
      title: s.endSessionsTitle(email),
      body: s.endSessionsBody,
      danger: true,
      run: async () => {
        await api.admin.endSessions(email);
        notifyDone(s.sessionsEnded(email));
        bump();
      },
    },
  };
  const passwordReset = (password: string, requireChange: boolean) => {
    setNewPassword({ password, requireChange });
    // The page shows whether a change is pending: read the account again.
    reload(true);
    bump();
  };
  const current = action ? dialogs[action] : null;

  return (
    <>
      <Anchor component={Link} to="/admin/accounts" size="sm">
        ← {a.backToAccounts}
      </Anchor>
      <Title order={1} size="h2" mt="xs" mb="md" style={{ overflowWrap: 'anywhere' }} data-testid="admin-account-email">
        {acct.email}
      </Title>
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="md">
          <Fact label={s.role}>
            <Group gap={6}>
              <RoleBadge role={acct.role} />
              {!acct.manageable && <ReadOnlyBadge />}
            </Group>
          </Fact>
          <Fact label={s.status}>
            <Group gap={6}>
              <StatusBadge status={acct.status} />
              {acct.mustChangePassword && <PasswordChangeBadge />}
            </Group>
          </Fact>
          <Fact label={s.cos}>
            <Text size="sm">{acct.cos ?? a.noCos}</Text>
          </Fact>
          <Fact label={s.lastLogin}>
            <Text size="sm">{acct.lastLoginAt ? formatDate(acct.lastLoginAt) : a.never}</Text>
          </Fact>
          <Fact label={s.twoFactor}>
            <Text size="sm">{acct.twoFactorEnabled ? s.on : s.off}</Text>
          </Fact>
        </SimpleGrid>
        {acct.role === 'domain_admin' && (
          <AdminDomainsField
            acct={acct}
            editable={me?.role === 'global_admin'}
            onSaved={(updated) => {
              setState({ status: 'ready', data: updated });
              bump();
            }}
          />
        )}
        <RecoveryEmailField
          own={acct.email}
          value={acct.recoveryEmail}
          editable={acct.manageable}
          description={strings.password.recovery.adminHint}
          save={async (addr) => {
            const updated = await api.admin.patchAccount(email, { recoveryEmail: addr });
            setState({ status: 'ready', data: updated });
            bump();
          }}
        />
        {!acct.manageable && (
          <Alert color="gray" variant="light" icon={<AlertIcon />} title={s.readOnlyTitle} mt="lg" data-testid="account-read-only-note">
            <Text size="sm">{s.readOnlyBody}</Text>
          </Alert>
        )}
        {acct.manageable && (
          <Group gap="sm" mt="lg" role="group" aria-label={s.actionsLabel}>
            {acct.status === 'active' && (
              <Button variant="light" color="red" onClick={() => setAction('lock')}>
                {s.lock}
              </Button>
            )}
            {acct.status !== 'active' && (
              <Button variant="light" onClick={() => setAction('unlock')}>
                {s.unlock}
              </Button>
            )}
            {acct.status !== 'closed' && (
              <Button variant="light" color="red" onClick={() => setAction('close')}>
                {s.close}
              </Button>
            )}
            <Button variant="default" onClick={() => setAction('endSessions')}>
              {s.endSessions}
            </Button>
            <Button variant="default" onClick={() => setResetOpened(true)}>
              {s.resetPassword}
            </Button>
          </Group>
        )}
      </Paper>
      <CredentialsCard email={email} readOnly={!acct.manageable} onChanged={bump} />
      <DevicesCard email={email} readOnly={!acct.manageable} onChanged={bump} />
      {/* acct may still be the previous page's account for a moment after the address changes. */}
      {acct.manageable && acct.email.toLowerCase() === email.toLowerCase() && (
        <>
          <SessionsCard key={version} email={email} />
          <AppSessionsCard key={`apps-${version}`} email={email} />
        </>
      )}
      <AccountAudit email={email} version={version} />
      <ConfirmDialog
        opened={current !== null}
        title={current?.title ?? ''}
        confirmLabel={s.confirm}
        danger={current?.danger}
        onClose={() => setAction(null)}
        onConfirm={() => current?.run() ?? Promise.resolve()}
      >
        {current?.body}
      </ConfirmDialog>
      <ResetPasswordDialog email={email} opened={resetOpened} onClose={() => setResetOpened(false)} onDone={passwordReset} />
      <NewPasswordDialog
        email={email}
        password={newPassword?.password ?? null}
        requireChange={newPassword?.requireChange ?? false}
        onClose={() => setNewPassword(null)}
      />
    </>
  );
}
