/**
 * Templates and dataSource.create / createWithContext, block handlers (once / polling), receipts, ethereum.call /
 * getBalance / hasCode through a HostChain, complex event parameters, and the host functions exercised by real
 * graph-ts code (the hostcheck fixture's handleCompute).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { AbiCoder, Interface, id as keccakId } from "ethers";
import { SubgraphRuntime } from "../../../src/indexer/runtime/runtime.ts";
import { EntityCache } from "../../../src/indexer/runtime/entity-cache.ts";
import { matchLog } from "../../../src/indexer/runtime/matching.ts";
import { CONTEXT_ENTRIES } from "../../../src/indexer/runtime/host/datasource.ts";
import type { HostChain } from "../../../src/indexer/runtime/types.ts";
import type { TransactionReceipt } from "../../../src/indexer/chain/types.ts";
import { block, encodeLog, eventTrigger, hex, hostcheckManifest, projectManifest, transaction, txHash } from "./helpers.ts";

const FACTORY = "0x00000000000000000000000000000000000000fa";
const CHILD = "0x00000000000000000000000000000000000c41d1";
const CHILD2 = "0x00000000000000000000000000000000000c41d2";
const b = (h: string) => new Uint8Array(Buffer.from(h.replace(/^0x/, ""), "hex"));
const coder = AbiCoder.defaultAbiCoder();

let manifestPath: string;
let factory: Interface;
let child: Interface;
beforeAll(() => {
  manifestPath = hostcheckManifest();
  factory = new Interface(JSON.parse(readFileSync(manifestPath.replace("subgraph.yaml", "Factory/Factory.json"), "utf8")));
  child = new Interface(JSON.parse(readFileSync(manifestPath.replace("subgraph.yaml", "Child/Child.json"), "utf8")));
});

describe("templates and dataSource.create", () => {
  it("creates data sources from the template, with and without context, that then index their own events", async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    const cache = runtime.createEntityCache();
    const blk = block(20n);
    cache.beginBlock();
    const created = [];
    for (const [i, [address, withContext]] of ([[CHILD, true], [CHILD2, false]] as const).entries()) {
      const log = encodeLog(factory, "ChildCreated", [address, "first child", withContext], { address: FACTORY, block: blk, txHash: txHash(1), logIndex: BigInt(i) });
      const [match] = runtime.matchLog(log);
      const result = runtime.runTrigger(eventTrigger(match!.dataSource.id, match!.handler.handler, log, blk, transaction(txHash(1))), cache);
      created.push(...result.createdDataSources);
    }
    expect(created).toEqual([
      { template: "Child", params: [CHILD], context: { label: "first child", n: 42n, i8: -7n }, startBlock: 20n },
      { template: "Child", params: [CHILD2], context: null, startBlock: 20n },
    ]);
    // The context keeps its value kinds (i8 is an Int8, not a BigInt) for when the child reads it.
    expect((created[0]!.context as unknown as Record<symbol, unknown>)[CONTEXT_ENTRIES]).toEqual([
      ["label", { kind: 0, value: "first child" }],
      ["n", { kind: 7, value: 42n }],
      ["i8", { kind: 8, value: -7n }],
    ]);

    const ds = created.map((c) => runtime.addDataSource(c));
    expect(ds.map((d) => [d.id, d.address, d.startBlock])).toEqual([
      ["Child#0", CHILD, 20n],
      ["Child#1", CHILD2, 20n],
    ]);
    expect(runtime.logFilters().find((f) => f.address === CHILD)!.topic0s).toEqual([child.getEvent("Ping")!.topicHash]);

    const later = block(21n);
    for (const [i, address] of [CHILD, CHILD2].entries()) {
      const ping = encodeLog(child, "Ping", [BigInt(100 + i), `note ${i}`], { address, block: later, txHash: txHash(2), logIndex: BigInt(i) });
      const matches = runtime.matchLog(ping);
      expect(matches.map((m) => m.dataSource.id)).toEqual([`Child#${i}`]);
      runtime.runTrigger(eventTrigger(matches[0]!.dataSource.id, "handlePing", ping, later, transaction(txHash(2))), cache);
    }
    expect(cache.get("PingRecord", `${txHash(2)}-0`)).toEqual({
      id: `${txHash(2)}-0`,
      source: b(CHILD),
      network: "testnet",
      label: "first child",
      n: 42n,
      i8: -7n,
      value: 100n,
      note: "note 0",
    });
    expect(cache.get("PingRecord", `${txHash(2)}-1`)).toEqual({ id: `${txHash(2)}-1`, source: b(CHILD2), network: "testnet", value: 101n, note: "note 1" });
    // A Ping from an address no data source watches matches nothing.
    const stray = encodeLog(child, "Ping", [1n, "x"], { address: hex(0x99, 20), block: later, txHash: txHash(3), logIndex: 0n });
    expect(runtime.matchLog(stray)).toEqual([]);
  });

  it("refuses to create a data source from an unknown template", async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    const cache = runtime.createEntityCache();
    const blk = block(20n);
    const log = encodeLog(factory, "Fail", ["create-unknown"], { address: FACTORY, block: blk, txHash: txHash(1), logIndex: 0n });
    expect(() => runtime.runTrigger(eventTrigger("Factory", "handleFail", log, blk, transaction(txHash(1))), cache)).toThrow(
      "Failed to create data source from name `Nope`: No template with this name in parent data source `Factory`. Available names: Child.",
    );
    expect(() => runtime.addDataSource({ template: "Nope", params: [CHILD], context: null, startBlock: 1n })).toThrow("no template named Nope");
  });
});

describe("block handlers", () => {
  it("runs `once` at the start block and `polling` every n blocks from it, passing the block", async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    const names = (n: bigint) => {
      const { start, end } = runtime.matchBlock(n);
      return [start.map((m) => m.handler.handler), end.map((m) => m.handler.handler)];
    };
    expect(names(9n)).toEqual([[], []]);
    expect(names(10n)).toEqual([["handleOnce"], ["handleBlock"]]);
    expect(names(11n)).toEqual([[], []]);
    expect(names(12n)).toEqual([[], ["handleBlock"]]);
    expect(runtime.needsEveryBlock).toBe(true);

    const cache = runtime.createEntityCache();
    cache.beginBlock();
    const blk = block(10n, { size: null, baseFeePerGas: null });
    runtime.runTrigger({ kind: "block", dataSource: "Factory", handler: "handleOnce", block: blk }, cache);
    runtime.runTrigger({ kind: "block", dataSource: "Factory", handler: "handleBlock", block: block(12n) }, cache);
    expect(cache.get("BlockSeen", "once-10")).toEqual({
      id: "once-10",
      kind: "once",
      number: 10n,
      hash: b(blk.hash),
      parentHash: b(blk.parentHash),
      author: b(blk.author),
      timestamp: blk.timestamp,
      gasLimit: 30_000_000n,
    });
    expect(cache.get("BlockSeen", "poll-12")).toMatchObject({ size: 1234n, baseFee: 7n, number: 12n });
  });
});

describe("receipts", () => {
  const receipt = (hash: string, blk: ReturnType<typeof block>): TransactionReceipt => ({
    transactionHash: hash,
    transactionIndex: 3n,
    blockHash: blk.hash,
    blockNumber: blk.number,
    cumulativeGasUsed: 90_000n,
    gasUsed: 45_000n,
    contractAddress: null,
    logs: [
      { address: FACTORY, topics: [hex(0x77, 32), hex(0x78, 32)], data: "0x01", logIndex: 4n, transactionIndex: 3n, transactionHash: hash, blockNumber: blk.number, blockHash: blk.hash },
    ],
    status: 1n,
    root: null,
    logsBloom: `0x${"00".repeat(256)}`,
  });

  it("passes the receipt to `receipt: true` handlers, and the transaction's fields", async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    const cache = runtime.createEntityCache();
    const blk = block(30n);
    const hash = txHash(30);
    const log = encodeLog(factory, "Receipted", [5n], { address: FACTORY, block: blk, txHash: hash, logIndex: 4n });
    const tx = transaction(hash, { to: null, nonce: 77n, input: "0xabcdef" });
    runtime.runTrigger({ kind: "event", dataSource: "Factory", handler: "handleReceipted", log, block: blk, transaction: tx, receipt: receipt(hash, blk) }, cache);
    expect(cache.get("ReceiptInfo", hash)).toEqual({
      id: hash,
      gasUsed: 45_000n,
      cumulativeGasUsed: 90_000n,
      status: 1n,
      logCount: 1,
      firstLogAddress: b(FACTORY),
      firstTopic: b(hex(0x77, 32)),
      bloomLength: 256,
      txFrom: b(tx.from),
      txNonce: 77n,
      txInput: b("0xabcdef"),
    });
  });

  it("passes null when the handler did not ask for the receipt", async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    const cache = runtime.createEntityCache();
    const blk = block(31n);
    const hash = txHash(31);
    const log = encodeLog(factory, "Receipted", [5n], { address: FACTORY, block: blk, txHash: hash, logIndex: 0n });
    runtime.runTrigger(eventTrigger("Factory", "handleReceipted", log, blk, transaction(hash)), cache);
    expect(cache.get("ReceiptInfo", hash)).toMatchObject({ logCount: -1, bloomLength: -1, txTo: b(transaction(hash).to!) });
  });
});

describe("ethereum.call, getBalance, hasCode", () => {
  it("tells whether its mappings ask the chain: this fixture's do, Pedigree's own do not", async () => {
    expect((await SubgraphRuntime.load(manifestPath)).callsChain).toBe(true);
    expect((await SubgraphRuntime.load(projectManifest())).callsChain).toBe(false);
  });

  it("calls through the HostChain at the trigger's block; a revert is null", async () => {
    const calls: { to: string; data: string; blockNumber: bigint }[] = [];
    const chain: HostChain = {
      call(request) {
        calls.push(request);
        const answer = factory.getFunction("answer")!;
        if (request.data.startsWith(answer.selector)) {
          const [x] = factory.decodeFunctionData(answer, request.data);
          if (x === 0n) return null;
          return coder.encode(["uint256", "string"], [x * 2n, `double ${x}`]);
        }
        return "0x"; // owner(): empty data counts as a revert
      },
      getBalance: (address, blockNumber) => (address === CHILD ? 10n ** 18n + blockNumber : 0n),
      hasCode: (address) => address === CHILD,
    };
    const runtime = await SubgraphRuntime.load(manifestPath, { chain });
    const cache = runtime.createEntityCache();
    const blk = block(40n);
    for (const [i, x] of [21n, 0n].entries()) {
      const log = encodeLog(factory, "CallOut", [CHILD, x], { address: FACTORY, block: blk, txHash: txHash(40), logIndex: BigInt(i) });
      runtime.runTrigger(eventTrigger("Factory", "handleCallOut", log, blk, transaction(txHash(40))), cache);
    }
    expect(cache.get("CallOutcome", "21")).toEqual({ id: "21", reverted: false, value: 42n, text: "double 21", balance: 10n ** 18n + 40n, hasCode: true });
    expect(cache.get("CallOutcome", "0")).toEqual({ id: "0", reverted: true, balance: 10n ** 18n + 40n, hasCode: true });
    expect(calls[0]).toEqual({ to: CHILD, data: factory.encodeFunctionData("answer", [21n]), blockNumber: 40n });
    expect(calls.every((c) => c.blockNumber === 40n)).toBe(true);
  });

  it("fails the handler clearly when no chain was given", async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    const blk = block(40n);
    const log = encodeLog(factory, "CallOut", [CHILD, 1n], { address: FACTORY, block: blk, txHash: txHash(40), logIndex: 0n });
    expect(() => runtime.runTrigger(eventTrigger("Factory", "handleCallOut", log, blk, transaction(txHash(40))), runtime.createEntityCache())).toThrow(
      "ethereum.call needs chain access: pass { chain } to SubgraphRuntime.load",
    );
  });
});

describe("event parameters", () => {
  it("decodes indexed dynamic params as their topic hash, tuples, fixed bytes and fixed arrays, in ABI order", async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    const cache = runtime.createEntityCache();
    const blk = block(50n);
    const pairs = [
      [hex(0x11, 20), 5n],
      [hex(0x22, 20), 2n ** 96n - 1n],
    ];
    const log = encodeLog(factory, "Mixed", ["tag-value", -3, pairs, "0xcafebabe", [1, 2, 255], true], { address: FACTORY, block: blk, txHash: txHash(50), logIndex: 0n });
    const [match] = runtime.matchLog(log);
    expect(match!.params.map((p) => p.name)).toEqual(["tag", "n", "pairs", "fixed", "nums", "flag"]);
    runtime.runTrigger(eventTrigger("Factory", "handleMixed", log, blk, transaction(txHash(50))), cache);
    expect(cache.get("MixedRecord", `${txHash(50)}-0`)).toEqual({
      id: `${txHash(50)}-0`,
      tagHash: b(keccakId("tag-value")),
      n: -3,
      whos: [b(hex(0x11, 20)), b(hex(0x22, 20))],
      amounts: [5n, 2n ** 96n - 1n],
      fixed: b("0xcafebabe"),
      nums: [1, 2, 255],
      flag: true,
      paramNames: "tag,n,pairs,fixed,nums,flag",
    });
  });

  it("applies topic filters and skips handlers of other data sources' addresses", async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    const ds = runtime.dataSources[0]!;
    const callOut = ds.mapping.eventHandlers.find((h) => h.handler === "handleCallOut")!;
    const filtered = { ...ds, mapping: { ...ds.mapping, eventHandlers: [{ ...callOut, topic1: [`0x${CHILD.slice(2).padStart(64, "0")}`] }] } };
    const blk = block(60n);
    const to = (target: string) => encodeLog(factory, "CallOut", [target, 1n], { address: FACTORY, block: blk, txHash: txHash(60), logIndex: 0n });
    expect(matchLog(to(CHILD), [filtered])).toHaveLength(1);
    expect(matchLog(to(CHILD2), [filtered])).toHaveLength(0);
    expect(matchLog(to(CHILD), [{ ...filtered, startBlock: 61n }])).toHaveLength(0);
    expect(matchLog(to(CHILD), [{ ...filtered, endBlock: 59n }])).toHaveLength(0);
    expect(matchLog(to(CHILD), [{ ...filtered, address: null }])).toHaveLength(1);
  });
});

describe("host functions as real graph-ts code uses them", () => {
  const cases: [string, string, string, string][] = [
    ["bigint.plus", "-5", "3", "-2"],
    ["bigint.minus", "0", "115792089237316195423570985008687907853269984665640564039457584007913129639935", "-115792089237316195423570985008687907853269984665640564039457584007913129639935"],
    ["bigint.times", "-12345678901234567890", "98765432109876543210", (-12345678901234567890n * 98765432109876543210n).toString()],
    ["bigint.div", "-7", "2", "-3"],
    ["bigint.mod", "-7", "2", "-1"],
    ["bigint.pow", "-2", "255", (-(2n ** 255n)).toString()],
    ["bigint.bitOr", "-8", "3", "-5"],
    ["bigint.bitAnd", "-1", "255", "255"],
    ["bigint.shl", "-3", "4", "-48"],
    ["bigint.shr", "-17", "2", "-5"],
    ["bigint.hex", "255", "", "0xff"],
    ["bigint.bytes", "255", "", "0xff00"],
    ["bigint.bytes", "-129", "", "0x7fff"],
    ["bigint.bytes", "0", "", "0x00"],
    ["bigint.fromI32", "-2147483648", "", "-2147483648"],
    ["bigint.divDecimal", "1", "3", `0.${"3".repeat(34)}`],
    ["decimal.plus", "0.1", "0.2", "0.3"],
    ["decimal.minus", "1", "1e-30", `0.${"9".repeat(30)}`],
    ["decimal.times", "-1.5", "1.5", "-2.25"],
    ["decimal.div", "2", "3", `0.${"6".repeat(33)}7`],
    ["decimal.div", "-2", "3", `-0.${"6".repeat(35)}`],
    ["decimal.parts", "123.4500", "", "12345e-2"],
    ["json", '{"b":[1,2.50,-0],"a":{"x":null,"y":"q\\"uote"},"t":true}', "", '{"a":{"x":null,"y":"q\\"uote"},"b":[#1,#2.50,#0],"t":true}'],
    ["json.try", "{broken", "", "error"],
    ["json.i64", "-9223372036854775808", "", "-9223372036854775808"],
    ["json.u64", "18446744073709551615", "", "18446744073709551615"],
    ["json.f64", "1.5e3", "1500", "equal"],
    ["json.bigint", "123456789012345678901234567890", "", "123456789012345678901234567890"],
    ["keccak", "abc", "", keccakId("abc")],
    ["base58", "0x0000287fb4cd", "", "11233QC4"],
    ["bytes.string", "0x68656c6c6f000000", "", "hello"],
    ["h160", "0xA16081F360e3847006dB660bae1c6d1b2e17eC2A", "", "0xa16081f360e3847006db660bae1c6d1b2e17ec2a"],
    ["ens", "0x1234", "", "null"],
    [
      "encode",
      "0x00000000000000000000000000000000000000aa",
      "7",
      coder.encode(["(address,uint256,string,bytes,bool,int256)"], [["0x00000000000000000000000000000000000000aa", 7n, "hi", "0x0102", true, -5n]]),
    ],
    ["decode", "uint256", "0x1234", "null"],
    [
      "decode",
      "(address,uint256,string,bool,int8[])",
      `0x${"00".repeat(31)}20${coder.encode(["address", "uint256", "string", "bool", "int8[]"], ["0x00000000000000000000000000000000000000bb", 9n, "zz", false, [-1, 2]]).slice(2)}`,
      "tuple(address:0x00000000000000000000000000000000000000bb,uint:9,string:zz,bool:false,array(int:-1,int:2))",
    ],
    ["decode", "uint8[2]", coder.encode(["uint8[2]"], [[3, 4]]), "fixed_array(uint:3,uint:4)"],
    ["decode", "bytes3", coder.encode(["bytes3"], ["0xabcdef"]), "fixed:0xabcdef"],
    // Each trigger runs in a fresh instance's state: module globals and memory start over every time (the
    // instance of the previous trigger is restored, module.ts), also after a trigger that grew the memory.
    ["fresh", "", "", "1:1"],
    ["fresh", "", "", "1:1"],
    ["fresh.memory", "", "", "0:7"],
    ["fresh.memory", "", "", "0:7"],
    ["fresh.grow", "2", "", "1"],
    ["fresh.grow", "1", "", "1"],
    ["fresh.memory", "", "", "0:7"],
    ["fresh", "", "", "1:1"],
  ];

  let cache: EntityCache;
  beforeAll(async () => {
    const runtime = await SubgraphRuntime.load(manifestPath);
    cache = runtime.createEntityCache();
    const blk = block(70n);
    for (const [i, [op, a, bArg]] of cases.entries()) {
      const log = encodeLog(factory, "Compute", [op, a, bArg], { address: FACTORY, block: blk, txHash: txHash(70), logIndex: BigInt(i) });
      runtime.runTrigger(eventTrigger("Factory", "handleCompute", log, blk, transaction(txHash(70))), cache);
    }
  });

  it.each(cases.map((c, i) => [i, ...c] as const))("#%i %s(%j, %j) = %j", (i, op, _a, _b, expected) => {
    expect(cache.get("ComputeResult", `${op}@${i}`)).toEqual({ id: `${op}@${i}`, op, text: expected });
  });
});
