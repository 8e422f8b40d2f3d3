/**
 * decodeEventLog against logs encoded by ethers: indexed static values decoded from their topic, indexed dynamic ones
 * kept as their 32-byte hash (graph-node's convention), the data decoded in order, anonymous events, and logs that do
 * not fit the event refused.
 */
import { describe, expect, it } from "vitest";
import { getBytes, id, Interface, type EventFragment } from "ethers";
import { decodeEventLog } from "../../../src/indexer/runtime/eth-abi.ts";
import { EthereumValueKind as K } from "../../../src/indexer/runtime/type-ids.ts";

const abi = new Interface([
  "event Licensed(string indexed name, uint256 indexed licenceId, address payee, (address,uint16)[] splits, bytes blob)",
  {
    type: "event",
    name: "Counted",
    anonymous: true,
    inputs: [
      { name: "who", type: "address", indexed: true },
      { name: "delta", type: "int8", indexed: false },
    ],
  },
]);
const licensed = abi.getEvent("Licensed") as EventFragment;
const counted = abi.getEvent("Counted") as EventFragment;
const payee = "0x00000000000000000000000000000000000000aa";
const other = "0x00000000000000000000000000000000000000bb";
/** Bytes as plain arrays (Buffer or Uint8Array alike), for deep equality. */
const normalise = (value: unknown): unknown =>
  value instanceof Uint8Array ? [...value] : Array.isArray(value) ? value.map(normalise)
    : value !== null && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)])) : value;

describe("decodeEventLog", () => {
  it("decodes indexed values from topics (dynamic ones as their hash) and the rest from the data, every time the same", () => {
    const { topics, data } = abi.encodeEventLog(licensed, ["weights-v2", 7n, payee, [[other, 250]], "0xc0ffee"]);
    const expected = [
      { name: "name", value: { kind: K.FIXED_BYTES, value: getBytes(id("weights-v2")) } },
      { name: "licenceId", value: { kind: K.UINT, value: 7n } },
      { name: "payee", value: { kind: K.ADDRESS, value: getBytes(payee) } },
      {
        name: "splits",
        value: { kind: K.ARRAY, value: [{ kind: K.TUPLE, value: [{ kind: K.ADDRESS, value: getBytes(other) }, { kind: K.UINT, value: 250n }] }] },
      },
      { name: "blob", value: { kind: K.BYTES, value: getBytes("0xc0ffee") } },
    ];
    expect(normalise(decodeEventLog(licensed, topics, data))).toEqual(normalise(expected));
    expect(normalise(decodeEventLog(licensed, topics, data))).toEqual(normalise(expected));
  });

  it("decodes an anonymous event, whose topics have no signature", () => {
    const { topics, data } = abi.encodeEventLog(counted, [payee, -3]);
    expect(topics).toHaveLength(1);
    const [who, delta] = decodeEventLog(counted, topics, data);
    expect([...(who!.value.value as Uint8Array)]).toEqual([...getBytes(payee)]);
    expect(delta!.value).toEqual({ kind: K.INT, value: -3n });
  });

  it("refuses a log with the wrong number of topics or data too short for the event", () => {
    const { topics, data } = abi.encodeEventLog(licensed, ["x", 1n, payee, [], "0x"]);
    expect(() => decodeEventLog(licensed, topics.slice(0, 2), data)).toThrow("event Licensed expects 3 topics, the log has 2");
    expect(() => decodeEventLog(licensed, topics, data.slice(0, 66))).toThrow();
  });
});
