/**
 * `pedigree attest …`: issue an attestation, sign one offline (EIP-712) for someone else to relay, relay a signed
 * one, cancel unrelayed signatures, revoke one.
 */
import type { Command } from "commander";
import {
  attest,
  cancelNonce,
  relaySignedAttestation,
  revokeAttestation,
  signAttestation,
  type AttestationRequestInput,
  type SignedAttestation,
} from "../sdk/index.ts";
import { kindName, subjectTypeName } from "../core/constants.ts";
import { parseId } from "../core/ids.ts";
import { addPrivateFieldsOptions, privateFieldsJson, privateFieldsOf, privateFieldsRow, writeSecrets, type PrivateFieldsOptions } from "./private-fields.ts";
import { run } from "./context.ts";
import { CliError } from "./errors.ts";
import { assertNewFile, writeOutputFile } from "./files.ts";
import { addGlobalOptions } from "./options.ts";
import { block, formatTime, txRow } from "./output.ts";
import { parseHashOrFile, parseKind, parseSubject, parseText, parseTime, readJsonFile } from "./parse.ts";

interface RequestOptions {
  subject?: string;
  kind?: string;
  evidence?: string;
  evidenceUri?: string;
  expires?: string;
  ref?: string;
}

function addRequestOptions(command: Command): Command {
  return command
    .option("--subject <type:id>", "what is attested: dataset-version:<id>, model-version:<id>, training-run:<id>, licence:<id>, deployment:<id>, system-version:<id>, agent:<id>")
    .option(
      "--kind <kind>",
      "safety-evaluation, bias-check, red-team-report (evaluator), consent (data steward), licence-compliance (auditor), release-approval (release approver), or a number",
    )
    .option("--evidence <file|hash>", "the evidence document (hashed with SHA-256) or its 32-byte hash")
    .option("--evidence-uri <uri>", "where the evidence lives")
    .option("--expires <time>", "when the attestation stops counting (ISO 8601; default: never)")
    .option("--ref <attestationId>", "an earlier attestation this one refers to (e.g. a re-evaluation)");
}

/** The attestation request, checked locally. */
async function parseRequest(options: RequestOptions): Promise<AttestationRequestInput> {
  if (options.subject === undefined) throw new CliError("name what is attested with --subject <type>:<id>, e.g. --subject model-version:3");
  if (options.kind === undefined) throw new CliError("name the attestation kind with --kind, e.g. --kind safety-evaluation");
  const { subjectType, subjectId } = parseSubject(options.subject);
  const kind = parseKind(options.kind);
  let expiresAt: Date | undefined;
  if (options.expires !== undefined) {
    expiresAt = parseTime(options.expires, "--expires");
    if (expiresAt.getTime() <= Date.now()) throw new CliError(`--expires ${options.expires} is not in the future`);
  }
  return {
    subjectType,
    subjectId,
    kind,
    expiresAt,
    refId: options.ref === undefined ? undefined : parseId(options.ref, "--ref"),
    evidenceHash: options.evidence === undefined ? undefined : await parseHashOrFile(options.evidence, "--evidence"),
    evidenceURI: options.evidenceUri ?? "",
  };
}

function describeRequest(request: { subjectType: unknown; subjectId: unknown; kind: unknown }): string {
  return `${kindName(Number(request.kind))} of ${subjectTypeName(Number(request.subjectType))} ${String(request.subjectId)}`;
}

export function registerAttestCommands(program: Command): void {
  const attestCommand = program
    .command("attest")
    .description("attest about a dataset version, model version, training run, licence, deployment or system version (needs the kind's role)");
  registerAttestItself(attestCommand);
  registerAttestSign(attestCommand);
  registerAttestRelay(attestCommand);
  registerAttestCancelNonce(attestCommand);
  registerAttestRevoke(attestCommand);
}

