/**
 * The CLI's next steps: where an error's hint from the SDK names an SDK function, the CLI names the `pedigree` command
 * that does it instead. The SDK's messages never assume the CLI; the CLI words the hint when it prints the error.
 */
import { licenceStatusName, roleName, subjectTypeName } from "../core/constants.ts";
import { InvalidInputError, type PedigreeError } from "../core/errors.ts";
import { PedigreeContractError, type ContractErrorArgs } from "../sdk/errors/index.ts";

type Hint = (args: ContractErrorArgs) => string | undefined;

const ACQUIRE = "`pedigree licence acquire`";
const SIGN_COMMANDS = "`pedigree attest sign`, `pedigree agent sign` or `pedigree usage sign`";

/** Next steps for a dataset version unusable under a licence, by its LicenceStatus. */
const LICENCE_STATUS_HINTS: Readonly<Record<string, string>> = {
  LicenceRefunded: "The dataset's owner revoked consent and refunded this licence; withdraw the refund with `pedigree royalties withdraw` and use other data.",
  UnknownLicence: `Acquire a licence with ${ACQUIRE}.`,
  WrongDataset: `That licence is for another dataset; acquire one for this dataset with ${ACQUIRE}.`,
  WrongLicensee: "The model's owner must hold the licence; acquire one for the model owner with `pedigree licence acquire <datasetId> --for <model owner>`.",
  Expired: `Acquire a new licence with ${ACQUIRE}.`,
  DerivativesForbidden: "Its terms forbid derivatives; ask the dataset owner for terms that allow training (`pedigree dataset terms <datasetId> --derivatives …`).",
};

const statusHint: Hint = (a) => LICENCE_STATUS_HINTS[licenceStatusName(a.status as bigint)];

/** `pedigree role grant …` for a missing role (an admin's own role cannot be granted that way: the SDK's hint stays). */
function grantHint(role: unknown, account: unknown): string | undefined {
  const name = roleName(String(role));
  if (name === "admin") return undefined;
  return `Ask an admin to grant it: \`pedigree role grant ${name ?? String(role)} ${String(account)}\`.`;
}

