/**
 * What the chain does not prove, and how the dossier's sections map to the EU AI Act's technical documentation
 * (Annex IV). Shared by the Markdown and HTML renderers and stored in the JSON dossier, so the auditor reads the same
 * caveats in every format.
 */

/** Plain statements of what the on-chain record does NOT establish. */
export const LIMITATIONS: readonly string[] = [
  "Hashes are commitments, not checks: the chain records the fingerprints, manifest roots, weights, config, code, hyperparameter, evidence and licence-document hashes that accounts submitted. It does not prove that the files at the listed URIs (ipfs://, s3://, https://…) exist, are still available, or match those hashes. This report did not fetch or re-hash any off-chain file; verify them before relying on them.",
  "The training run is a declaration by the publishing account: the chain does not prove that the weights were produced from exactly these dataset versions, code and hyperparameters, nor that no other data was used. Training start and end times are declared, not observed. The region and compute provider of a run are declared too: the chain refuses a region outside a licence's training territory, not a false declaration.",
  "The regions of a deployment and of a decision batch are declared by the model's operator: the chain refuses a deployment outside the licences' deployment territory, but records decision regions as evidence without checking them (a conflict is listed in section 11).",
  "Attestations prove that an account holding the kind's role at the time signed the claim (or relayed its EIP-712 signature); they do not prove that the evaluation, audit or consent check was performed correctly, what its evidence says, or who the person behind the address is. Role assignments are made by the AttestationRegistry admin; an attester that loses its role later leaves its attestations valid on chain (this dossier flags them).",
  "Licences prove that a licence was acquired and paid for under the recorded terms; they do not prove that the terms document is lawful or complete, that the licensor had the right to grant it, or that the use complied with it. Withdrawal of a dataset stops new licences, versions and terms; licences already sold stay valid until they expire, unless the owner revokes consent and voids them with a refund. Neither deletes data or undoes models already trained.",
  "A fingerprint or weights hash may be claimed by several accounts: registering a digest does not prove authorship or rights to the content, and the first registration is not necessarily the rightful one. A proven commit–reveal priority shows only that the claimant knew the digest at the commitment's time.",
  "Deployments and rollbacks record what the ML team declared live in each environment; the chain does not prove which binary actually served traffic. Decision batches anchor Merkle roots: a single decision can be proven included given its record and proof, but the chain does not prove that every decision was logged or that the records are accurate.",
  "Facts were read from a subgraph (an indexer of the chain), not from the chain itself: each carries its transaction hash so it can be checked against a node (eth_getTransactionReceipt). Facts are as of the stated block; later blocks may change the picture, and recent blocks may still be reorganised. Block times are set by block producers.",
  "An agent's binding records that its owner (or an operator for all its tokens) declared it runs a system version under a policy, and an action batch that one of its operator wallets anchored a Merkle root under the binding in force: the chain does not prove that the agent really ran that system version, that it kept to the policy, or that every action was logged. A record is proven part of a batch only with its Merkle proof (`pedigree audit action`).",
  "Texts stored on chain (URIs, reasons, names, descriptions) are free-form input of the sending account and are reproduced verbatim (escaped); they are claims, not verified statements.",
];

/** Annex IV items (Regulation (EU) 2024/1689) a section of the dossier documents, for orientation. */
export interface SectionSpec {
  /** HTML anchor / stable key. */
  id: string;
  title: string;
  /** Which Annex IV points (or Articles) the section is relevant to. */
  annex: string;
}

export const SECTIONS = {
  summary: { id: "summary", title: "Summary", annex: "Annex IV §1 (general description: identification of the system and version)" },
  identification: { id: "identification", title: "1. Model and version identification", annex: "Annex IV §1(a) (version of the system and its relation to previous versions), §1(c)" },
  lineage: { id: "lineage", title: "2. Lineage overview", annex: "Annex IV §2(a), §2(d) (development steps, pre-trained systems, data provenance)" },
  parents: { id: "parents", title: "3. Fine-tune lineage (pre-trained parents)", annex: "Annex IV §2(a) (use of pre-trained systems)" },
  training: { id: "training", title: "4. Training run", annex: "Annex IV §2(a) (development steps), §2(d) (training methodologies and techniques)" },
  data: { id: "data", title: "5. Training data provenance", annex: "Annex IV §2(d); Art. 10 (data governance: provenance, origin, preparation)" },
  licences: { id: "licences", title: "6. Licences and terms", annex: "Annex IV §2(d) (how the data was obtained); Art. 53(1)(c) where applicable" },
  attestations: { id: "attestations", title: "7. Evaluations and attestations", annex: "Annex IV §2(g) (validation and testing; test reports dated and signed by the responsible persons)" },
  approval: { id: "approval", title: "8. Release approval", annex: "Annex IV §2(g), §6; Art. 17 (quality management: release decision)" },
  deployments: { id: "deployments", title: "9. Deployments and rollbacks", annex: "Annex IV §3 (monitoring, functioning and control), §6 (changes through the lifecycle), §9 (post-market monitoring)" },
  decisions: { id: "decisions", title: "10. Anchored decision records", annex: "Art. 12 (record-keeping/logs); Annex IV §3, §9" },
  jurisdictions: {
    id: "jurisdictions",
    title: "11. Where, and under which conditions",
    annex: "Art. 10(2)(b) (data collection and origin); Annex IV §2(d) (how the data was obtained); §3 (conditions of operation)",
  },
  agents: { id: "agents", title: "12. Agents acting on this model", annex: "Art. 12 (record-keeping/logs), Art. 26 (use by deployers); Annex IV §3 (functioning and control), §9" },
  history: { id: "history", title: "13. Provenance log", annex: "Annex IV §6 (changes made through the lifecycle)" },
  accounts: { id: "accounts", title: "14. Accounts and roles", annex: "Annex IV §2(g) (the responsible persons who signed), §6" },
  limitations: { id: "limitations", title: "15. What the chain does not prove", annex: "Read before relying on any section" },
  notCovered: { id: "not-covered", title: "16. Annex IV items not covered by this dossier", annex: "To be documented elsewhere" },
  method: { id: "method", title: "17. Source and method", annex: "How to reproduce and verify this dossier" },
} as const satisfies Record<string, SectionSpec>;

/** Annex IV items the chain holds nothing about; listed so that the reader knows to look elsewhere. */
export const NOT_COVERED: readonly string[] = [
  "§1: intended purpose, the provider's name and contact, hardware and software the system runs on, instructions for use, user-interface description (beyond the model card hash/URI).",
  "§2(b), §2(c): design specifications, architecture and compute resources (only hashes of the config and code are on chain).",
  "§2(d) in substance: data content, labelling, cleaning and selection methodology (only dataset fingerprints, manifests, datasheet hashes and transformation hashes are on chain).",
  "§2(e), §2(f), §2(h): human-oversight measures, pre-determined changes, cybersecurity measures.",
  "§2(g), §4 in substance: the metrics and results of the evaluations (only the attestation and the hash/URI of its evidence are on chain).",
  "§5, §7, §8: the risk-management system, harmonised standards applied, the EU declaration of conformity.",
  "§9: the post-market monitoring plan (the deployment history and anchored decision batches are evidence of its operation, not the plan).",
];
