// Step 1 of NEW OTP +: the entry's label; the entry is created (pending) when it is sent.
import type { CreatedCredential } from '../common/api';
import { strings } from '../common/strings';
import { LabelForm, type LabelWords } from '../credentials/LabelForm';

const s = strings.newOtp;

const WORDS: LabelWords = {
  field: s.labelField,
  hint: s.labelHint,
  required: s.labelRequired,
  tooLong: s.labelTooLong,
  invalid: s.labelInvalid,
  taken: s.labelTaken,
  limitReached: s.limitReached,
  create: s.create,
};

export function LabelStep({ onCreated, onCancel }: { onCreated: (c: CreatedCredential) => void; onCancel: () => void }) {
  return <LabelForm kind="otp" words={WORDS} onCreated={onCreated} onCancel={onCancel} />;
}
