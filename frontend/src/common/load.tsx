// Loading something for a page or a card: the guarded load hook and the states it shows (loading,
// failed with a retry, empty). The admin pages, the credential and OTP sections and the device
// lists all load this way.
import { Alert, Button, Center, Loader, Stack, Text, type MantineSpacing } from '@mantine/core';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from './errors';
import { AlertIcon } from './icons';
import { strings } from './strings';

export type Load<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

/**
 * Runs `fn` now and on reload(); a late answer of an older call is dropped. `set` puts an answer
 * the caller got otherwise (the server's answer to a change) in place, and drops the one in flight.
 */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const latest = useRef(0);
  const run = useCallback(fn, deps);
  const reload = useCallback(
    (quiet = false) => {
      const request = ++latest.current;
      if (!quiet) setState({ status: 'loading' });
      run().then(
        (data) => request === latest.current && setState({ status: 'ready', data }),
        (error: unknown) => request === latest.current && setState({ status: 'error', error }),
      );
    },
    [run],
  );
  useEffect(() => {
    reload();
    return () => {
      latest.current++;
    };
  }, [reload]);
  const set = useCallback((data: T) => {
    latest.current++;
    setState({ status: 'ready', data });
  }, []);
  return { state, reload, setState, set };
}

export function Loading({ py = 'xl' }: { py?: MantineSpacing }) {
  return (
    <Center py={py}>
      <Loader size="sm" aria-label={strings.loading} />
    </Center>
  );
}

interface LoadErrorProps {
  error: unknown;
  onRetry: () => void;
  /** What could not be loaded; "This could not be loaded." by default. */
  title?: string;
  py?: MantineSpacing;
}

export function LoadError({ error, onRetry, title = strings.admin.loadError, py = 'md' }: LoadErrorProps) {
  return (
    <Stack align="flex-start" py={py}>
      <Alert color="red" variant="light" icon={<AlertIcon />} title={title} w="100%" data-testid="load-error">
        <Text size="sm">{errorMessage(error)}</Text>
      </Alert>
      {/* Not onClick={onRetry}: a reload(quiet) would take the click for its argument. */}
      <Button variant="default" onClick={() => onRetry()}>
        {strings.retry}
      </Button>
    </Stack>
  );
}

interface ListStatesProps<T> {
  state: Load<T[]>;
  onRetry: () => void;
  /** What an empty list shows: a line of text, or a component of its own. */
  empty: ReactNode;
  loadError?: string;
  children: (items: T[]) => ReactNode;
}

/** A loaded list's states: loading, failed (with a retry), empty, or its items through `children`. */
export function ListStates<T>({ state, onRetry, empty, loadError, children }: ListStatesProps<T>) {
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} onRetry={onRetry} title={loadError} />;
  if (state.data.length === 0) {
    if (typeof empty !== 'string') return <>{empty}</>;
    return (
      <Text py="lg" ta="center" c="dimmed">
        {empty}
      </Text>
    );
  }
  return <>{children(state.data)}</>;
}