/** `pedigree attest` itself: attest directly, with the signer's role. */
function registerAttestItself(attestCommand: Command): void {
  addRequestOptions(attestCommand).addHelpText(
    "after",
    `
Example:
  $ pedigree attest --subject model-version:1 --kind safety-evaluation --evidence ./safety-report.pdf \\
      --evidence-uri ipfs://bafysafetyreport`,
  );
  addPrivateFieldsOptions(attestCommand, "--private-evidence", "--evidence", "evidence fields (an evaluation's findings, scores)");
  addGlobalOptions(attestCommand, ["output", "chain", "key"]).action(
    run(async (ctx, _args, options: RequestOptions & PrivateFieldsOptions & { privateEvidence?: string }) => {
      const request = await parseRequest(options);
      const evidence = await privateFieldsOf(options.privateEvidence, options, { flag: "--private-evidence", hashFlag: "--evidence", hash: options.evidence });
      const client = await ctx.client({ sign: true });
      if (evidence) request.evidenceHash = await writeSecrets(evidence);
      const result = await attest(client, { ...request, onSubmitted: ctx.submitted });
      ctx.out.result(
        {
          attestationId: result.attestationId,
          attester: result.attester,
          subjectType: subjectTypeName(Number(request.subjectType)),
          subjectId: request.subjectId,
          kind: kindName(Number(request.kind)),
          evidenceHash: request.evidenceHash,
          ...privateFieldsJson(evidence),
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`attestation ${result.attestationId}: ${describeRequest(request)}`, [
            ["attester", result.attester],
            ["evidence", evidence ? undefined : request.evidenceHash],
            privateFieldsRow(evidence, "evidence"),
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `sign` subcommand: sign an attestation offline (EIP-712) into a JSON file anyone can relay (`pedigree attest relay`). */
function registerAttestSign(attestCommand: Command): void {
  const sign = attestCommand
    .command("sign")
    .description("sign an attestation offline (EIP-712) into a JSON file anyone can relay (`pedigree attest relay`)");
  addRequestOptions(sign)
    .option("--deadline <time>", "until when it may be relayed (ISO 8601; at most 30 days ahead; default: 7 days from now)")
    .option("--out <file>", "the signed attestation file to write")
    .option("--force", "overwrite --out if it exists")
    .addHelpText(
      "after",
      `
Nothing is sent: the file holds the request, the attester's nonce and deadline, and the signature, for this
network's AttestationRegistry only. A signature can be relayed once; \`pedigree attest cancel-nonce\` cancels it.

Example:
  $ pedigree attest sign --subject model-version:1 --kind bias-check --evidence-uri ipfs://bafybias --out bias.json`,
    );
  addGlobalOptions(sign, ["output", "chain", "key"]).action(
    run(async (ctx, _args, options: RequestOptions & { deadline?: string; out?: string; force?: boolean }) => {
      const request = await parseRequest(options);
      if (options.out === undefined) throw new CliError("name the file to write the signed attestation to with --out <file>");
      const out = options.out;
      await assertNewFile(out, "--out", options.force);
      let deadline: Date | undefined;
      if (options.deadline !== undefined) {
        deadline = parseTime(options.deadline, "--deadline");
        if (deadline.getTime() <= Date.now()) throw new CliError(`--deadline ${options.deadline} is not in the future`);
      }
      const client = await ctx.client({ sign: true });
      const signed = await signAttestation(client, { request, deadline });
      await writeOutputFile(out, `${JSON.stringify(signed, null, 2)}\n`, "--out", options.force);
      ctx.out.result({ file: out, ...signed }, () =>
        block(`signed ${describeRequest(signed.request)} written to ${out}`, [
          ["attester", signed.attester],
          ["nonce", signed.nonce],
          ["relay until", formatTime(BigInt(signed.deadline))],
          ["relay with", `pedigree attest relay ${out}`],
        ]),
      );
    }),
  );
}

/** The `relay` subcommand: relay an attestation signed with `pedigree attest sign` (any account can; it pays the gas). */
function registerAttestRelay(attestCommand: Command): void {
  const relay = attestCommand
    .command("relay")
    .description("relay an attestation signed with `pedigree attest sign` (any account can; it pays the gas)")
    .argument("<file>", "the signed attestation file")
    .addHelpText("after", "\nExample:\n  $ pedigree attest relay bias.json");
  addGlobalOptions(relay, ["output", "chain", "key"]).action(
    run(async (ctx, [file]) => {
      const document = (await readJsonFile(file!, "signed attestation file")) as SignedAttestation;
      const client = await ctx.client({ sign: true });
      const result = await relaySignedAttestation(client, document, { onSubmitted: ctx.submitted });
      ctx.out.result(
        {
          attestationId: result.attestationId,
          attester: result.attester,
          submitter: result.submitter,
          hash: result.hash,
          blockNumber: result.blockNumber,
        },
        () =>
          block(`attestation ${result.attestationId} relayed`, [
            ["attester", result.attester],
            ["relayed by", result.submitter],
            txRow(result),
          ]),
      );
    }),
  );
}

/** The `cancel-nonce` subcommand: cancel your unrelayed signed attestations (`pedigree attest sign`) by using up your current nonce. */
function registerAttestCancelNonce(attestCommand: Command): void {
  const cancel = attestCommand
    .command("cancel-nonce")
    .description("cancel your unrelayed signed attestations (`pedigree attest sign`) by using up your current nonce")
    .addHelpText(
      "after",
      `
Use it when a signed file leaked or was made in error: relaying it then fails (InvalidAccountNonce). Signatures made
afterwards use the next nonce.

Example:
  $ pedigree attest cancel-nonce`,
    );
  addGlobalOptions(cancel, ["output", "chain", "key"]).action(
    run(async (ctx) => {
      const client = await ctx.client({ sign: true });
      const result = await cancelNonce(client, { onSubmitted: ctx.submitted });
      ctx.out.result({ attester: result.attester, nonce: result.nonce, hash: result.hash, blockNumber: result.blockNumber }, () =>
        block(`nonce ${result.nonce} of ${result.attester} cancelled: signatures made with it can no longer be relayed`, [txRow(result)]),
      );
    }),
  );
}

/** The `revoke` subcommand: revoke an attestation (its attester or an admin); versions it approved stop being releasable. */
function registerAttestRevoke(attestCommand: Command): void {
  const revoke = attestCommand
    .command("revoke")
    .description("revoke an attestation (its attester or an admin); versions it approved stop being releasable")
    .argument("<attestationId>", "the attestation")
    .option("--reason <text>", "why, recorded on chain")
    .addHelpText("after", '\nExample:\n  $ pedigree attest revoke 3 --reason "evaluation harness bug"');
  addGlobalOptions(revoke, ["output", "chain", "key"]).action(
    run(async (ctx, [idText], options: { reason?: string }) => {
      const attestationId = parseId(idText!, "attestationId");
      const reason = parseText(options.reason, "--reason");
      const client = await ctx.client({ sign: true });
      const result = await revokeAttestation(client, { attestationId, reason, onSubmitted: ctx.submitted });
      ctx.out.result(
        { attestationId: result.attestationId, revoker: result.revoker, reason, hash: result.hash, blockNumber: result.blockNumber },
        () => block(`attestation ${result.attestationId} revoked`, [["by", result.revoker], ["reason", reason], txRow(result)]),
      );
    }),
  );
}
