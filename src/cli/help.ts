/** The epilogue of `pedigree --help`: keys, addresses, environment, output and the exit codes scripts rely on. */
export const PROGRAM_HELP = `
Keys: commands that send transactions sign with the key in $PEDIGREE_PRIVATE_KEY,
or with --keystore <file> (an Ethereum JSON keystore; its password comes from
$PEDIGREE_KEYSTORE_PASSWORD, or is asked on a terminal). A key on the command
line (--private-key) is refused unless --unsafe-key-on-command-line is given.
A keystore must be writable by its owner only (chmod 600) and encrypted at
least as strongly as ethers' default (scrypt N=131072, r=8). Read-only
commands need no key.

Timeouts: every call to the node or the subgraph gives up after --timeout
seconds (default 30); a sent transaction is waited for --wait-timeout seconds
(default 600), after which its hash is printed: it may still be mined.

Addresses: --network <name> picks the registries from the networks file (default
subgraph/networks.json; without --network, the entry of the node's chain), or
--addresses <file> names them. --chain-id (implied by well-known network names)
refuses a node on another chain before anything is sent.

Environment: PEDIGREE_RPC_URL, PEDIGREE_NETWORK, PEDIGREE_NETWORKS_FILE,
PEDIGREE_ADDRESSES, PEDIGREE_CHAIN_ID, PEDIGREE_SUBGRAPH_URL,
PEDIGREE_PRIVATE_KEY, PEDIGREE_KEYSTORE, PEDIGREE_KEYSTORE_PASSWORD,
PEDIGREE_TIMEOUT, PEDIGREE_WAIT_TIMEOUT.

Output: human-readable lines on stdout; with --json one JSON document instead
(ids and amounts as strings; on failure {"error": {code, name, message,
exitCode}}). Errors are one line on stderr.

Exit codes:
  0  ok
  1  the operation failed: the chain refused it (a revert: unknown id,
     unlicensed dataset, missing role, ...), the node or subgraph could not
     be reached or did not answer in time, a sent transaction was not seen
     mined in time, a subgraph's answer was not trustworthy, or a check or
     verification said no
  2  bad input, nothing was sent: usage, a malformed address, hash, id or
     amount, a missing or unreadable file, a wrong network or chain id, no
     contract at the addresses, a missing, refused or undecryptable key, an
     output file that exists (without --force)

Example:
  $ export PEDIGREE_NETWORK=localhost PEDIGREE_PRIVATE_KEY=0x...
  $ pedigree dataset register --path ./data --uri ipfs://bafy... \\
      --price 0.5 --licence-uri spdx:CC-BY-4.0 --derivatives`;
