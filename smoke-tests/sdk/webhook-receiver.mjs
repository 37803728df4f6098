// A company's own system receiving audience changes from a CDP Suite webhook destination: every request is verified
// with the Standard Webhooks reference library (signature over id.timestamp.body, timestamp tolerance) before it is
// believed.
//
//   SECRET=whsec_... [DELAY_MS=n] node webhook-receiver.mjs
//
// DELAY_MS holds each answer back after the request was read and printed, as a slow endpoint does.
// Prints {"listening": port} first, then one JSON line per request: {"verified": true, "receivedAt", "id", "payload"},
// or {"verified": false, "error"} (answered 401). Stops when its standard input closes.
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

const webhook = new Webhook(process.env.SECRET);

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      const payload = webhook.verify(body, request.headers);
      console.log(JSON.stringify({ verified: true, receivedAt: Date.now(), id: request.headers['webhook-id'], payload }));
      setTimeout(() => response.writeHead(204).end(), Number(process.env.DELAY_MS ?? 0));
    } catch (error) {
      console.log(JSON.stringify({ verified: false, error: error.message }));
      response.writeHead(401).end();
    }
  });
});

server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ listening: server.address().port })));
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
