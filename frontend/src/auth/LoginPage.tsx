import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../common/errors';
import { AlertIcon, Logo } from '../common/icons';
import { strings } from '../common/strings';
import { useSession } from './session';

const s = strings.login;

export function LoginPage() {
  const { login, state } = useSession();
  const expired = state.status === 'anonymous' && state.expired;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const form = useForm({
    initialValues: { username: '', password: '' },
    validate: {
      username: (v) => (v.trim() ? null : s.usernameRequired),
      password: (v) => (v ? null : s.passwordRequired),
    },
  });

  useEffect(() => {
    document.title = strings.pageTitle(s.documentTitle);
  }, []);

  const submit = form.onSubmit(async ({ username, password }) => {
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      setError(errorMessage(err));
      form.setFieldValue('password', '');
      passwordRef.current?.focus();
      setBusy(false);
    }
  });

  return (
    <Center mih="100vh" p="md">
      <Box w="100%" maw={400}>
        <Group justify="center" gap="sm" mb="lg">
          <Logo size={40} />
          <Text fw={700} fz={28} lh={1}>
            {strings.productName}
          </Text>
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="lg">
          <Title order={1} size="h3" mb={4}>
            {s.title}
          </Title>
          <Text size="sm" c="dimmed" mb="lg">
            {s.subtitle}
          </Text>
          <form onSubmit={submit} noValidate>
            <Stack>
              <TextInput
                label={s.username}
                placeholder={s.usernamePlaceholder}
                autoComplete="username"
                inputMode="email"
                autoCapitalize="none"
                spellCheck={false}
                autoFocus
                required
                {...form.getInputProps('username')}
              />
              <PasswordInput
                ref={passwordRef}
                label={s.password}
                autoComplete="current-password"
                required
                {...form.getInputProps('password')}
              />
              <div aria-live="assertive" aria-atomic="true">
                {expired && !error && (
                  <Alert role="none" color="blue" variant="light" icon={<AlertIcon />}>
                    {strings.errors.unauthenticated}
                  </Alert>
                )}
                {error && (
                  <Alert role="none" color="red" variant="light" icon={<AlertIcon />} data-testid="login-error">
                    {error}
                  </Alert>
                )}
              </div>
              <Button type="submit" fullWidth size="md" loading={busy}>
                {s.submit}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Box>
    </Center>
  );
}
