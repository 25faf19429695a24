// What the admin pages share: tables, badges, not-found/forbidden. (Loading, the confirm dialog and
// notifyDone are in common/, shared with the settings sections.)
import { Alert, Badge, Button, Table, Text, type MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useSession } from '../auth/session';
import { api, ApiError, type AccountStatus, type Role } from '../common/api';
import { formatDate, formatDateCompact, formatDateParts } from '../common/format';
import { AlertIcon, LogoutIcon } from '../common/icons';
import { Loading, useLoad } from '../common/load';
import { strings } from '../common/strings';
import { OTP_PATH } from '../common/SettingsLayout';

const a = strings.admin;

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
export function DateCell({
  iso,
  empty,
  testId,
  stacked,
  children,
}: {
  iso: string | null | undefined;
  empty?: string;
  testId?: string;
  stacked?: boolean;
  /** A small line under the date (a credential's last-used address). */
  children?: ReactNode;
}) {
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
      {iso && children && (
        <Text size="xs" c="gray.7">
          {children}
        </Text>
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
