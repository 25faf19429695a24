// NEW OTP +: a dialog in three steps. 1. a label; 2. the QR code (with the otpauth:// link and
// the key for manual entry) and a code from the app to confirm the entry; 3. the PIN codes (pinCodesPerEntry, 10 by default),
// PRINT PIN CODES (a PDF from the server) and DONE. The secret and the PIN codes live only in
// this dialog's state and go when it closes.
import { Stack } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useSession } from '../auth/session';
import type { CreatedCredential, Credential } from '../common/api';
import { strings } from '../common/strings';
import { SecretModal } from '../credentials/SecretModal';
import { LabelStep } from './LabelStep';
import { PinStep } from './PinStep';
import { ScanStep } from './ScanStep';
import { Steps } from './StepParts';

const s = strings.newOtp;

/** The dialog's content: unmounted (and the secret and PIN codes with it) when it has closed. */
function OtpFlow({ onChanged, onClose, onStep }: { onChanged: (c: Credential) => void; onClose: () => void; onStep: (step: number) => void }) {
  const { enrolment, enrolled } = useSession();
  const [created, setCreated] = useState<CreatedCredential | null>(null);
  const [confirmed, setConfirmed] = useState<Credential | null>(null);
  const step = confirmed ? 2 : created ? 1 : 0;
  useEffect(() => onStep(step), [step, onStep]);

  return (
    <Stack gap="lg">
      <Steps active={step} />
      {step === 0 && (
        <LabelStep
          onCancel={onClose}
          onCreated={(c) => {
            setCreated(c);
            // Only the credential goes to the list (as pending); the secret stays here.
            onChanged(c.credential);
          }}
        />
      )}
      {step === 1 && created && (
        <ScanStep
          created={created}
          onConfirmed={(c) => {
            setConfirmed(c);
            onChanged(c);
            // The server answered with the cookies of a full session.
            if (enrolment) enrolled();
          }}
        />
      )}
      {step === 2 && confirmed && created && (
        <PinStep credential={confirmed} pinCodes={created.secret.pinCodes ?? []} onDone={onClose} />
      )}
    </Stack>
  );
}

interface Props {
  opened: boolean;
  onClose: () => void;
  /** An entry was created (pending) or confirmed (enabled). */
  onChanged: (c: Credential) => void;
}

export function NewOtpDialog({ opened, onClose, onChanged }: Props) {
  // From the QR code on, closing by Escape, × or a click beside the dialog asks first.
  const [step, setStep] = useState(0);
  return (
    <SecretModal
      opened={opened}
      onClose={onClose}
      guarded={opened && step > 0}
      lost={step === 2 ? strings.closeSecret.otpPins : strings.closeSecret.otpScan}
      title={s.title}
      centered
      size="xl"
    >
      <OtpFlow onChanged={onChanged} onClose={onClose} onStep={setStep} />
    </SecretModal>
  );
}
