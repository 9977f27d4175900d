import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAccessTokenSigner } from '../../src/auth/access-tokens';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

afterEach(() => vi.useRealTimers());

describe('access tokens', () => {
  it('verify what they signed, and nothing signed with another secret', async () => {
    const signer = createAccessTokenSigner(SECRET, 60);
    const other = createAccessTokenSigner(`${SECRET}-other`, 60);
    const { token } = await signer.sign({ userId: 'u1', sessionId: 's1' });
    expect(await signer.verify(token)).toEqual({ userId: 'u1', sessionId: 's1' });
    expect(await other.verify(token)).toBeNull();
    expect(await signer.verify(`${token}x`)).toBeNull();
  });

  it('stop verifying once expired, even after a cached verification', async () => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z'), toFake: ['Date'] });
    const signer = createAccessTokenSigner(SECRET, 60);
    const { token } = await signer.sign({ userId: 'u1', sessionId: 's1' });
    expect(await signer.verify(token)).not.toBeNull();
    vi.setSystemTime(new Date('2026-01-01T00:01:01Z'));
    expect(await signer.verify(token)).toBeNull();
  });
});
