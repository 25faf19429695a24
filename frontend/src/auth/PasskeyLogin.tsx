// The passkey parts of the login page: "Sign in with a passkey" below the password form (a
// discoverable passkey, no password), and the passkey as the second step of a login. Both end
// as a password login does: the server's answer goes to the session (useSession().accept).
import { Anchor, Button, Divider, Stack } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../common/api';
import { errorMessage } from '../common/errors';
import { PasskeyIcon } from '../common/icons';
import { strings } from '../common/strings';
import { ErrorAlert, LoginCard } from './LoginCard';
import { RememberBrowser } from './RememberBrowser';
import { useSession } from './session';
import { getPasskey, isCancelled, passkeysSupported } from './webauthn';

const s = strings.login;

/** SIGN IN WITH A PASSKEY: shown where the browser can use passkeys. */
export function PasskeySignIn() {
  const { accept } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!passkeysSupported()) return null;

  const signIn = async () => {
    setBusy(true);
    setError(null);
    try {
      const begun = await api.passkeys.beginLogin();
      const credential = await getPasskey(begun.publicKey);
      accept(await api.passkeys.finishLogin(begun.ceremony, credential));
    } catch (err) {
      setError(isCancelled(err) ? s.passkeyLoginCancelled : errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Stack mt="md" gap="md">
      <Divider label={s.or} labelPosition="center" />
      <Button variant="default" fullWidth size="md" leftSection={<PasskeyIcon size={18} />} loading={busy} onClick={signIn}>
        {s.passkeySignIn}
      </Button>
      <ErrorAlert message={error} />
    </Stack>
  );
}

interface PasskeyFactorStepProps {
  username: string;
  challenge: string;
  /** Days this browser may be remembered after the passkey (0: not offered). */
  rememberDays: number;
  /** The code form instead (absent when the account has no OTP entry). */
  onUseCode?: () => void;
  onExpired: (message: string) => void;
  onStartOver: () => void;
}

/** The second step with a passkey: USE MY PASSKEY, and the way to a code instead. */
export function PasskeyFactorStep({ username, challenge, rememberDays, onUseCode, onExpired, onStartOver }: PasskeyFactorStepProps) {
  const { accept } = useSession();
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = strings.pageTitle(s.secondFactorDocumentTitle);
  }, []);

  const usePasskey = async () => {
    setBusy(true);
    setError(null);
    try {
      const begun = await api.passkeys.beginFactor(challenge);
      const credential = await getPasskey(begun.publicKey);
      accept(await api.passkeys.finishFactor(challenge, begun.ceremony, credential, remember));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'challenge_expired') {
        onExpired(errorMessage(err));
        return;
      }
      setError(isCancelled(err) ? s.passkeyCancelled : errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <LoginCard title={s.secondFactorTitle} intro={s.passkeyIntro(username)}>
      <Stack>
        {!passkeysSupported() && <ErrorAlert message={s.passkeyUnsupported} />}
        <Button
          fullWidth
          size="md"
          leftSection={<PasskeyIcon size={18} />}
          loading={busy}
          onClick={usePasskey}
          disabled={!passkeysSupported()}
          data-autofocus
          autoFocus
        >
          {s.usePasskey}
        </Button>
        <RememberBrowser days={rememberDays} checked={remember} onChange={setRemember} />
        <ErrorAlert message={error} />
        {onUseCode && (
          <Anchor component="button" type="button" size="sm" onClick={onUseCode} ta="left" w="fit-content">
            {s.useCodeInstead}
          </Anchor>
        )}
        <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onStartOver} w="fit-content">
          {s.startOver}
        </Anchor>
      </Stack>
    </LoginCard>
  );
}
