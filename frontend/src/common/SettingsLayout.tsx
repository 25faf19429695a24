// The settings page shell: a header with the account and LOG OUT, a menu of sections on the
// left, and the chosen section on the right. An enrolment session (2FA required, no OTP entry
// yet) sees only OTP Authentication until it has confirmed one; a session whose password an
// administrator reset with a change required sees only Change Password until it is changed.
import { AppShell, Badge, Box, Burger, Button, Group, Modal, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState, type ReactNode } from 'react';
import { Navigate, NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { errorMessage } from './errors';
import { isAdmin } from '../admin/logic';
import { useQuarantineCount } from '../admin/quarantineCount';
import { AppsIcon, ClockIcon, KeyIcon, Logo, LockIcon, LogoutIcon, PasskeyIcon, PhoneIcon, ShieldIcon, SyncIcon } from './icons';
import { strings } from './strings';

export const OTP_PATH = '/settings/otp';
export const PASSWORD_PATH = '/settings/password';

const sections: { to: string; label: string; icon: ReactNode }[] = [
  { to: PASSWORD_PATH, label: strings.nav.password, icon: <KeyIcon /> },
  { to: '/settings/eas', label: strings.nav.eas, icon: <SyncIcon /> },
  { to: '/settings/mobile-apps', label: strings.nav.mobileApps, icon: <PhoneIcon /> },
  { to: '/settings/app-passcodes', label: strings.nav.appPasscodes, icon: <AppsIcon /> },
  { to: OTP_PATH, label: strings.nav.otp, icon: <ShieldIcon /> },
  { to: '/settings/passkeys', label: strings.nav.passkeys, icon: <PasskeyIcon /> },
];

// globalOnly: global settings are for global admins; a domain admin does not see the link.
// counted: the link shows how many devices await approval.
const adminSections: { to: string; label: string; icon: ReactNode; globalOnly?: boolean; counted?: boolean }[] = [
  { to: '/admin/accounts', label: strings.nav.adminAccounts, icon: <LockIcon /> },
  { to: '/admin/devices', label: strings.nav.adminDevices, icon: <PhoneIcon />, counted: true },
  { to: '/admin/domains', label: strings.nav.adminOrgs, icon: <ShieldIcon /> },
  { to: '/admin/settings', label: strings.nav.adminSettings, icon: <KeyIcon />, globalOnly: true },
  { to: '/admin/audit', label: strings.nav.adminAudit, icon: <ClockIcon /> },
];

const MAIN_ID = 'main-content';

/**
 * "Skip to content", the first stop of the keyboard: hidden until focused, it moves focus past the
 * header and the menu. Focus is moved by hand rather than by the #fragment, which would end up in
 * the address the router keeps.
 */
function SkipLink() {
  return (
    <a
      href={`#${MAIN_ID}`}
      className="tessera-skip-link"
      onClick={(e) => {
        e.preventDefault();
        document.getElementById(MAIN_ID)?.focus();
      }}
    >
      {strings.header.skipToContent}
    </a>
  );
}

function LogoutAllDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { logoutAll } = useSession();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await logoutAll();
    } catch (err) {
      notifications.show({ color: 'red', message: errorMessage(err) });
      setBusy(false);
      onClose();
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={strings.header.logoutAllTitle} centered>
      <Text size="sm" mb="lg">
        {strings.header.logoutAllBody}
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {strings.header.cancel}
        </Button>
        <Button color="red" loading={busy} onClick={confirm}>
          {strings.header.logoutAllConfirm}
        </Button>
      </Group>
    </Modal>
  );
}

export function SettingsLayout() {
  const { me, logout, enrolment, passwordChange } = useSession();
  const [navOpened, nav] = useDisclosure(false);
  const [dialogOpened, dialog] = useDisclosure(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const location = useLocation();
  const waiting = useQuarantineCount(!enrolment && !passwordChange && isAdmin(me?.role));

  const onLogout = async () => {
    setLoggingOut(true);
    await logout();
  };

  if (enrolment && location.pathname !== OTP_PATH) return <Navigate to={OTP_PATH} replace />;
  if (passwordChange && location.pathname !== PASSWORD_PATH) return <Navigate to={PASSWORD_PATH} replace />;
  // A restricted session is offered only the one page it may use.
  const restricted = enrolment || passwordChange;
  const shown = enrolment
    ? sections.filter((s) => s.to === OTP_PATH)
    : passwordChange
      ? sections.filter((s) => s.to === PASSWORD_PATH)
      : sections;
  const admin = !restricted && isAdmin(me?.role);
  const wide = location.pathname.startsWith('/admin/');

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 270, breakpoint: 'sm', collapsed: { mobile: !navOpened } }}
      padding={{ base: 'md', sm: 'xl' }}
    >
      <SkipLink />
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={strings.header.menuLabel} />
            <Logo size={30} />
            <Box>
              <Text fw={700} size="lg" lh={1.1}>
                {strings.productName}
              </Text>
              <Text size="xs" c="dimmed" lh={1.1} visibleFrom="xs">
                {strings.productTagline}
              </Text>
            </Box>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Box ta="right" visibleFrom="sm">
              <Text size="xs" c="dimmed" lh={1.2}>
                {strings.header.signedInAs}
              </Text>
              <Text size="sm" fw={600} lh={1.2} data-testid="account-email">
                {me?.email}
              </Text>
            </Box>
            <Button variant="default" leftSection={<LogoutIcon size={16} />} loading={loggingOut} onClick={onLogout}>
              {strings.header.logout}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={strings.nav.label}>
        <AppShell.Section grow>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py="xs">
            {strings.nav.label}
          </Text>
          <Stack gap={2}>
            {shown.map((s) => (
              <NavLink
                key={s.to}
                component={RouterNavLink}
                to={s.to}
                label={s.label}
                leftSection={s.icon}
                active={location.pathname === s.to}
                onClick={nav.close}
                variant="light"
                style={{ borderRadius: 'var(--mantine-radius-md)' }}
              />
            ))}
          </Stack>
          {admin && (
            <Box role="group" aria-label={strings.nav.adminLabel} mt="md" data-testid="admin-nav">
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py="xs">
                {strings.nav.adminLabel}
              </Text>
              <Stack gap={2}>
                {adminSections.filter((s) => !s.globalOnly || me?.role === 'global_admin').map((s) => (
                  <NavLink
                    key={s.to}
                    component={RouterNavLink}
                    to={s.to}
                    label={s.label}
                    leftSection={s.icon}
                    rightSection={
                      s.counted && waiting ? (
                        <Badge size="md" circle={waiting < 10} color="red" aria-label={strings.nav.adminDevicesCount(waiting)} data-testid="quarantine-count">
                          {waiting}
                        </Badge>
                      ) : undefined
                    }
                    active={location.pathname.startsWith(s.to)}
                    onClick={nav.close}
                    variant="light"
                    style={{ borderRadius: 'var(--mantine-radius-md)' }}
                  />
                ))}
              </Stack>
            </Box>
          )}
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" hiddenFrom="sm" mb={4}>
            {me?.email}
          </Text>
          {!restricted && (
            <NavLink
              component="button"
              label={strings.header.logoutAll}
              leftSection={<LogoutIcon />}
              onClick={dialog.open}
              c="dimmed"
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
            />
          )}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id={MAIN_ID} tabIndex={-1} style={{ outline: 'none' }}>
        <Box maw={wide ? 1280 : 960}>
          <Outlet />
        </Box>
      </AppShell.Main>

      <LogoutAllDialog opened={dialogOpened} onClose={dialog.close} />
    </AppShell>
  );
}
