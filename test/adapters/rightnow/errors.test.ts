import { CHAT_SERVER_ERRORS, CONNECT_REST_ERRORS, SEQUENCE_CODE, SequenceRejectedError } from '../../../adapters/rightnow/errors.js';
import { AuthExpiredError, ConversationGoneError, PermanentError, RetryableError } from '../../../src/errors.js';
import { classifyFailure, type VendorFailure } from '../../../src/vendor-http/classify.js';

/** RightNow's hook into the one classification: what its codes decide over the status, and what they do not. */
describe('RightNow error rules', () => {
  const chatServer = (failure: VendorFailure) => classifyFailure({ ...CHAT_SERVER_ERRORS, operation: 'postMessage' }, failure);
  const connectRest = (failure: VendorFailure) => classifyFailure({ ...CONNECT_REST_ERRORS, operation: 'serviceSettings' }, failure);

  it.each([
    ['ACCESS_DENIED in a 200', { code: 'ACCESS_DENIED' }, AuthExpiredError],
    ['a 403 whatever its code', { status: 403, code: 'INVALID_FIELD' }, AuthExpiredError],
    ['a refused sequence number', { status: 400, code: SEQUENCE_CODE }, SequenceRejectedError],
    ['CONFLICT in a 200', { code: 'CONFLICT' }, ConversationGoneError],
    ['a 409 without a code', { status: 409 }, ConversationGoneError],
    ['INVALID_FIELD in a 200', { code: 'INVALID_FIELD' }, PermanentError],
    ['an unknown code in a 200', { code: 'UNKNOWN_EXCEPTION' }, RetryableError],
    ['an unreadable reply', { status: 200, unreadable: true }, RetryableError],
    ['a 404 without a code', { status: 404 }, PermanentError],
  ] as const)('when the chat server reports %s, then the error is %p', (_what, failure, type) => {
    expect(chatServer(failure)).toBeInstanceOf(type);
  });

  it('when the chat server answers 429, then it stays a rate limit with its Retry-After whatever the body says', () => {
    const err = chatServer({ status: 429, code: 'CONFLICT', retryAfterMs: 2000 });
    expect(err).toBeInstanceOf(RetryableError);
    expect(err).not.toBeInstanceOf(ConversationGoneError);
    expect(err.retryAfterMs).toBe(2000);
  });

  it('when Connect REST answers, then its status decides (no chat server codes), and an unreadable reply is retried', () => {
    expect(connectRest({ status: 409 })).toBeInstanceOf(PermanentError);
    expect(connectRest({ status: 403 })).toBeInstanceOf(AuthExpiredError);
    expect(connectRest({ status: 200, unreadable: true })).toBeInstanceOf(RetryableError);
  });
});
