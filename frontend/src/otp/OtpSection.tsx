// OTP Authentication: the 2FA switch, the list of OTP entries, NEW OTP + and DELETE x.
// In an enrolment session (2FA required, no OTP entry yet) it is the only section: a banner says
// why, and confirming the first entry brings the other sections back.
import { Alert, Button, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session';
import type { Credential } from '../common/api';
import { errorMessage } from '../common/errors';
import { AlertIcon, CheckIcon, PlusIcon, ShieldIcon } from '../common/icons';
import { SectionHeader } from '../common/Section';
import { strings } from '../common/strings';
import { DeleteDialog } from '../credentials/DeleteDialog';
import { useCredentials } from '../credentials/useCredentials';
import { NewOtpDialog } from './NewOtpDialog';
import { OtpList } from './OtpList';
import { TwoFactorCard } from './TwoFactorCard';
import { useTwoFactor } from './useTwoFactor';

const s = strings.sections.otp;

function EnrolmentBanner({ ownChoice }: { ownChoice: boolean }) {
  return (
    <Alert color="blue" variant="light" icon={<ShieldIcon />} title={s.enrolTitle} mb="lg" data-testid="enrolment-banner">
      <Text size="sm">{ownChoice ? s.enrolOwnChoice : s.enrolRequired}</Text>
    </Alert>
  );
}

export function OtpSection() {
  const { enrolment } = useSession();
  const { state, reload, add, remove } = useCredentials('otp');
  const twoFactor = useTwoFactor();
  const [createOpened, create] = useDisclosure(false);
  const [deleteOpened, del] = useDisclosure(false);
  const [toDelete, setToDelete] = useState<Credential | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const deleted = useRef(false);

  // The first entry was confirmed in an enrolment session: it is a full session now.
  const wasEnrolment = useRef(enrolment);
  useEffect(() => {
    if (wasEnrolment.current && !enrolment) {
      twoFactor.reload();
      notifications.show({ color: 'teal', icon: <CheckIcon size={18} />, message: s.enrolled });
    }
    wasEnrolment.current = enrolment;
  }, [enrolment, twoFactor.reload]);

  const onDeleted = (id: number) => {
    deleted.current = true;
    remove(id);
  };
  const afterDeleteDialog = () => {
    if (deleted.current) newButton.current?.focus();
    deleted.current = false;
  };
  const askDelete = (c: Credential) => {
    setToDelete(c);
    del.open();
  };

  // Deleting the last enabled entry while 2FA is on: the next login will ask for a new one.
  const enabled = state.status === 'ready' ? state.data.filter((c) => c.status === 'enabled') : [];
  const lastOne =
    twoFactor.state.status === 'ready' &&
    twoFactor.state.data.enabled &&
    toDelete?.status === 'enabled' &&
    enabled.length === 1 &&
    enabled[0].id === toDelete.id;

  return (
    <>
      <SectionHeader title={s.title} intro={s.intro} />
      {enrolment ? (
        <EnrolmentBanner ownChoice={twoFactor.state.status === 'ready' && !twoFactor.state.data.lockedBy} />
      ) : (
        <TwoFactorCard
          state={twoFactor.state}
          reload={twoFactor.reload}
          onChanged={twoFactor.set}
          hasEnabledEntry={state.status === 'ready' ? enabled.length > 0 : null}
        />
      )}
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} radius="md">
        <Group justify="space-between" wrap="wrap" gap="sm" mb="xs">
          <Title order={2} size="h4">
            {s.listTitle}
          </Title>
          <Button
            ref={newButton}
            rightSection={<PlusIcon size={16} />}
            onClick={create.open}
            disabled={state.status !== 'ready'}
          >
            {s.newButton}
          </Button>
        </Group>
        {state.status === 'loading' && (
          <Center py="xl">
            <Loader size="sm" aria-label={strings.loading} />
          </Center>
        )}
        {state.status === 'error' && (
          <Stack align="flex-start" py="md">
            <Alert color="red" variant="light" icon={<AlertIcon />} title={s.loadError} w="100%">
              <Text size="sm">{errorMessage(state.error)}</Text>
            </Alert>
            <Button variant="default" onClick={reload}>
              {strings.retry}
            </Button>
          </Stack>
        )}
        {state.status === 'ready' && <OtpList items={state.data} onDelete={askDelete} />}
      </Paper>
      <NewOtpDialog opened={createOpened} onClose={create.close} onChanged={add} />
      <DeleteDialog
        target={toDelete}
        opened={deleteOpened}
        onClose={del.close}
        onDeleted={onDeleted}
        onExited={afterDeleteDialog}
        body={
          <Stack gap="sm" mb="lg">
            <Text size="sm">{s.deleteBody}</Text>
            {lastOne && (
              <Alert color="yellow" variant="light" icon={<AlertIcon />} data-testid="delete-last-warning">
                <Text size="sm">{s.deleteLast}</Text>
              </Alert>
            )}
          </Stack>
        }
      />
    </>
  );
}
