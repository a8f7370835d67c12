import type { FastifyInstance } from "fastify";
import Type, { type Static } from "typebox";
import type { FileReleaseStore } from "../../releases/FileReleaseStore.js";
import { ApiError } from "../refusals.js";

const FileParams = Type.Object(
  { file: Type.String({ pattern: "^[0-9A-Za-z.+-]{1,100}\\.tgz(\\.sha256|\\.sig)?$", description: "VERSION-HASH.tgz, or its .sha256 or .sig." }) },
  { additionalProperties: false },
);

export interface ReleaseRouteDependencies {
  readonly releases: Pick<FileReleaseStore, "open">;
}

/**
 * Release downloads for the gateways (`software.url` of a rollout points here): a gateway with
 * its own MQTT login as HTTP Basic, or an admin key. The files are signed; the gateway's updater
 * verifies them with the operator's key whatever served them.
 */
export function releaseRoutes(app: FastifyInstance, deps: ReleaseRouteDependencies): void {
  app.get(
    "/v1/releases/:file",
    {
      config: { roles: ["admin"], gatewayLogin: true },
      schema: {
        summary: "Download a release (a gateway's MQTT login as HTTP Basic, or an admin key)",
        params: FileParams,
        produces: ["application/octet-stream"],
        response: {
          200: {
            description: "The file as stored: a signed release archive, its SHA-256 or its signature.",
            content: {
              "application/octet-stream": { schema: Type.String({ contentMediaType: "application/octet-stream" }) },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { file } = request.params as Static<typeof FileParams>;
      const opened = await deps.releases.open(file);
      if (!opened) throw new ApiError("NOT_FOUND", `no release file ${file}`);
      void reply.header("content-type", "application/octet-stream").header("content-length", String(opened.bytes));
      return reply.send(opened.stream);
    },
  );
}
