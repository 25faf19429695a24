// NEW PIN CODES of an OTP entry: "its unused codes stop working" MAKE NEW CODES / Cancel, then the
// new codes with PRINT PIN CODES (the same step and sheet as at enrolment) and DONE. The codes
// live only in this dialog's state and go when it closes.
import { Text } from '@mantine/core';
import { useRef, useState } from 'react';
import { api, type Credential } from '../common/api';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { strings } from '../common/strings';
import { SecretModal } from '../credentials/SecretModal';
import { PinStep } from './PinStep';

const s = strings.renewPins;

interface Props {
  /** The entry asked about; null when the dialog is closed. */
  target: Credential | null;
  onClose: () => void;
  /** The entry with its new count of PIN codes left. */
  onRenewed: (c: Credential) => void;
}

export function RenewPinsDialog({ target, onClose, onRenewed }: Props) {
  const [renewed, setRenewed] = useState<{ credential: Credential; pinCodes: string[] } | null>(null);
  // Set as soon as the codes came: the confirmation then closes without closing the whole dialog.
  const shown = useRef(false);
  const close = () => {
    shown.current = false;
    setRenewed(null);
    onClose();
  };
  const renew = async () => {
    if (!target) return;
    const r = await api.renewPinCodes(target.id);
    onRenewed(r.credential);
    shown.current = true;
    setRenewed({ credential: r.credential, pinCodes: r.secret.pinCodes ?? [] });
  };
  return (
    <>
      <ConfirmDialog
        opened={target !== null && renewed === null}
        onClose={() => {
          // Closed by the action's success too: then the codes are on screen and stay.
          if (!shown.current) close();
        }}
        title={target ? s.title(target.label) : ''}
        confirmLabel={s.confirm}
        cancelLabel={s.cancel}
        errorTestId="renew-error"
        onConfirm={renew}
      >
        <Text size="sm" span>
          {s.body(target?.pinCodesLeft ?? 0)}
        </Text>
      </ConfirmDialog>
      <SecretModal
        opened={renewed !== null}
        onClose={close}
        guarded
        lost={strings.closeSecret.otpPins}
        title={target ? s.title(target.label) : ''}
        centered
        size="xl"
      >
        {renewed && (
          <PinStep
            credential={renewed.credential}
            pinCodes={renewed.pinCodes}
            headline={s.done(renewed.credential.label)}
            warning={s.warning}
            onDone={close}
          />
        )}
      </SecretModal>
    </>
  );
}
