// OTP Authentication: the 2FA switch, the list of OTP entries, NEW OTP + and DELETE x.
// In an enrolment session (2FA required, no OTP entry yet) it is the only section: a banner says
// why, and confirming the first entry brings the other sections back.
import { Alert, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session';
import type { Credential } from '../common/api';
import { AlertIcon, ShieldIcon } from '../common/icons';
import { notifyDone } from '../common/notify';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { CredentialListCard } from '../credentials/CredentialListCard';
import { useCredentials } from '../credentials/useCredentials';
import { NewOtpDialog } from './NewOtpDialog';
import { OtpEntry } from './OtpEntry';
import { RenewPinsDialog } from './RenewPinsDialog';
import { TwoFactorCard } from './TwoFactorCard';
import { useTwoFactor } from './useTwoFactor';

const s = strings.sections.otp;

function EnrolmentBanner({ ownChoice }: { ownChoice: boolean }) {
  return (
    <Alert color="blue" variant="light" icon={<ShieldIcon />} title={s.enrolTitle} mb="lg" data-testid="enrolment-banner">
      <Text size="sm">{ownChoice ? s.enrolOwnChoice : s.enrolRequired}</Text>
    </Alert>
  );
}

export function OtpSection() {
  const { enrolment } = useSession();
  const list = useCredentials('otp');
  const { state } = list;
  const twoFactor = useTwoFactor();
  // A passkey meets 2FA as an OTP entry does (Passkeys section).
  const passkeys = useCredentials('passkey').state;
  const hasPasskey = passkeys.status === 'ready' && passkeys.data.some((c) => c.status === 'enabled');
  const [renewing, setRenewing] = useState<Credential | null>(null);

  // The first entry was confirmed in an enrolment session: it is a full session now.
  const wasEnrolment = useRef(enrolment);
  useEffect(() => {
    if (wasEnrolment.current && !enrolment) {
      twoFactor.reload();
      notifyDone(s.enrolled);
    }
    wasEnrolment.current = enrolment;
  }, [enrolment, twoFactor.reload]);

  // Deleting the last enabled entry while 2FA is on: the next login will ask for a new one.
  const enabled = state.status === 'ready' ? state.data.filter((c) => c.status === 'enabled') : [];
  const lastOne = (toDelete: Credential | null) =>
    twoFactor.state.status === 'ready' &&
    twoFactor.state.data.enabled &&
    toDelete?.status === 'enabled' &&
    enabled.length === 1 &&
    !hasPasskey &&
    enabled[0].id === toDelete.id;

  return (
    <>
      <SectionHeader title={s.title} intro={s.intro} />
      {enrolment ? (
        <EnrolmentBanner ownChoice={twoFactor.state.status === 'ready' && !twoFactor.state.data.lockedBy} />
      ) : (
        <TwoFactorCard
          state={twoFactor.state}
          reload={twoFactor.reload}
          onChanged={twoFactor.set}
          hasEnabledEntry={state.status === 'ready' ? enabled.length > 0 || hasPasskey : null}
        />
      )}
      <CredentialListCard
        title={s.listTitle}
        newLabel={s.newButton}
        list={list}
        loadError={s.loadError}
        empty={{ icon: <ShieldIcon size={26} />, title: s.empty, hint: s.emptyHint, testId: 'otp-empty' }}
        listLabel={s.listLabel}
        entry={(c, place, onDelete) => <OtpEntry key={c.id} entry={c} place={place} onDelete={onDelete} onRenew={() => setRenewing(c)} />}
        newDialog={(opened, onClose) => <NewOtpDialog opened={opened} onClose={onClose} onChanged={list.add} />}
        deleteBody={(target) => (
          <Stack gap="sm" mb="lg">
            <Text size="sm">{s.deleteBody}</Text>
            {lastOne(target) && (
              <Alert color="yellow" variant="light" icon={<AlertIcon />} data-testid="delete-last-warning">
                <Text size="sm">{s.deleteLast}</Text>
              </Alert>
            )}
          </Stack>
        )}
      />
      <RenewPinsDialog target={renewing} onClose={() => setRenewing(null)} onRenewed={list.add} />
    </>
  );
}
