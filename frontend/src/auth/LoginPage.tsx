// The login page: the password step, and when 2FA is on a second step that asks for a code from
// the authenticator app or, on request, a PIN code.
import { Alert, Anchor, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../common/api';
import { errorMessage } from '../common/errors';
import { AlertIcon, Logo } from '../common/icons';
import { strings } from '../common/strings';
import { isPin, isTotp, normalisePin, normaliseTotp } from '../otp/codes';
import { RememberBrowser } from './RememberBrowser';
import { useSession, type Challenge } from './session';

const s = strings.login;

function LoginCard({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  return (
    // The whole card is the page's main landmark (a login page has no other region).
    <Center component="main" mih="100vh" p="md">
      <Box w="100%" maw={400}>
        <Group justify="center" gap="sm" mb="lg">
          <Logo size={40} />
          <Text fw={700} fz={28} lh={1}>
            {strings.productName}
          </Text>
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="lg">
          <Title order={1} size="h3" mb={4}>
            {title}
          </Title>
          <Text size="sm" c="dimmed" mb="lg" style={{ overflowWrap: 'anywhere' }}>
            {intro}
          </Text>
          {children}
        </Paper>
      </Box>
    </Center>
  );
}

function ErrorAlert({ message, notice }: { message: string | null; notice?: string | null }) {
  return (
    <div aria-live="assertive" aria-atomic="true">
      {notice && !message && (
        <Alert role="none" color="blue" variant="light" icon={<AlertIcon />}>
          {notice}
        </Alert>
      )}
      {message && (
        <Alert role="none" color="red" variant="light" icon={<AlertIcon />} data-testid="login-error">
          {message}
        </Alert>
      )}
    </div>
  );
}

interface PasswordStepProps {
  username: string;
  /** A notice to show when the step opens (e.g. the second step expired). */
  notice: string | null;
  onChallenge: (username: string, challenge: Challenge) => void;
}

function PasswordStep({ username: initialUsername, notice, onChallenge }: PasswordStepProps) {
  const { login, state } = useSession();
  const expired = state.status === 'anonymous' && state.expired;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const form = useForm({
    initialValues: { username: initialUsername, password: '' },
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
      const challenge = await login(username.trim(), password);
      if (challenge) onChallenge(username.trim(), challenge);
    } catch (err) {
      setError(errorMessage(err));
      form.setFieldValue('password', '');
      passwordRef.current?.focus();
      setBusy(false);
    }
  });

  return (
    <LoginCard title={s.title} intro={s.subtitle}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={s.username}
            placeholder={s.usernamePlaceholder}
            autoComplete="username"
            inputMode="email"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus={!initialUsername}
            required
            {...form.getInputProps('username')}
          />
          <PasswordInput
            ref={passwordRef}
            label={s.password}
            autoComplete="current-password"
            autoFocus={!!initialUsername}
            required
            {...form.getInputProps('password')}
          />
          <ErrorAlert message={error} notice={notice ?? (expired ? strings.errors.unauthenticated : null)} />
          <Button type="submit" fullWidth size="md" loading={busy}>
            {s.submit}
          </Button>
        </Stack>
      </form>
    </LoginCard>
  );
}

interface SecondFactorStepProps {
  username: string;
  challenge: Challenge;
  /** The challenge is gone (expired or used): back to the password step with this message. */
  onExpired: (message: string) => void;
  onStartOver: () => void;
}

function SecondFactorStep({ username, challenge, onExpired, onStartOver }: SecondFactorStepProps) {
  const { secondFactor } = useSession();
  const [mode, setMode] = useState<'totp' | 'pin'>('totp');
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const form = useForm({
    initialValues: { code: '' },
    validate: {
      code: (v) => {
        if (mode === 'pin') return isPin(v) ? null : s.pinRequired;
        return isTotp(v) ? null : s.totpRequired;
      },
    },
  });

  useEffect(() => {
    document.title = strings.pageTitle(s.secondFactorDocumentTitle);
  }, []);

  const switchMode = () => {
    setMode((m) => (m === 'totp' ? 'pin' : 'totp'));
    setError(null);
    form.reset();
    codeRef.current?.focus();
  };

  const submit = form.onSubmit(async ({ code }) => {
    setBusy(true);
    setError(null);
    try {
      await secondFactor(challenge.challenge, mode === 'pin' ? normalisePin(code) : normaliseTotp(code), remember);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'challenge_expired') {
        onExpired(errorMessage(err));
        return;
      }
      setError(errorMessage(err));
      form.setFieldValue('code', '');
      codeRef.current?.focus();
      setBusy(false);
    }
  });

  const pin = mode === 'pin';
  return (
    <LoginCard title={s.secondFactorTitle} intro={pin ? s.pinIntro(username) : s.secondFactorIntro(username)}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            // A new field for each mode, so that autofill and assistive technology start afresh.
            key={mode}
            ref={codeRef}
            label={pin ? s.pinField : s.totpField}
            description={pin ? s.pinHint : undefined}
            autoComplete={pin ? 'off' : 'one-time-code'}
            inputMode={pin ? 'text' : 'numeric'}
            autoCapitalize={pin ? 'characters' : 'none'}
            spellCheck={false}
            autoFocus
            required
            data-testid="second-factor-code"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 18, letterSpacing: '0.12em' } }}
            {...form.getInputProps('code')}
          />
          <Anchor component="button" type="button" size="sm" onClick={switchMode} ta="left" w="fit-content">
            {pin ? s.useTotp : s.usePin}
          </Anchor>
          <RememberBrowser days={challenge.rememberDays} checked={remember} onChange={setRemember} />
          <ErrorAlert message={error} />
          <Button type="submit" fullWidth size="md" loading={busy}>
            {s.verify}
          </Button>
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onStartOver} w="fit-content">
            {s.startOver}
          </Anchor>
        </Stack>
      </form>
    </LoginCard>
  );
}

type Step = { step: 'password'; notice: string | null } | { step: 'second_factor'; challenge: Challenge };

export function LoginPage() {
  const [step, setStep] = useState<Step>({ step: 'password', notice: null });
  const [username, setUsername] = useState('');

  if (step.step === 'second_factor') {
    return (
      <SecondFactorStep
        username={username}
        challenge={step.challenge}
        onExpired={(notice) => setStep({ step: 'password', notice })}
        onStartOver={() => {
          setUsername('');
          setStep({ step: 'password', notice: null });
        }}
      />
    );
  }
  return (
    <PasswordStep
      username={username}
      notice={step.notice}
      onChallenge={(name, challenge) => {
        setUsername(name);
        setStep({ step: 'second_factor', challenge });
      }}
    />
  );
}
