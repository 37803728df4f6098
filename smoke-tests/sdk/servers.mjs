// Sends from a server, with Segment's Node SDK (@segment/analytics-node: JSON batches to /v1/batch) and RudderStack's
// (@rudderstack/rudder-sdk-node: gzip batches labelled application/x-www-form-urlencoded), as a shop's backend would.
//
//   INTAKE=http://127.0.0.1:8081 WRITE_KEY=wk_pos_dev RUN=<unique id> node servers.mjs
//
// Prints one JSON line with the user each library identified; exits non-zero when a library reports a failure.
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';

const intake = process.env.INTAKE;
const writeKey = process.env.WRITE_KEY;
const run = process.env.RUN;
const failures = [];

/** What a shop's backend says about a customer who bought fuel at the till. */
function calls(library, userId) {
  library.identify({ userId, traits: { email: `${userId}@example.com`, phone: '+90 532 111 22 33', firstName: 'Ayşe' } });
  library.track({ userId, event: 'fuel_purchase_completed', properties: { liters: 42.5, amount: 1250.4, currency: 'TRY', product: 'FUEL-95' } });
  library.page({ userId, name: 'Receipt', category: 'Account', properties: { path: '/hesabim/fis' } });
}

const segmentUser = `segment-node-${run}`;
const segment = new SegmentAnalytics({ writeKey, host: intake, maxRetries: 3 });
segment.on('error', (error) => failures.push(`segment: ${error.code ?? ''} ${error.reason ?? error.message ?? error}`));
calls(segment, segmentUser);
await segment.closeAndFlush({ timeout: 20000 });

const rudderUser = `rudder-node-${run}`;
const rudder = new RudderAnalytics(writeKey, {
  dataPlaneUrl: intake,
  retryCount: 3,
  errorHandler: (error) => failures.push(`rudder: ${error.message ?? error}`),
});
calls(rudder, rudderUser);
await rudder.flush();

console.log(JSON.stringify({ users: { segment: segmentUser, rudder: rudderUser }, failures }));
process.exit(failures.length === 0 ? 0 : 1);
