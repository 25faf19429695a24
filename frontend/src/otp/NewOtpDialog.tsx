// NEW OTP +: a dialog in three steps. 1. a label; 2. the QR code (with the otpauth:// link and
// the key for manual entry) and a code from the app to confirm the entry; 3. the PIN codes (pinCodesPerEntry, 10 by default),
// PRINT PIN CODES (a PDF from the server) and DONE. The secret and the PIN codes live only in
// this dialog's state and go when it closes.
import {
  Alert,
  Box,
  Button,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { Fragment, useEffect, useId, useRef, useState } from 'react';
import { charCount } from '../auth/passwordCheck';
import { useSession } from '../auth/session';
import { api, ApiError, type CreatedCredential, type Credential, type Paper as PaperSize } from '../common/api';
import { saveBlob } from '../common/download';
import { errorMessage } from '../common/errors';
import { AlertIcon, CheckIcon, PrinterIcon } from '../common/icons';
import { strings } from '../common/strings';
import { SecretModal } from '../credentials/SecretModal';
import { CopySecret, QrDisplay } from '../credentials/SecretView';
import { halves, labelProblem, MAX_LABEL, normaliseLabel, type LabelProblem } from '../credentials/label';
import { defaultPaper, groupCode, isTotp, normaliseTotp } from './codes';

const s = strings.newOtp;

function problemText(problem: LabelProblem | null): string | null {
  switch (problem) {
    case 'required':
      return s.labelRequired;
    case 'too_long':
      return s.labelTooLong(MAX_LABEL);
    case 'invalid_char':
      return s.labelInvalid;
    default:
      return null;
  }
}

/** Where we are: 1 Label, 2 Scan, 3 PIN codes. */
function Steps({ active }: { active: number }) {
  return (
    <Box
      component="ol"
      aria-label={s.stepOf(active + 1, s.steps.length, s.steps[active])}
      m={0}
      p={0}
      style={{ listStyle: 'none', display: 'flex', alignItems: 'center', gap: 8 }}
    >
      {s.steps.map((name, i) => (
        <Fragment key={name}>
          {i > 0 && (
            <Box
              aria-hidden="true"
              style={{
                flex: '1 1 16px',
                maxWidth: 48,
                height: 2,
                background: i <= active ? 'var(--mantine-color-blue-6)' : 'var(--mantine-color-gray-3)',
              }}
            />
          )}
          <Group component="li" gap={6} wrap="nowrap" aria-current={i === active ? 'step' : undefined}>
            <ThemeIcon size={22} radius="xl" variant={i <= active ? 'filled' : 'light'} color={i <= active ? 'blue' : 'gray'}>
              {i < active ? (
                <CheckIcon size={14} />
              ) : (
                <Text span size="xs" fw={700} aria-hidden="true">
                  {i + 1}
                </Text>
              )}
            </ThemeIcon>
            <Text size="sm" fw={i === active ? 650 : 400} c={i === active ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
              {name}
            </Text>
          </Group>
        </Fragment>
      ))}
    </Box>
  );
}

function LabelStep({ onCreated, onCancel }: { onCreated: (c: CreatedCredential) => void; onCancel: () => void }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    initialValues: { label: '' },
    validate: { label: (v) => problemText(labelProblem(v)) },
  });
  const count = charCount(normaliseLabel(form.values.label));

  const submit = form.onSubmit(async ({ label }) => {
    setBusy(true);
    setFailure(null);
    try {
      onCreated(await api.createCredential('otp', normaliseLabel(label)));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'label_taken') form.setFieldError('label', s.labelTaken);
      else setFailure(errorMessage(err, { limit_reached: s.limitReached }));
      setBusy(false);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          label={s.labelField}
          description={s.labelHint}
          required
          autoComplete="off"
          data-autofocus
          rightSectionWidth={72}
          rightSectionPointerEvents="none"
          rightSection={
            <Text size="xs" c={count > MAX_LABEL ? 'red.8' : 'dimmed'} aria-hidden="true" data-testid="label-count">
              {strings.credentials.labelCount(count, MAX_LABEL)}
            </Text>
          }
          {...form.getInputProps('label')}
        />
        <div aria-live="assertive" aria-atomic="true">
          {failure && (
            <Alert role="none" color="red" variant="light" icon={<AlertIcon />} data-testid="create-error">
              <Text size="sm">{failure}</Text>
            </Alert>
          )}
        </div>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            {strings.credentials.cancel}
          </Button>
          <Button type="submit" loading={busy}>
            {s.create}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Warning() {
  return (
    <Alert color="yellow" variant="light" icon={<AlertIcon />} data-testid="secret-warning">
      <Text size="sm" fw={600}>
        {s.warning}
      </Text>
    </Alert>
  );
}

/** A heading that takes focus when its step appears (the button that had it is gone). */
function StepTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <Title order={3} size="h5" ref={ref} tabIndex={-1} style={{ outline: 'none', overflowWrap: 'anywhere' }}>
      {children}
    </Title>
  );
}

function ScanStep({ created, onConfirmed }: { created: CreatedCredential; onConfirmed: (c: Credential) => void }) {
  const { credential, secret } = created;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const failureId = useId();
  const [code, setCode] = useState('');

  // Problems are shown below the row of the field and NEXT, in one announced place.
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!isTotp(code)) {
      setFailure(s.codeRequired);
      codeRef.current?.focus();
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      onConfirmed(await api.confirmOtp(credential.id, normaliseTotp(code)));
    } catch (err) {
      setFailure(errorMessage(err, { invalid_code: strings.errors.invalid_confirm_code }));
      setCode('');
      codeRef.current?.focus();
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <StepTitle>{s.scanTitle(credential.label)}</StepTitle>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="lg" verticalSpacing="md">
        <Box style={{ justifySelf: 'center' }}>
          {secret.qrCode && <QrDisplay src={secret.qrCode} alt={s.qrAlt(credential.label)} />}
        </Box>
        <Stack gap="sm" justify="center">
          <Text size="sm">{s.scanIntro}</Text>
          <Text size="sm" c="gray.7">
            {s.copyLinkHint}
          </Text>
          {secret.otpauthUrl && (
            <CopySecret text={secret.otpauthUrl} label={s.copyLink} variant="default" statusId="copy-link-status" />
          )}
          <Paper bg="gray.0" withBorder radius="md" p="sm" mt={4}>
            <Text size="sm" fw={600}>
              {s.manualTitle}
            </Text>
            <Text size="xs" c="gray.7" mb={8}>
              {s.manualHint}
            </Text>
            <Text
              component="div"
              ff="monospace"
              fw={700}
              fz="md"
              lh={1.6}
              mb={8}
              data-testid="otp-secret"
              style={{ userSelect: 'all' }}
            >
              {/* Two rows of four groups: it wraps in the middle, never inside a group. */}
              {halves(groupCode(secret.secret ?? '').split(' ')).map((half, i) => (
                <Fragment key={i}>
                  {i > 0 && ' '}
                  <span style={{ display: 'inline-block', whiteSpace: 'nowrap', wordSpacing: '0.2em' }}>{half.join(' ')}</span>
                </Fragment>
              ))}
            </Text>
            {secret.secret && <CopySecret text={secret.secret} label={s.copyKey} variant="default" statusId="copy-key-status" />}
          </Paper>
        </Stack>
      </SimpleGrid>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group align="flex-end" justify="space-between" gap="md">
            <TextInput
              ref={codeRef}
              label={s.codeField}
              required
              inputMode="numeric"
              autoComplete="one-time-code"
              spellCheck={false}
              w={320}
              maw="100%"
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 18, letterSpacing: '0.15em' } }}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              error={failure !== null}
              aria-describedby={failure ? failureId : undefined}
            />
            <Button type="submit" loading={busy}>
              {s.next}
            </Button>
          </Group>
          <div aria-live="assertive" aria-atomic="true">
            {failure && (
              <Alert role="none" color="red" variant="light" icon={<AlertIcon />} data-testid="confirm-error">
                <Text size="sm" id={failureId}>
                  {failure}
                </Text>
              </Alert>
            )}
          </div>
          <Warning />
        </Stack>
      </form>
    </Stack>
  );
}

