/** Types shared by the client and every action. */

/** A point in time: a Date, or unix seconds as a number or bigint. */
export type TimestampInput = Date | bigint | number;

/** Transaction settings every write action accepts besides its own parameters. */
export interface TransactionOptions {
  /** Gas limit; estimated by the node when omitted. */
  gasLimit?: bigint;
  /** EIP-1559 fee cap per gas, in wei. */
  maxFeePerGas?: bigint;
  /** EIP-1559 priority fee per gas, in wei. */
  maxPriorityFeePerGas?: bigint;
  /** Nonce; the account's next nonce when omitted. */
  nonce?: number;
  /** Blocks to wait for after inclusion (default 1). */
  confirmations?: number;
  /** Called with each transaction hash as soon as it is submitted, before it is mined. */
  onSubmitted?: (hash: string) => void;
}

/** Where a mined transaction landed. */
export interface TransactionResult {
  /** Transaction hash. */
  hash: string;
  /** Block it was mined in. */
  blockNumber: number;
}
