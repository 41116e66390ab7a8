// PostGraphile v5 over copnet's benchmark database: the "amber" preset, the public schema,
// its own inferred GraphQL schema (relations from foreign keys), anonymous reads. Run by
// bench/run.sh; set DATABASE_URL and PORT.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 16 },
    }),
  ],
  grafserv: { port: Number(process.env.PORT ?? 5678), host: "127.0.0.1" },
  grafast: { explain: false },
};

export default preset;
