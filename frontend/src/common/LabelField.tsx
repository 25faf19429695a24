// The field of a label (a credential's or an OTP entry's description): required, no autofill,
// and its length against the most allowed ("12 / 64") at its right.
import { Text, TextInput, type TextInputProps } from '@mantine/core';
import { strings } from './strings';

interface Props extends Omit<TextInputProps, 'rightSection' | 'rightSectionWidth' | 'rightSectionPointerEvents'> {
  /** The label's length as it will be stored. */
  count: number;
  max: number;
}

export function LabelField({ count, max, ...input }: Props) {
  return (
    <TextInput
      required
      autoComplete="off"
      data-autofocus
      rightSectionWidth={72}
      rightSectionPointerEvents="none"
      rightSection={
        <Text size="xs" c={count > max ? 'red.8' : 'dimmed'} aria-hidden="true" data-testid="label-count">
          {strings.credentials.labelCount(count, max)}
        </Text>
      }
      {...input}
    />
  );
}
