// Dates and times for people, in the browser's locale.

function valid(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An ISO timestamp as a medium date and a short time; the input itself when it is not a date. */
export function formatDate(iso: string, locale?: string): string {
  const d = valid(iso);
  return d ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d) : iso;
}

const COMPACT: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/**
 * The same, short enough for a table cell: a numeric date and the time ("05/03/2024, 14:07" in
 * en-GB); the cell keeps it on one line and gives formatDate as its title (DateCell).
 */
export function formatDateCompact(iso: string, locale?: string): string {
  const d = valid(iso);
  return d ? new Intl.DateTimeFormat(locale, COMPACT).format(d) : iso;
}

/** The date and the time of formatDateCompact apart, for a narrow column that shows them on two lines. */
export function formatDateParts(iso: string, locale?: string): { date: string; time: string } | null {
  const d = valid(iso);
  if (!d) return null;
  const date = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(d);
  return { date, time };
}
