// Step 3 of NEW OTP +: the PIN codes (pinCodesPerEntry, 10 by default), PRINT PIN CODES (a PDF from
// the server) and DONE.
import { Alert, Box, Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { useId, useState } from 'react';
import { api, type Credential, type Paper as PaperSize } from '../common/api';
import { saveBlob } from '../common/download';
import { errorMessage } from '../common/errors';
import { AlertIcon, CheckIcon, PrinterIcon } from '../common/icons';
import { strings } from '../common/strings';
import { defaultPaper, groupCode } from './codes';
import { StepTitle, Warning } from './StepParts';

const s = strings.newOtp;

type PrintState = { status: 'idle' } | { status: 'busy' } | { status: 'done' } | { status: 'failed'; message: string };

interface Props {
  credential: Credential;
  pinCodes: string[];
  onDone: () => void;
  /** The line above the codes; "<label> is set up…" (a new entry) by default. */
  headline?: string;
  /** The warning at the bottom; the new entry's (QR code and PIN codes) by default. */
  warning?: string;
}

export function PinStep({ credential, pinCodes, onDone, headline, warning }: Props) {
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
          {headline ?? s.confirmed(credential.label)}
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
      <Warning text={warning} />
      <Group justify="flex-end">
        <Button onClick={onDone}>{s.done}</Button>
      </Group>
    </Stack>
  );
}
