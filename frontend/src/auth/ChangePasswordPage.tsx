import { Alert, Button, em, List, Paper, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { api, ApiError, type PasswordPolicy } from '../common/api';
import { errorMessage, weakPasswordReasons } from '../common/errors';
import { formatDate } from '../common/format';
import { AlertIcon, CheckIcon } from '../common/icons';
import { RecoveryEmailField } from '../common/RecoveryEmailField';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { PasswordChecklist } from './PasswordChecklist';
import { AppSessionsCard, SessionsCard } from './SessionsCard';
import { useSession } from './session';

const s = strings.password;
const CHECKLIST_ID = 'password-checklist';

interface Failure {
  message: string;
  reasons: string[];
}

export function ChangePasswordPage() {
  const { me, refresh, passwordChange } = useSession();
  const [policy, setPolicy] = useState<PasswordPolicy | null>(null);
  const [policyFailed, setPolicyFailed] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const wide = useMediaQuery(`(min-width: ${em(992)})`) ?? false; // Mantine's md, where the grid has two columns

  useEffect(() => {
    let live = true;
    api.passwordPolicy().then(
      (p) => live && setPolicy(p),
      () => live && setPolicyFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);

  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (v) => (v ? null : s.currentRequired),
      newPassword: (v) => (v ? null : s.newRequired),
      confirmPassword: (v, values) => (!v ? s.confirmRequired : v !== values.newPassword ? s.mismatch : null),
    },
  });

  const submit = form.onSubmit(async ({ currentPassword, newPassword }) => {
    setBusy(true);
    setFailure(null);
    try {
      await api.changePassword({ currentPassword, newPassword });
      form.reset();
      notifications.show({
        color: 'teal',
        icon: <CheckIcon size={18} />,
        message: s.changed,
        autoClose: 8000,
      });
      refresh().catch(() => undefined);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      setFailure({
        message: code === 'weak_password' ? s.weakTitle : errorMessage(err, { invalid_credentials: strings.errors.wrong_current_password }),
        reasons: weakPasswordReasons(err, policy),
      });
    } finally {
      setBusy(false);
    }
  });

  // Beside the form on a wide screen; on a narrow one right under the new password, where it is
  // seen while typing (below the form it sat under the button, out of sight of the keyboard).
  const checklist = (
    <Paper bg="gray.0" p="md" radius="md" data-testid="password-checklist-panel">
      <PasswordChecklist
        id={CHECKLIST_ID}
        policy={policy}
        policyFailed={policyFailed}
        password={form.values.newPassword}
        confirm={form.values.confirmPassword}
      />
    </Paper>
  );

  const lastChanged = me?.passwordChangedAt ? s.lastChanged(formatDate(me.passwordChangedAt)) : s.neverChanged;

  return (
    <>
      <SectionHeader title={s.title} intro={s.intro} />
      {passwordChange && (
        <Alert color="orange" variant="light" icon={<AlertIcon />} title={s.requiredTitle} mb="lg" data-testid="password-change-required">
          <Text size="sm">{s.requiredBody}</Text>
        </Alert>
      )}
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <form onSubmit={submit} noValidate aria-label={s.title}>
            <Stack>
              <PasswordInput
                label={s.current}
                description={passwordChange ? s.requiredCurrentHint : undefined}
                autoComplete="current-password"
                required
                {...form.getInputProps('currentPassword')}
              />
              <PasswordInput
                label={s.new}
                autoComplete="new-password"
                required
                aria-describedby={CHECKLIST_ID}
                {...form.getInputProps('newPassword')}
              />
              {!wide && checklist}
              <PasswordInput
                label={s.confirm}
                autoComplete="new-password"
                required
                {...form.getInputProps('confirmPassword')}
              />
              <div aria-live="assertive" aria-atomic="true">
                {failure && (
                  <Alert role="none" color="red" variant="light" icon={<AlertIcon />} data-testid="password-error">
                    <Text size="sm" fw={failure.reasons.length ? 600 : undefined}>
                      {failure.message}
                    </Text>
                    {failure.reasons.length > 0 && (
                      <List size="sm" mt={4} withPadding>
                        {failure.reasons.map((r) => (
                          <List.Item key={r}>{r}</List.Item>
                        ))}
                      </List>
                    )}
                  </Alert>
                )}
              </div>
              <div>
                <Button type="submit" loading={busy}>
                  {s.submit}
                </Button>
              </div>
              <Text size="xs" c="dimmed">
                {lastChanged}
              </Text>
            </Stack>
          </form>
          <Stack gap="md">
            {wide && checklist}
            <Text size="sm" c="dimmed">
              {s.note}
            </Text>
          </Stack>
        </SimpleGrid>
      </Paper>
      {/* A session held to changing its password may not list sessions yet. */}
      {!passwordChange && me && (
        <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mt="lg" data-testid="recovery-card">
          <Title order={2} size="h4">
            {s.recovery.title}
          </Title>
          <Text size="sm" c="dimmed" mt={4}>
            {s.recovery.intro}
          </Text>
          <RecoveryEmailField
            own={me.email}
            value={me.recoveryEmail}
            editable
            save={async (addr) => {
              await api.setRecoveryEmail(addr);
              await refresh();
            }}
          />
        </Paper>
      )}
      {!passwordChange && (
        <>
          <SessionsCard />
          <AppSessionsCard />
        </>
      )}
    </>
  );
}
