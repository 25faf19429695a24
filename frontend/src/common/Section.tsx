import { Stack, Text, Title } from '@mantine/core';
import { useEffect, type ReactNode } from 'react';
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
