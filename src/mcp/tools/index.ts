/**
 * Every tool of the Pedigree MCP server, in the order `tools/list` gives them: first the check an agent makes before
 * trusting a model version, then the audit questions.
 */
import type { PedigreeTool } from "../tool.ts";
import { verifyArtifactTool } from "./artifact.ts";
import { checkModelVersionTool } from "./checkModelVersion.ts";
import { whichVersionProducedTool } from "./decision.ts";
import { wasDataUsedTool, whatTrainedThisTool, whereTool } from "./lineage.ts";
import { changesSinceTool, liveAtTool, whoActedOnTool } from "./releases.ts";

export const TOOLS: readonly PedigreeTool[] = [
  checkModelVersionTool,
  // agent_status (issue 11, points 1-4) goes here once the agent identity registry exists: the bound system and model
  // version, approved / releasable / live, the policy and the agent's attestations, from its agentStatus view.
  whatTrainedThisTool,
  whoActedOnTool,
  wasDataUsedTool,
  whichVersionProducedTool,
  whereTool,
  liveAtTool,
  changesSinceTool,
  verifyArtifactTool,
];
