import { createRegistry } from '../../src/composition-root.js';
import {
  checkDeclaration,
  checkLifecycle,
  checkNormalizeRefusesMalformed,
  checkSendOutcomes,
  checkVerifyRefusesStrangers,
} from '../support/adapter-contract.js';
import { type ContractSubject, startSubject } from '../support/contract-subject.js';

/**
 * The adapter contract over every registered platform, in every role it declares, against its own
 * simulator: a platform gets these checks by being registered and having a sandbox provider.
 */
const registry = createRegistry();
const sides = registry.names().flatMap((platform) => registry.get(platform)!.roles.map((role) => ({ platform, role })));

describe.each(sides)('$platform as the $role side keeps the adapter contract', ({ platform, role }) => {
  const factory = registry.get(platform)!;
  let subject: ContractSubject;

  beforeAll(async () => {
    subject = await startSubject(factory, role);
  });
  afterAll(async () => {
    await subject?.close();
  });

  it('declares its roles and catalogue capabilities, and implements each capability', () => {
    checkDeclaration(subject);
  });

  it('refuses webhooks without its credentials (AuthenticationError)', async () => {
    await checkVerifyRefusesStrangers(subject);
  });

  it('refuses malformed webhook bodies (PayloadError), loudly, ingesting nothing', async () => {
    await checkNormalizeRefusesMalformed(subject);
  });

  it('survives stop() before start(), start() twice and stop() twice', async () => {
    await checkLifecycle(subject);
  });

  it('answers every canonical kind with sent, a catalogue drop or a DeliveryError', async () => {
    await checkSendOutcomes(subject);
  });
});
