import { Badge, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
import { ClockIcon } from './icons';
import { strings } from './strings';

/** The title and intro of a settings section; sets the document title too. */
export function SectionHeader({ title, intro }: { title: string; intro: ReactNode }) {
  useEffect(() => {
    document.title = strings.pageTitle(title);
  }, [title]);
  return (
    <Stack gap={4} mb="lg">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Text c="dimmed">{intro}</Text>
    </Stack>
  );
}

/** A section that is not built yet says so plainly. */
export function NotAvailable({ title, intro, message }: { title: string; intro: string; message: string }) {
  return (
    <>
      <SectionHeader title={title} intro={intro} />
      <Paper withBorder p="xl" radius="md">
        <Group wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" color="gray" size="lg" radius="xl">
            <ClockIcon size={18} />
          </ThemeIcon>
          <Stack gap={6}>
            <Text fw={600}>{message}</Text>
            <Badge variant="light" color="gray" radius="sm">
              {strings.sections.comingSoon}
            </Badge>
          </Stack>
        </Group>
      </Paper>
    </>
  );
}
