// What the steps of NEW OTP + share: where the dialog is (1 Label, 2 Scan, 3 PIN codes), a step's
// heading and the warning that the secret is shown only once.
import { Alert, Box, Group, Text, ThemeIcon, Title } from '@mantine/core';
import { Fragment, useEffect, useRef } from 'react';
import { AlertIcon, CheckIcon } from '../common/icons';
import { strings } from '../common/strings';

const s = strings.newOtp;

/** Where we are: 1 Label, 2 Scan, 3 PIN codes. */
export function Steps({ active }: { active: number }) {
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

export function Warning({ text = s.warning }: { text?: string }) {
  return (
    <Alert color="yellow" variant="light" icon={<AlertIcon />} data-testid="secret-warning">
      <Text size="sm" fw={600}>
        {text}
      </Text>
    </Alert>
  );
}

/** A heading that takes focus when its step appears (the button that had it is gone). */
export function StepTitle({ children }: { children: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <Title order={3} size="h5" ref={ref} tabIndex={-1} style={{ outline: 'none', overflowWrap: 'anywhere' }}>
      {children}
    </Title>
  );
}
