// The frame of every login step (a card with the product's name), and its error line.
import { Alert, Box, Center, Group, Paper, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { AlertIcon, Logo } from '../common/icons';
import { strings } from '../common/strings';

export function LoginCard({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  return (
    // The whole card is the page's main landmark (a login page has no other region).
    <Center component="main" mih="100vh" p="md">
      <Box w="100%" maw={400}>
        <Group justify="center" gap="sm" mb="lg">
          <Logo size={40} />
          <Text fw={700} fz={28} lh={1}>
            {strings.productName}
          </Text>
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="lg">
          <Title order={1} size="h3" mb={4}>
            {title}
          </Title>
          <Text size="sm" c="dimmed" mb="lg" style={{ overflowWrap: 'anywhere' }}>
            {intro}
          </Text>
          {children}
        </Paper>
      </Box>
    </Center>
  );
}

export function ErrorAlert({ message, notice }: { message: string | null; notice?: string | null }) {
  return (
    <div aria-live="assertive" aria-atomic="true">
      {notice && !message && (
        <Alert role="none" color="blue" variant="light" icon={<AlertIcon />}>
          {notice}
        </Alert>
      )}
      {message && (
        <Alert role="none" color="red" variant="light" icon={<AlertIcon />} data-testid="login-error">
          {message}
        </Alert>
      )}
    </div>
  );
}
