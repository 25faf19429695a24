import { Alert, Text, type MantineSpacing } from '@mantine/core';
import { AlertIcon } from './icons';

interface Props {
  /** What went wrong; nothing is shown while it is null. */
  text: string | null;
  testId: string;
  mb?: MantineSpacing;
  /** The id of the words, for a field's aria-describedby. */
  id?: string;
}

/**
 * The error of a form or an action, announced when it appears: the live region is always there,
 * so that the alert that comes into it is read out.
 */
export function Failure({ text, testId, mb, id }: Props) {
  return (
    <div aria-live="assertive" aria-atomic="true">
      {text && (
        <Alert role="none" color="red" variant="light" icon={<AlertIcon />} mb={mb} data-testid={testId}>
          <Text size="sm" id={id}>
            {text}
          </Text>
        </Alert>
      )}
    </div>
  );
}
