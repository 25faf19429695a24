// Dates and times for people, in the browser's locale.

/** An ISO timestamp as a medium date and a short time; the input itself when it is not a date. */
export function formatDate(iso: string, locale?: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
