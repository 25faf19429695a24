// What the admin pages share: loading state, a confirm dialog, badges, not-found/forbidden.
import { Alert, Badge, Button, Center, Group, Loader, Modal, Stack, Table, Text, type MantineColor } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useSession } from '../auth/session';
import { api, ApiError, type AccountStatus, type Role } from '../common/api';
import { errorMessage } from '../common/errors';
import { formatDate, formatDateCompact, formatDateParts } from '../common/format';
import { AlertIcon, CheckIcon, LogoutIcon } from '../common/icons';
import { strings } from '../common/strings';
import { OTP_PATH } from '../common/SettingsLayout';

const a = strings.admin;

export type Load<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

/** A loaded list's states: loading, failed (with a retry), empty, or its items through `children`. */
export function ListStates<T>({ state, onRetry, empty, children }: { state: Load<T[]>; onRetry: () => void; empty: string; children: (items: T[]) => ReactNode }) {
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={onRetry} />;
  if (state.data.length === 0) {
    return (
      <Text py="lg" ta="center" c="dimmed">
        {empty}
      </Text>
    );
  }
  return <>{children(state.data)}</>;
}

/** Runs `fn` now and on reload(); a late answer of an older call is dropped. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const latest = useRef(0);
  const run = useCallback(fn, deps);
  const reload = useCallback(
    (quiet = false) => {
      const request = ++latest.current;
      if (!quiet) setState({ status: 'loading' });
      run().then(
        (data) => request === latest.current && setState({ status: 'ready', data }),
        (error: unknown) => request === latest.current && setState({ status: 'error', error }),
      );
    },
    [run],
  );
  useEffect(() => {
    reload();
    return () => {
      latest.current++;
    };
  }, [reload]);
  return { state, reload, setState };
}

export function Loading() {
  return (
    <Center py="xl">
      <Loader size="sm" aria-label={strings.loading} />
    </Center>
  );
}

export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <Stack align="flex-start" py="md">
      <Alert color="red" variant="light" icon={<AlertIcon />} title={a.loadError} w="100%" data-testid="load-error">
        <Text size="sm">{errorMessage(error)}</Text>
      </Alert>
      <Button variant="default" onClick={onRetry}>
        {strings.retry}
      </Button>
    </Stack>
  );
}

/**
 * A table that scrolls sideways below `minWidth` (a phone). Its scroll area is a named region in
 * the tab order, so that a keyboard user can reach it and scroll it with the arrow keys.
 */
export function ScrollTable({ label, minWidth, children }: { label: string; minWidth: number; children: ReactNode }) {
  return (
    <Table.ScrollContainer minWidth={minWidth} scrollAreaProps={{ viewportProps: { tabIndex: 0, role: 'region', 'aria-label': label } }}>
      {children}
    </Table.ScrollContainer>
  );
}

/**
 * A table cell with a date: compact and on one line (a column of dates wrapped onto three lines at
 * 1280 px), the full date as its tooltip; `empty` when there is none.
 */
export function DateCell({ iso, empty, testId, stacked }: { iso: string | null | undefined; empty?: string; testId?: string; stacked?: boolean }) {
  // stacked: the date over the time, for a table with several date columns (two lines, never three).
  const parts = stacked && iso ? formatDateParts(iso) : null;
  return (
    <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid={testId}>
      {iso ? (
        <time dateTime={iso} title={formatDate(iso)}>
          {parts ? (
            <>
              {parts.date}
              <br />
              {parts.time}
            </>
          ) : (
            formatDateCompact(iso)
          )}
        </time>
      ) : (
        empty
      )}
    </Table.Td>
  );
}

/** An address that may break after its "@" only, never inside a name. */
export function Address({ email }: { email: string }) {
  const at = email.indexOf('@');
  if (at < 0) return <>{email}</>;
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {email.slice(0, at + 1)}
      <wbr />
      {email.slice(at + 1)}
    </span>
  );
}

export function isForbidden(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'forbidden' || err.status === 403);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && (err.code === 'not_found' || err.status === 404);
}

/** Whether the account has 2FA on and an enabled OTP entry: then only a new login is missing. */
async function twoFactorReady(): Promise<boolean> {
  const [tf, creds] = await Promise.all([api.twoFactor(), api.listCredentials()]);
  return tf.enabled && creds.some((c) => c.kind === 'otp' && c.status === 'enabled');
}

