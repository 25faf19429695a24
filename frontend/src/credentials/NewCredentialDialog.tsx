// NEW AUTHENTICATION +: a dialog that asks for the Authentication description, creates the
// credential, and then shows its secret once (SecretView).
import { useState } from 'react';
import type { CreatedCredential, Credential } from '../common/api';
import { strings } from '../common/strings';
import type { KindInfo } from './kinds';
import { LabelForm, type LabelWords } from './LabelForm';
import { SecretModal } from './SecretModal';
import { SecretView } from './SecretView';

const s = strings.credentials;

function labelWords(info: KindInfo): LabelWords {
  return {
    field: info.words.labelField,
    hint: s.labelHint,
    required: s.labelRequired,
    tooLong: s.labelTooLong,
    invalid: s.labelInvalid,
    taken: strings.errors.label_taken,
    limitReached: info.words.limitReached,
    create: info.words.create,
  };
}

/** The dialog's content: unmounted (and its secret with it) when the dialog has closed. */
function CreateFlow({ info, onCreated, onClose }: { info: KindInfo; onCreated: (c: Credential) => void; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedCredential | null>(null);
  if (created) return <SecretView info={info} created={created} onDone={onClose} />;
  return (
    <LabelForm
      kind={info.kind}
      words={labelWords(info)}
      onCancel={onClose}
      onCreated={(c) => {
        setCreated(c);
        // Only the credential goes to the list; the secret stays here.
        onCreated(c.credential);
      }}
    />
  );
}

/** What closing the dialog loses once the secret is shown. */
function lostText(info: KindInfo): string {
  if (info.secret === 'qr') return strings.closeSecret.qr;
  return info.kind === 'app_passcode' ? strings.closeSecret.passcode : strings.closeSecret.password;
}

interface Props {
  info: KindInfo;
  opened: boolean;
  onClose: () => void;
  onCreated: (c: Credential) => void;
}

export function NewCredentialDialog({ info, opened, onClose, onCreated }: Props) {
  // Whether the secret is on screen: then Escape, × and a click beside the dialog ask first.
  const [shown, setShown] = useState(false);
  const close = () => {
    setShown(false);
    onClose();
  };
  return (
    <SecretModal opened={opened} onClose={close} guarded={shown} lost={lostText(info)} title={info.words.newTitle} centered size="lg">
      <CreateFlow
        info={info}
        onCreated={(c) => {
          setShown(true);
          onCreated(c);
        }}
        onClose={close}
      />
    </SecretModal>
  );
}
