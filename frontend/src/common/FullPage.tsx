import { Alert, Button, Center, Loader, Stack } from '@mantine/core';
import { useSession } from '../auth/session';
import { errorMessage } from './errors';
import { AlertIcon } from './icons';
import { strings } from './strings';

export function FullPageLoader() {
  return (
    <Center component="main" mih="100vh">
      <Loader aria-label={strings.loading} />
    </Center>
  );
}

/** The account could not be loaded for another reason than "not logged in". */
export function FullPageError() {
  const { state, retry } = useSession();
  return (
    <Center component="main" mih="100vh" p="md">
      <Stack maw={420} align="stretch">
        <Alert color="red" icon={<AlertIcon />} title={strings.productName}>
          {errorMessage(state.status === 'error' ? state.error : undefined)}
        </Alert>
        <Button onClick={retry}>{strings.retry}</Button>
      </Stack>
    </Center>
  );
}
