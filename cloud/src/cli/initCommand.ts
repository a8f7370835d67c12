import type { CredentialAdmin } from "../createCredentialAdmin.js";
import { OrganisationService } from "../services/OrganisationService.js";
import type { Clock, Logger } from "../services/ports.js";
import type { CommandIo } from "./credentialCommands.js";

export const INIT_USAGE = `Usage: arrival-cloud init --org ID [--name NAME] [--json] [--data-dir DIR | --config FILE]

Prepares a cloud from nothing, on its data directory: issues the operator key (manages
organisations: POST/GET /v1/operator/organisations, …/suspend, …/reinstate) and creates the first
organisation with the key of its first admin. Secrets are printed once, on standard output.
Idempotent: run again, it issues nothing and says what exists.
`;

export interface InitOptions {
  readonly org?: string;
  readonly name?: string;
  readonly json?: boolean;
}

/** Runs `init`; resolves to the exit code (0 done or already done, 1 failed, 2 usage). */
export async function runInitCommand(
  options: InitOptions,
  context: { readonly admin: CredentialAdmin; readonly actor: string; readonly io: CommandIo; readonly clock: Clock; readonly log: Logger },
): Promise<number> {
  const { io, admin } = context;
  if (options.org === undefined) {
    io.err(`--org is required\n\n${INIT_USAGE}`);
    return 2;
  }
  const organisations = new OrganisationService({
    directory: admin.repositories.directory,
    credentials: admin.credentials,
    audit: admin.repositories.audit,
    clock: context.clock,
    log: context.log,
  });
  const outcome = await organisations.bootstrap({ id: options.org, name: options.name ?? options.org }, context.actor);
  if (!outcome.ok) {
    io.err(`${outcome.message}\n\n${INIT_USAGE}`);
    return 2;
  }
  const { operatorKey, organisation } = outcome.value;
  if (options.json) {
    io.out(
      `${JSON.stringify({
        operatorKey,
        organisation: organisation?.organisation ?? null,
        adminKey: organisation?.adminKey ?? null,
      })}\n`,
    );
  } else {
    const lines: string[] = [];
    if (operatorKey) lines.push(`operator key:  ${operatorKey.key}`);
    if (organisation) lines.push(`admin key of ${organisation.organisation.id}:  ${organisation.adminKey.key}`);
    if (lines.length > 0) io.out(`${lines.join("\n")}\n`);
  }
  io.err(
    [
      operatorKey ? "Issued the operator key." : "The cloud already has an operator key; none issued.",
      organisation
        ? `Created organisation ${organisation.organisation.id} and its first admin key.`
        : `Organisation ${options.org} exists already; no key issued for it.`,
      operatorKey || organisation
        ? "Each key is shown only this once; send it as 'Authorization: Bearer <key>'."
        : "Nothing to do: this cloud is initialised.",
      "",
    ].join("\n"),
  );
  return 0;
}
