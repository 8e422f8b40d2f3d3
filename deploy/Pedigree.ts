import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the Pedigree registries (the RoyaltyRegistry comes with the DatasetRegistry) and wires them together.
 *
 * Parameters (all optional), e.g. in `deploy/parameters/<network>.json`:
 * - `admin`: receives DEFAULT_ADMIN_ROLE on the AttestationRegistry (defaults to the deployer);
 * - `evaluators`, `auditors`, `releaseApprovers`, `dataStewards`: accounts granted those roles at deployment.
 */
export default buildModule("Pedigree", (m) => {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const evaluators = m.getParameter<string[]>("evaluators", []);
  const auditors = m.getParameter<string[]>("auditors", []);
  const releaseApprovers = m.getParameter<string[]>("releaseApprovers", []);
  const dataStewards = m.getParameter<string[]>("dataStewards", []);

  const attestations = m.contract("AttestationRegistry", [admin, evaluators, auditors, releaseApprovers, dataStewards]);
  const datasets = m.contract("DatasetRegistry");
  // The treasury is created by the DatasetRegistry's constructor, the only contract allowed to feed it sales.
  const royalties = m.contractAt("RoyaltyRegistry", m.staticCall(datasets, "royalties"));
  const models = m.contract("ModelRegistry", [datasets, attestations]);
  const systems = m.contract("SystemRegistry", [models, datasets, attestations]);
  const releases = m.contract("ReleaseRegistry", [models, systems]);
  const agents = m.contract("AgentRegistry", [systems, releases]);
  m.call(attestations, "setSubjectRegistries", [datasets, models, releases, systems, agents], { from: deployer });

  return { datasets, royalties, attestations, models, releases, systems, agents };
});
