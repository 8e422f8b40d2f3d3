/**
 * Query field names for entity types, exactly as graph-node derives them.
 *
 * graph-node (`graph/src/data/graphql/ext.rs`, `camel_cased_names`) uses the Rust crate Inflector 0.11:
 * `singular = name.to_camel_case()`, `plural = name.to_plural().to_camel_case()`, and when both come out the same
 * (`LicenceTerms`, `Series`) the plural gets `_collection` appended. `to_plural` runs on the whole type name (not on its
 * last word), checks an uncountable-word list and a few special cases, then tries its suffix rules from last to first.
 * This module is a faithful port of those rules so that `DatasetVersion → datasetVersion / datasetVersions`,
 * `DecisionBatch → decisionBatches`, `LicenceTerms → licenceTerms / licenceTerms_collection`.
 */

/** Inflector's `UNACCONTABLE_WORDS` (src/string/constants): returned unchanged by `to_plural`. Lowercase only. */
const UNCOUNTABLE = new Set(
  (
    "accommodation adulthood advertising advice aggression aid air aircraft alcohol anger applause arithmetic " +
    "assistance athletics bacon baggage beef biology blood botany bread butter carbon cardboard cash chalk chaos chess " +
    "crossroads countryside dancing deer dignity dirt dust economics education electricity engineering enjoyment envy " +
    "equipment ethics evidence evolution fame fiction flour flu food fuel fun furniture gallows garbage garlic genetics " +
    "gold golf gossip grammar gratitude grief guilt gymnastics happiness hardware harm hate hatred health heat help " +
    "homework honesty honey hospitality housework humour hunger hydrogen ice importance inflation information innocence " +
    "iron irony jam jewelry judo karate knowledge lack laughter lava leather leisure lightning linguine linguini " +
    "linguistics literature litter livestock logic loneliness luck luggage macaroni machinery magic management mankind " +
    "marble mathematics mayonnaise measles methane milk money mud music mumps nature news nitrogen nonsense nurture " +
    "nutrition obedience obesity oxygen pasta patience physics poetry pollution poverty pride psychology publicity " +
    "punctuation quartz racism relaxation reliability research respect revenge rice rubbish rum safety scenery seafood " +
    "seaside series shame sheep shopping sleep smoke smoking snow soap software soil spaghetti species steam stuff " +
    "stupidity sunshine symmetry tennis thirst thunder timber traffic transportation trust underwear unemployment unity " +
    "validity veal vegetation vegetarianism vengeance violence vitality warmth wealth weather welfare wheat wildlife " +
    "wisdom yoga zinc zoology"
  ).split(" "),
);

/** Whole-word special cases of `to_plural`. */
const SPECIAL: Readonly<Record<string, string>> = {
  ox: "oxen",
  man: "men",
  woman: "women",
  die: "dice",
  yes: "yeses",
  foot: "feet",
  eave: "eaves",
  goose: "geese",
  tooth: "teeth",
  quiz: "quizzes",
};

/** `to_plural`'s rules in declaration order; they are tried from last to first, the first match wins. */
const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\w*)s$/, "s"],
  [/(\w*([^aeiou]ese))$/, ""],
  [/(\w*(ax|test))is$/, "es"],
  [/(\w*(alias|[^aou]us|tlas|gas|ris))$/, "es"],
  [/(\w*(e[mn]u))s?$/, "s"],
  [/(\w*([^l]ias|[aeiou]las|[emjzr]as|[iu]am))$/, ""],
  [/(\w*(alumn|syllab|octop|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat))(?:us|i)$/, "i"],
  [/(\w*(alumn|alg|vertebr))(?:a|ae)$/, "ae"],
  [/(\w*(seraph|cherub))(?:im)?$/, "im"],
  [/(\w*(her|at|gr))o$/, "oes"],
  [
    /(\w*(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor))(?:a|um)$/,
    "a",
  ],
  [/(\w*(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat))(?:a|on)$/, "a"],
  [/(\w*)sis$/, "ses"],
  [/(\w*(kni|wi|li))fe$/, "ves"],
  [/(\w*(ar|l|ea|eo|oa|hoo))f$/, "ves"],
  [/(\w*([^aeiouy]|qu))y$/, "ies"],
  [/(\w*([^ch][ieo][ln]))ey$/, "ies"],
  [/(\w*(x|ch|ss|sh|zz)es)$/, ""],
  [/(\w*(x|ch|ss|sh|zz))$/, "es"],
  [/(\w*(matr|cod|mur|sil|vert|ind|append))(?:ix|ex)$/, "ices"],
  [/(\w*(m|l)(?:ice|ouse))$/, "ice"],
  [/(\w*(pe)(?:rson|ople))$/, "ople"],
  [/(\w*(child))(?:ren)?$/, "ren"],
  [/(\w*eaux)$/, ""],
];

/** Inflector's `to_plural` on a whole word (case-sensitive, like the Rust original). */
export function toPlural(word: string): string {
  if (UNCOUNTABLE.has(word)) return word;
  const special = SPECIAL[word];
  if (special !== undefined) return special;
  for (let i = RULES.length - 1; i >= 0; i--) {
    const [rule, replacement] = RULES[i]!;
    const match = rule.exec(word);
    if (match && match[1] !== undefined) return match[1] + replacement;
  }
  return `${word}s`;
}

const isAlphanumeric = (c: string) => /^[\p{L}\p{N}]$/u.test(c);
const isNumeric = (c: string) => /^\p{N}$/u.test(c);
const isLowercase = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase();
const isUppercase = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();

/**
 * Inflector's `to_camel_case` (`cases/case::to_case_camel_like` with camel options), including its quirks: separators
 * (any non-alphanumeric character) start a new word, digits start a new word after them, a lower→upper transition starts
 * a new word, and everything else is lowercased. `DatasetVersions → datasetVersions`, `Token_Transfer → tokenTransfer`,
 * `ERC20Token → erc20Token`.
 */
export function toCamelCase(text: string): string {
  let end = text.length;
  const chars = [...text];
  while (end > 0 && !isAlphanumeric(chars[end - 1] ?? "")) end--;
  let newWord = false;
  let lastChar = " ";
  let foundRealChar = false;
  let result = "";
  for (const c of chars.slice(0, end)) {
    if (!isAlphanumeric(c) && foundRealChar) {
      newWord = true;
    } else if (!foundRealChar && !isAlphanumeric(c)) {
      continue;
    } else if (isNumeric(c)) {
      foundRealChar = true;
      newWord = true;
      result += c;
    } else if (newWord || (isLowercase(lastChar) && isUppercase(c))) {
      foundRealChar = true;
      newWord = false;
      result += c.toUpperCase();
    } else {
      foundRealChar = true;
      lastChar = c;
      result += c.toLowerCase();
    }
  }
  return result;
}

/**
 * The singular and plural query field names for an entity or interface type name (graph-node's `camel_cased_names`).
 *
 * @example
 * camelCasedNames("DatasetVersion"); // ["datasetVersion", "datasetVersions"]
 * camelCasedNames("LicenceTerms"); // ["licenceTerms", "licenceTerms_collection"]
 */
export function camelCasedNames(typeName: string): [singular: string, plural: string] {
  const singular = toCamelCase(typeName);
  let plural = toCamelCase(toPlural(typeName));
  if (plural === singular) plural += "_collection";
  return [singular, plural];
}
