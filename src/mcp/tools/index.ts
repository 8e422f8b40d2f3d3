/**
 * Every tool of the Pedigree MCP server, in the order `tools/list` gives them: first the checks an agent makes before
 * trusting a model version or another agent, then the audit questions.
 */
import type { PedigreeTool } from "../tool.ts";
import { agentStatusTool } from "./agentStatus.ts";
import { verifyArtifactTool } from "./artifact.ts";
import { checkModelVersionTool } from "./checkModelVersion.ts";
import { whichVersionProducedTool } from "./decision.ts";
import { wasDataUsedTool, whatTrainedThisTool, whereTool } from "./lineage.ts";
import { changesSinceTool, liveAtTool, whoActedOnTool } from "./releases.ts";

export const TOOLS: readonly PedigreeTool[] = [
  checkModelVersionTool,
  agentStatusTool,
  whatTrainedThisTool,
  whoActedOnTool,
  wasDataUsedTool,
  whichVersionProducedTool,
  whereTool,
  liveAtTool,
  changesSinceTool,
  verifyArtifactTool,
];