/** The CLI's hint for each custom error whose next step is a command. */
const CONTRACT_HINTS: Readonly<Record<string, Hint>> = {
  UnknownLicence: () => `Check the licence id, or acquire one with ${ACQUIRE}.`,
  ConsentNotRevoked: () =>
    "Licences are only voided after a consent revocation: `pedigree dataset consent-revoke <datasetId> --reason …` first.",
  ParentNotUsable: (a) =>
    BigInt(a.licenceId as bigint) === 0n
      ? "Acquire a licence of its dataset that allows derivatives (`pedigree licence acquire <datasetId>`) and name it: `--parent <versionId>:<licenceId>`."
      : statusHint(a),
  NoTermsSet: () => "Ask the dataset owner to set terms with `pedigree dataset terms`.",
  TermsChanged: (a) => `Review terms ${a.currentTermsId} and acquire again with ${ACQUIRE}.`,
  WrongPayment: () =>
    "Send the price of the current terms, what the deposit leaves of a usage report, or at least the refund due (`pedigree licence acquire`, `pedigree usage report` and `pedigree licence refund` read it for you).",
  NothingToWithdraw: () => "Check the balance with `pedigree royalties show`.",
  UnknownClaim: () => "Publish the version first, then prove its priority (`pedigree dataset prove-priority`).",
  ZeroCommitment: () => "Compute it with `pedigree dataset commit`.",
  MissingAttesterRole: (a) => grantHint(a.role, a.account),
  AccessControlUnauthorizedAccount: (a) => grantHint(a.neededRole, a.account),
  DeadlineTooFar: () => `Ask the signer to sign again with a nearer deadline (${SIGN_COMMANDS}, \`--deadline <time>\`).`,
  SignatureExpired: () => `Ask the signer to sign again with a later deadline (${SIGN_COMMANDS}, \`--deadline <time>\`).`,
  InvalidSignature: () => "Relay the signed file unchanged (`pedigree attest relay <file>`), on the network it was signed for.",
  InvalidAccountNonce: () => `A signature can be relayed only once, and not after its signer cancelled its nonce; ask the signer to sign again (${SIGN_COMMANDS}).`,
  ParentNotDerivable: () => "Ask that model's owner to run `pedigree model grant-derivation <modelId> --to <your address>`.",
  DatasetVersionNotUsable: statusHint,
  RequiredAttestationsMissing: () => "Have the attesters attest (`pedigree attest`) and pass their attestation ids.",
  VersionNotApproved: () => "Approve it first with `pedigree model approve`.",
  ApprovalNoLongerValid: () =>
    "The version may not run any longer; deploy another approved version (`pedigree release deploy <versionId> --env <name>`).",
  UnknownBatch: () => "Check the root and the version that made the decisions (`pedigree decisions verify --version <versionId>`).",
  TrainingOutsideTerritory: () =>
    "Publish with a --region inside that territory (`pedigree dataset show <datasetId>` lists it), or train on data licensed for training there.",
  DeploymentOutsideTerritory: () =>
    "Deploy with --regions inside that territory (`pedigree release deploy <versionId> | --system <systemId> --env <name> --regions …`), or deploy what was trained, or retrieves, on data licensed for those regions.",
  AttestationNotForSubject: (a) =>
    `Pass attestations about it: \`pedigree attest --subject ${subjectTypeName(a.subjectType as bigint)}:${String(a.subjectId)} --kind …\`.`,
  SystemNotApproved: () => "Approve it first with `pedigree system approve <systemId> --attestation …`.",
  SystemApprovalNoLongerValid: () =>
    "The system version may not run any longer; deploy another approved one (`pedigree release deploy --system <systemId> --env <name> --regions …`).",
  NothingChanged: () => "Give the changed --prompt, --retrieval-index, --policy or --tools, or another model version.",
  RetrievalDataNotUsable: statusHint,
  RetrievalDataWithdrawn: () => "Rebuild the retrieval index without that dataset and pass it with its remaining --retrieval-data.",
  NotAgentManager: () => "Send it with the agent owner's key (--keystore), or from an account the owner approved for all its tokens.",
  SystemNotReleasable: () => "Bind the agent to a system version that passed its release gate (`pedigree system status <systemId> --env <name>`).",
  NotOperatorWallet: () => "Anchor or sign with a wallet the owner set: `pedigree agent wallet <agentId> <address>`.",
  AgentNotBound: () => "Bind it first: `pedigree agent bind <agentId> --system <systemId>`.",
  UnknownActionBatch: () => "Check the agent id and the root in the record file (`pedigree agent prove` writes both).",
  SignatureNotBySigner: () => "Relay the signed file unchanged (`pedigree agent relay <file>`), on the network it was signed for.",
  ERC20InsufficientAllowance: () =>
    `Approve the treasury (RoyaltyRegistry) for the amount due first (${ACQUIRE}, \`pedigree usage report\` and \`pedigree usage deposit\` do it for you).`,
  UnknownRegion: () => "Give ISO 3166-1 alpha-2 codes or groups, e.g. `--training-territories DE,FR` or `EEA`.",
  UnknownAgent: () => "Check the agent id (`pedigree agent register` prints it; `pedigree agent status <agentId>` shows one).",
  // royalties by use and down the lineage
  NotTreasury: () => `Buy licences with ${ACQUIRE}.`,
  NotDatasetRegistry: () => `Buy licences with ${ACQUIRE} and refund them with \`pedigree licence refund\`.`,
  NotLicensee: () =>
    "Send it with the licensee's key (--keystore), or have the licensee sign the report (`pedigree usage sign`) for anyone to relay (`pedigree usage relay <file>`).",
  NotMetered: () => "Its terms price no unit of use (`pedigree usage show <licenceId>` shows the unit price); report usage only under metered terms.",
  LicenceVoided: () => "Usage cannot be reported under it any more; the licensee releases what is left of its deposit with `pedigree usage release <licenceId> <amount>`.",
  DepositTooSmall: () => "Release at most what is left (`pedigree usage show <licenceId>` shows the deposit left).",
  SignatureNotByLicensee: () =>
    "Relay the signed file unchanged (`pedigree usage relay <file>`), on the network it was signed for; only the licensee signs its reports (`pedigree usage sign`).",
  ContributorsAlreadySet: () => "Contributors are named once per version; publish a new version (`pedigree dataset version`) and name them on it.",
  NotVersionOwner: () => "Send it with the dataset owner's key (--keystore), or from an account the owner made an operator for all its tokens.",
};

/** The CLI's hint for input refused by the SDK, by the field at fault. */
const INPUT_HINTS: Readonly<Record<string, string>> = {
  claim: "Pass the file `pedigree dataset commit` or `pedigree model commit` wrote.",
  "claim.format": "Pass the file `pedigree dataset commit` or `pedigree model commit` wrote.",
  "claim.commitment": "The file was altered; use the file written when committing.",
};

/**
 * The next step the CLI gives for `error`, naming a `pedigree` command; undefined when the error's own hint stands.
 *
 * @example
 * cliHint(registryError("NoTermsSet", [1n])); // "Ask the dataset owner to set terms with `pedigree dataset terms`."
 */
export function cliHint(error: PedigreeError): string | undefined {
  if (error instanceof PedigreeContractError) return CONTRACT_HINTS[error.errorName]?.(error.args);
  if (error instanceof InvalidInputError) return INPUT_HINTS[error.field];
  return undefined;
}

/** The error names the CLI words its own hint for (to check them against the SDK's table). */
export const ERRORS_WITH_CLI_HINTS: readonly string[] = Object.keys(CONTRACT_HINTS);