/** An admin session without a second factor: set 2FA up, or, when it is set up, log in again. */
function TwoFactorNeeded() {
  const { logout } = useSession();
  const { state } = useLoad(twoFactorReady, []);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'ready' && state.data) {
    return (
      <Alert color="orange" variant="light" icon={<AlertIcon />} title={a.twoFactorLoginTitle} data-testid="admin-two-factor">
        <Text size="sm" mb="sm">
          {a.twoFactorLoginBody}
        </Text>
        <Button variant="default" size="xs" leftSection={<LogoutIcon size={14} />} onClick={() => void logout()}>
          {a.twoFactorLoginButton}
        </Button>
      </Alert>
    );
  }
  return (
    <Alert color="orange" variant="light" icon={<AlertIcon />} title={a.twoFactorTitle} data-testid="admin-two-factor">
      <Text size="sm" mb="sm">
        {a.twoFactorBody}
      </Text>
      <Button component={Link} to={OTP_PATH} variant="default" size="xs">
        {a.twoFactorLink}
      </Button>
    </Alert>
  );
}

/** The answer to a user who is no administrator, or to an admin session without a second factor. */
export function Forbidden({ error }: { error?: unknown }) {
  if (error instanceof ApiError && error.code === 'two_factor_required') return <TwoFactorNeeded />;
  return (
    <Alert color="red" variant="light" icon={<AlertIcon />} title={a.forbiddenTitle} data-testid="admin-forbidden">
      <Text size="sm">{error instanceof ApiError && error.message ? error.message : a.forbiddenBody}</Text>
    </Alert>
  );
}

export function NotFound({ email }: { email: string }) {
  return (
    <Alert color="orange" variant="light" icon={<AlertIcon />} title={a.notFoundTitle} data-testid="admin-not-found">
      <Text size="sm" mb="sm">
        {a.notFoundBody(email)}
      </Text>
      <Button component={Link} to="/admin/accounts" variant="default" size="xs">
        {a.backToAccounts}
      </Button>
    </Alert>
  );
}

const roleColor: Record<Role, MantineColor> = { user: 'gray', domain_admin: 'indigo', global_admin: 'grape' };
const statusColor: Record<AccountStatus, MantineColor> = { active: 'teal', locked: 'red', closed: 'gray' };

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge miw="max-content" variant="light" color={roleColor[role]} radius="sm">
      {a.roles[role]}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: AccountStatus }) {
  return (
    <Badge miw="max-content" variant="light" color={statusColor[status]} radius="sm" data-testid="account-status">
      {a.statuses[status]}
    </Badge>
  );
}

/** Marks another administrator's account, which a domain admin may read but not act on. */
export function ReadOnlyBadge() {
  return (
    <Badge miw="max-content" variant="outline" color="dark" radius="sm" data-testid="account-read-only">
      {a.readOnly}
    </Badge>
  );
}

/** Shown beside the status while the account's password must be changed at next login. */
export function PasswordChangeBadge() {
  return (
    <Badge miw="max-content" variant="light" color="orange" radius="sm" data-testid="password-change-pending">
      {a.account.passwordChangePending}
    </Badge>
  );
}

export function notifyDone(message: string) {
  notifications.show({ color: 'teal', icon: <CheckIcon size={18} />, message });
}

interface ConfirmProps {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onClose: () => void;
  /** The action; the dialog shows its error, or closes when it succeeds. */
  onConfirm: () => Promise<void>;
}

export function ConfirmDialog({ opened, title, children, confirmLabel, danger, onClose, onConfirm }: ConfirmProps) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const close = () => {
    if (busy) return;
    setFailure(null);
    onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (err) {
      setFailure(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <Text size="sm" mb="lg">
        {children}
      </Text>
      <div aria-live="assertive" aria-atomic="true">
        {failure && (
          <Alert role="none" color="red" variant="light" icon={<AlertIcon />} mb="md" data-testid="confirm-error">
            <Text size="sm">{failure}</Text>
          </Alert>
        )}
      </div>
      <Group justify="flex-end">
        <Button variant="default" onClick={close} disabled={busy} data-autofocus>
          {a.cancel}
        </Button>
        <Button color={danger ? 'red' : undefined} loading={busy} onClick={confirm}>
          {confirmLabel}
        </Button>
      </Group>
    </Modal>
  );
}
