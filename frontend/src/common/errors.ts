// Turns API errors into words for people (all words come from strings.ts).
import { ApiError, type PasswordPolicy, type WeakRule } from './api';
import { formatWait, strings } from './strings';

// Every rule the spec can name has words (fails to compile when the spec gains a rule).
strings.weakRules satisfies Record<WeakRule, unknown>;

type Overrides = Partial<Record<string, string>>;

/**
 * The message to show for a failed call. `overrides` replaces the text of some codes where the
 * context knows better (e.g. invalid_credentials on the change-password form means the current
 * password is wrong). An unknown code shows the server's own message.
 */
export function errorMessage(err: unknown, overrides: Overrides = {}): string {
  if (!(err instanceof ApiError)) return strings.errors.unknown;
  const override = overrides[err.code];
  if (override) return override;
  if (err.code === 'too_many_attempts' && err.retryAfter) {
    return strings.errors.too_many_attempts_wait(formatWait(err.retryAfter));
  }
  const known = (strings.errors as Record<string, unknown>)[err.code];
  if (typeof known === 'string') return known;
  return err.message || strings.errors.unknown;
}

/** For a weak_password error: each rule the server named, in words. */
export function weakPasswordReasons(err: unknown, policy?: PasswordPolicy | null): string[] {
  if (!(err instanceof ApiError) || err.code !== 'weak_password') return [];
  const w = strings.weakRules;
  return err.details.map((d) => {
    switch (d.rule) {
      case 'min_length':
        return w.min_length(policy?.minLength);
      case 'max_length':
        return w.max_length(policy?.maxLength);
      default: {
        const known = (w as Record<string, unknown>)[d.rule];
        return typeof known === 'string' ? known : d.message || d.rule;
      }
    }
  });
}
