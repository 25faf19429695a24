// A card with a list of the caller's things (credentials, OTP entries, devices): a title, maybe
// an intro or an action (NEW … +), and the list's states: loading, failed with a retry, empty, or
// the entries, one <li> each with a rule between them.
import { Box, EmptyState, Group, Paper, Text, Title, type MantineSpacing } from '@mantine/core';
import { Fragment, type Key, type ReactNode } from 'react';
import { ListStates, type Load } from './load';

/** Where an entry stands in its list: the rule above it and the space below it depend on it. */
export interface EntryPlace {
  first: boolean;
  last: boolean;
}

interface EntryProps {
  place: EntryPlace;
  testId: string;
  id?: number | string;
  children: ReactNode;
}

export function ListEntry({ place, testId, id, children }: EntryProps) {
  return (
    <Box
      component="li"
      pt="md"
      pb={place.last ? 0 : 'md'}
      data-testid={testId}
      data-id={id}
      style={place.first ? undefined : { borderTop: '1px solid var(--mantine-color-gray-3)' }}
    >
      {children}
    </Box>
  );
}

interface Empty {
  icon: ReactNode;
  title: string;
  hint: string;
  testId: string;
}

interface Props<T> {
  title: string;
  intro?: string;
  /** Beside the title: the button that adds an entry. */
  action?: ReactNode;
  state: Load<T[]>;
  onRetry: () => void;
  loadError: string;
  empty: Empty;
  /** The list's accessible name. */
  listLabel: string;
  keyOf: (item: T) => Key;
  /** One entry: a ListEntry. */
  children: (item: T, place: EntryPlace) => ReactNode;
  mt?: MantineSpacing;
  testId?: string;
}

export function ListCard<T>({ title, intro, action, state, onRetry, loadError, empty, listLabel, keyOf, children, mt, testId }: Props<T>) {
  const heading = (
    <Title order={2} size="h4">
      {title}
    </Title>
  );
  return (
    <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md" mt={mt} data-testid={testId}>
      {action ? (
        <Group justify="space-between" wrap="wrap" gap="sm" mb="xs">
          {heading}
          {action}
        </Group>
      ) : (
        heading
      )}
      {intro && (
        <Text size="sm" c="dimmed" mb="xs">
          {intro}
        </Text>
      )}
      <ListStates
        state={state}
        onRetry={onRetry}
        loadError={loadError}
        empty={
          <EmptyState py="xl" variant="light" icon={empty.icon} title={empty.title} description={empty.hint} data-testid={empty.testId} />
        }
      >
        {(items) => (
          <Box component="ul" aria-label={listLabel} m={0} p={0} style={{ listStyle: 'none' }}>
            {items.map((item, i) => (
              <Fragment key={keyOf(item)}>{children(item, { first: i === 0, last: i === items.length - 1 })}</Fragment>
            ))}
          </Box>
        )}
      </ListStates>
    </Paper>
  );
}

