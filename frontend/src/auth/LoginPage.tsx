// The login page: the password step (or "Sign in with a passkey", PasskeyLogin.tsx), and when 2FA
// is on a second step: the passkey first when the account has one, else (or on request) a code
// from the authenticator app or a PIN code.
import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../common/api';
import { errorMessage } from '../common/errors';
import { strings } from '../common/strings';
import { isPin, isTotp, normalisePin, normaliseTotp } from '../otp/codes';
import { ErrorAlert, LoginCard } from './LoginCard';
import { PasskeyFactorStep, PasskeySignIn } from './PasskeyLogin';
import { RememberBrowser } from './RememberBrowser';
import { useSession, type SecondFactorDue } from './session';

const s = strings.login;

interface PasswordStepProps {
  username: string;
  /** A notice to show when the step opens (e.g. the second step expired). */
  notice: string | null;
  onChallenge: (username: string, due: SecondFactorDue) => void;
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
      const due = await login(username.trim(), password);
      if (due) onChallenge(username.trim(), due);
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
      <PasskeySignIn />
    </LoginCard>
  );
}

interface SecondFactorStepProps {
  username: string;
  challenge: string;
  /** Days this browser may be remembered after the code (0: not offered). */
  rememberDays: number;
  /** The challenge is gone (expired or used): back to the password step with this message. */
  onExpired: (message: string) => void;
  onStartOver: () => void;
  /** Back to the passkey, when the account has one. */
  onUsePasskey?: () => void;
}

function SecondFactorStep({ username, challenge, rememberDays, onExpired, onStartOver, onUsePasskey }: SecondFactorStepProps) {
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
      await secondFactor(challenge, mode === 'pin' ? normalisePin(code) : normaliseTotp(code), remember);
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
          <RememberBrowser days={rememberDays} checked={remember} onChange={setRemember} />
          {onUsePasskey && (
            <Anchor component="button" type="button" size="sm" onClick={onUsePasskey} ta="left" w="fit-content">
              {s.usePasskeyInstead}
            </Anchor>
          )}
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

type Step =
  | { step: 'password'; notice: string | null }
  | { step: 'second_factor'; due: SecondFactorDue; useCode: boolean };

export function LoginPage() {
  const [step, setStep] = useState<Step>({ step: 'password', notice: null });
  const [username, setUsername] = useState('');

  if (step.step === 'second_factor') {
    const expired = (notice: string) => setStep({ step: 'password', notice });
    const startOver = () => {
      setUsername('');
      setStep({ step: 'password', notice: null });
    };
    // The passkey first when the account has one; codes on request (or when it has none).
    const passkey = step.due.methods.includes('passkey');
    const otp = step.due.methods.includes('otp');
    if (passkey && (!step.useCode || !otp)) {
      return (
        <PasskeyFactorStep
          username={username}
          challenge={step.due.challenge}
          rememberDays={step.due.rememberDays}
          onUseCode={otp ? () => setStep({ ...step, useCode: true }) : undefined}
          onExpired={expired}
          onStartOver={startOver}
        />
      );
    }
    return (
      <SecondFactorStep
        username={username}
        challenge={step.due.challenge}
        rememberDays={step.due.rememberDays}
        onUsePasskey={passkey ? () => setStep({ ...step, useCode: false }) : undefined}
        onExpired={expired}
        onStartOver={startOver}
      />
    );
  }
  return (
    <PasswordStep
      username={username}
      notice={step.notice}
      onChallenge={(name, due) => {
        setUsername(name);
        setStep({ step: 'second_factor', due, useCode: false });
      }}
    />
  );
}