type PrintState = { status: 'idle' } | { status: 'busy' } | { status: 'done' } | { status: 'failed'; message: string };

function PinStep({ credential, pinCodes, onDone }: { credential: Credential; pinCodes: string[]; onDone: () => void }) {
  const [paper, setPaper] = useState<PaperSize>(() => defaultPaper(navigator.language));
  const [print, setPrint] = useState<PrintState>({ status: 'idle' });
  const paperId = useId();

  const printSheet = async () => {
    setPrint({ status: 'busy' });
    try {
      saveBlob(await api.pinSheet(credential.id, pinCodes, paper), s.fileName);
      setPrint({ status: 'done' });
    } catch (err) {
      setPrint({ status: 'failed', message: errorMessage(err) });
    }
  };

  return (
    <Stack gap="md">
      <Group gap={6} c="teal.9" wrap="nowrap" align="flex-start" data-testid="otp-confirmed">
        <CheckIcon size={18} style={{ flexShrink: 0, marginTop: 1 }} />
        <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
          {s.confirmed(credential.label)}
        </Text>
      </Group>
      <Stack gap={4}>
        <StepTitle>{s.pinsTitle}</StepTitle>
        <Text size="sm">{s.pinsIntro}</Text>
      </Stack>
      <Paper bg="gray.0" withBorder radius="md" px="lg" py="sm">
        {/* Numbered down the columns, as on the printed sheet. */}
        <Box
          component="ol"
          aria-label={s.pinsLabel}
          m={0}
          p={0}
          style={{
            listStyle: 'none',
            display: 'grid',
            gridAutoFlow: 'column',
            gridTemplateRows: `repeat(${Math.ceil(pinCodes.length / 2)}, auto)`,
            gridTemplateColumns: 'repeat(2, minmax(0, 1fr))',
            columnGap: 'var(--mantine-spacing-xl)',
            rowGap: 4,
          }}
        >
          {pinCodes.map((pin, i) => (
            <Group component="li" key={pin} gap="sm" wrap="nowrap" justify="center">
              <Text span size="xs" c="gray.7" w={18} ta="right" aria-hidden="true">
                {i + 1}
              </Text>
              <Text
                span
                ff="monospace"
                fw={700}
                fz={{ base: 16, xs: 20 }}
                data-testid="pin-code"
                style={{ letterSpacing: '0.08em', whiteSpace: 'nowrap' }}
              >
                {groupCode(pin)}
              </Text>
            </Group>
          ))}
        </Box>
      </Paper>
      <Stack gap="xs">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Text id={paperId} size="sm" fw={500}>
              {s.paper}
            </Text>
            <SegmentedControl
              aria-labelledby={paperId}
              value={paper}
              onChange={(v) => setPaper(v as PaperSize)}
              data={[
                { value: 'a4', label: s.paperA4 },
                { value: 'letter', label: s.paperLetter },
              ]}
            />
          </Stack>
          <Button leftSection={<PrinterIcon size={16} />} loading={print.status === 'busy'} onClick={printSheet}>
            {s.print}
          </Button>
        </Group>
        <div aria-live="polite" aria-atomic="true" data-testid="print-status">
          {print.status === 'done' && (
            <Group gap={6} c="teal.9" wrap="nowrap" align="flex-start">
              <CheckIcon size={16} style={{ flexShrink: 0, marginTop: 2 }} />
              <Text size="sm" fw={600}>
                {s.printed}
              </Text>
            </Group>
          )}
          {print.status === 'failed' && (
            <Alert role="none" color="red" variant="light" icon={<AlertIcon />} title={s.printFailed}>
              <Text size="sm">{print.message}</Text>
            </Alert>
          )}
        </div>
      </Stack>
      <Warning />
      <Group justify="flex-end">
        <Button onClick={onDone}>{s.done}</Button>
      </Group>
    </Stack>
  );
}

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
