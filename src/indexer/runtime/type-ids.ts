/**
 * graph-ts's `TypeId` enum (global/global.ts) and the value-kind enums of store.Value, JSONValue and ethereum.Value.
 * The host passes a TypeId to the module's exported `id_of_type` to learn the class id (`rtId`) the compiler gave
 * that class; rtIds differ per build, TypeIds do not.
 */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Int8Array: 2,
  Int16Array: 3,
  Int32Array: 4,
  Int64Array: 5,
  Uint8Array: 6,
  Uint16Array: 7,
  Uint32Array: 8,
  Uint64Array: 9,
  Float32Array: 10,
  Float64Array: 11,
  BigDecimal: 12,
  ArrayBool: 13,
  ArrayUint8Array: 14,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayJsonValue: 17,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringJsonValue: 20,
  ArrayTypedMapEntryStringStoreValue: 21,
  SmartContractCall: 22,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumCall: 26,
  WrappedTypedMapStringJsonValue: 27,
  WrappedBool: 28,
  WrappedJsonValue: 29,
  EthereumValue: 30,
  StoreValue: 31,
  JsonValue: 32,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapEntryStringJsonValue: 35,
  TypedMapStringStoreValue: 36,
  TypedMapStringJsonValue: 37,
  TypedMapStringTypedMapStringJsonValue: 38,
  ResultTypedMapStringJsonValueBool: 39,
  ResultJsonValueBool: 40,
  ArrayU8: 41,
  ArrayU16: 42,
  ArrayU32: 43,
  ArrayU64: 44,
  ArrayI8: 45,
  ArrayI16: 46,
  ArrayI32: 47,
  ArrayI64: 48,
  ArrayF32: 49,
  ArrayF64: 50,
  ArrayBigDecimal: 51,
  TransactionReceipt: 1000,
  Log: 1001,
  ArrayH256: 1002,
  ArrayLog: 1003,
  /** graph-node's id for Array<Entity> (store.loadRelated); graph-ts 0.38 maps it to 0. */
  ArrayTypedMapStringStoreValue: 1004,
  // graph-ts 0.38 common/yaml.ts; graph-node graph/src/runtime/mod.rs reserves 5500-6499 for YAML.
  YamlValue: 5500,
  YamlTaggedValue: 5501,
  YamlTypedMapEntryValueValue: 5502,
  YamlTypedMapValueValue: 5503,
  YamlArrayValue: 5504,
  YamlArrayTypedMapEntryValueValue: 5505,
  YamlWrappedValue: 5506,
  YamlResultValueBool: 5507,
} as const;
export type TypeIdValue = (typeof TypeId)[keyof typeof TypeId];

/** graph-ts `ValueKind` (store values). */
export const StoreValueKind = {
  STRING: 0,
  INT: 1,
  BIGDECIMAL: 2,
  BOOL: 3,
  ARRAY: 4,
  NULL: 5,
  BYTES: 6,
  BIGINT: 7,
  INT8: 8,
  TIMESTAMP: 9,
} as const;

/** graph-ts `JSONValueKind`. */
export const JsonValueKind = { NULL: 0, BOOL: 1, NUMBER: 2, STRING: 3, ARRAY: 4, OBJECT: 5 } as const;

/** graph-ts `YAMLValueKind` (graph-node asc_abi/class.rs `YamlValueKind`). */
export const YamlValueKind = { NULL: 0, BOOL: 1, NUMBER: 2, STRING: 3, ARRAY: 4, OBJECT: 5, TAGGED: 6 } as const;

/** graph-ts `ethereum.ValueKind`. */
export const EthereumValueKind = {
  ADDRESS: 0,
  FIXED_BYTES: 1,
  BYTES: 2,
  INT: 3,
  UINT: 4,
  BOOL: 5,
  STRING: 6,
  FIXED_ARRAY: 7,
  ARRAY: 8,
  TUPLE: 9,
} as const;
