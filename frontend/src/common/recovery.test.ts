import { describe, expect, it } from 'vitest';
import { recoveryProblem } from './recovery';
import { strings } from './strings';

const r = strings.password.recovery;

describe('recoveryProblem', () => {
  it('accepts a plain outside address and the empty value (clears it)', () => {
    expect(recoveryProblem('ann@example.com', 'ann.private@elsewhere.org')).toBeNull();
    expect(recoveryProblem('ann@example.com', ' A+b@Mail.Example.net ')).toBeNull();
    expect(recoveryProblem('ann@example.com', '')).toBeNull();
  });
  it('refuses what the server refuses', () => {
    for (const bad of ['ann', 'ann@localhost', 'Ann <ann@elsewhere.org>', 'ann@elsewhere.org.', 'a b@x.org']) {
      expect(recoveryProblem('ann@example.com', bad)).toBe(r.invalid);
    }
    expect(recoveryProblem('ann@example.com', 'ANN@example.com')).toBe(r.own);
  });
});
