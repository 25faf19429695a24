import { Text } from '@mantine/core';

/** One labelled value of a list entry ("Address 127.0.0.1"), wrapping anywhere. */
export function Fact({ label, children, mono }: { label: string; children: string; mono?: boolean }) {
  return (
    <Text size="sm" c="gray.7">
      {label}{' '}
      <Text span inherit c="var(--mantine-color-text)" ff={mono ? 'monospace' : undefined} style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Text>
  );
}
